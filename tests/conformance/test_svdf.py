"""SVDF against LiteRT's reference kernels: float32 within 1e-5 (the same
dot products in the same order; Eigen's tanh against libm's moves the last
bits) and int8 (int16 time weights and state) byte for byte. Rank 1 and
higher, one and several batches, with and without bias, every activation
TFLite applies, over five invokes so that the state's window fills and
slides. Errors: hybrid weights (not supported yet), a state that is not a
variable, a bad rank, shapes that do not fit, an int8 SVDF without RELU."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402

ACT = {"none": 0, "relu": 1, "relu_n1_to_1": 2, "relu6": 3, "tanh": 4, "sign_bit": 5}


def build(n_batch=1, n_input=5, n_filter=6, rank=1, n_memory=4, bias=True, act="relu",
          dtype="float32", state_variable=True, time_dtype=None, seed=0, state_cols=None,
          feature_dtype=None):
    m = fb.Model("tfl svdf test")
    g = m.graph()
    rng = np.random.default_rng(seed)
    n_unit = n_filter // rank if rank else n_filter
    q8 = dtype == "int8"

    def const(name, shape, kind, lo, hi, scale):
        n = int(np.prod(shape))
        if kind == "float32":
            return g.const(name, shape, kind, [round(float(v), 4) for v in rng.uniform(lo, hi, n)])
        return g.const(name, shape, kind, [int(v) for v in rng.integers(lo, hi + 1, n)],
                       quant=fb.q(scale))

    x = g.input("x", [n_batch, n_input], dtype, quant=fb.q(1 / 32, 7) if q8 else None)
    wf = const("wf", [n_filter, n_input], feature_dtype or dtype, -127 if q8 else -1,
               127 if q8 else 1, 1 / 128)
    time_dtype = time_dtype or ("int16" if q8 else dtype)
    limit = {"int16": 20000, "int8": 127}.get(time_dtype, 1)
    wt = const("wt", [n_filter, n_memory], time_dtype, -limit, limit, 1 / 16384)
    b = const("b", [n_unit], "int32" if q8 else "float32", -5000 if q8 else -0.5,
              5000 if q8 else 0.5, 1e-4) if bias else -1
    st = g.tensor("state", [n_batch, state_cols or n_memory * n_filter],
                  "int16" if q8 else dtype, quant=fb.q(1 / 1024) if q8 else None,
                  variable=state_variable)
    y = g.tensor("y", [n_batch, n_unit], dtype, quant=fb.q(1 / 16, -20) if q8 else None)
    g.op("SVDF", [x, wf, wt, b, st], [y],
         fb.options("SVDFOptions", rank=rank, fused_activation_function=ACT[act]),
         version=3 if q8 else 1)
    g.output(y)
    return bytes(m.serialize())


CASES = {
    "f32_rank1": dict(),
    "f32_rank2_batch3": dict(rank=2, n_batch=3, n_filter=8),
    "f32_nobias": dict(bias=False, act="none"),
    "f32_memory1": dict(n_memory=1),
    **{f"f32_{a}": dict(act=a, seed=i) for i, a in enumerate(ACT)},
    "s8_rank1": dict(dtype="int8"),
    "s8_rank2_batch2": dict(dtype="int8", rank=2, n_batch=2, n_filter=8, seed=3),
    "s8_nobias": dict(dtype="int8", bias=False, seed=4),
    "s8_wide": dict(dtype="int8", n_input=33, n_filter=24, rank=3, n_memory=10, seed=5),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_svdf_matches_litert(case, tfl, litert, tmp_path):
    kw = CASES[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build(**kw))
    ref = litert(path)
    ref.allocate_tensors()
    detail = ref.get_input_details()[0]
    rng = np.random.default_rng(len(case))
    x = (rng.integers(-128, 128, detail["shape"]).astype(np.int8) if kw.get("dtype") == "int8"
         else rng.uniform(-1, 1, detail["shape"]).astype(np.float32))
    want = []
    for _ in range(5):  # the state window fills (older slots still zero), then slides
        ref.set_tensor(detail["index"], x)
        ref.invoke()
        want.append(ref.get_tensor(ref.get_output_details()[0]["index"]).copy())
    np.save(tmp_path / "x.npy", x)
    for k, w in enumerate(want):
        out = tmp_path / f"o{k}"
        p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", out, "--repeat", k + 1,
                "--threads", 1 + k % 2)
        assert p.returncode == 0, p.stderr
        got = np.load(out / "output_0.npy")
        assert got.dtype == w.dtype and got.shape == w.shape
        if w.dtype == np.int8:
            np.testing.assert_array_equal(got, w, err_msg=f"invoke {k + 1}")
        else:
            assert np.allclose(got, w, rtol=1e-5, atol=1e-6), (k, np.abs(got - w).max())
    if kw.get("n_memory", 4) > 1:
        assert len({w.tobytes() for w in want}) > 1, "the state never changed the output"


ERRORS = {
    "hybrid": (dict(feature_dtype="int8"), "hybrid SVDF"),
    "not_variable": (dict(state_variable=False), "must be a variable"),
    "rank0": (dict(rank=0), "rank 0 must be >= 1"),
    "rank_not_divisor": (dict(rank=4), "not a multiple of the rank"),
    "state_shape": (dict(state_cols=7), "state must be [1, 24]"),
    "s8_not_relu": (dict(dtype="int8", act="none"), "RELU"),
    "s8_float_time_weights": (dict(dtype="int8", time_dtype="int8"), "time weights"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_svdf_errors(case, tfl, tmp_path):
    kw, msg = ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build(**kw))
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "SVDF (node 0)" in p.stderr, p.stderr
