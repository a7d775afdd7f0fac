"""SVDF against LiteRT's reference kernels: float32 within 1e-5 (the same
dot products in the same order; Eigen's tanh against libm's moves the last
bits) and int8 (int16 time weights and state) byte for byte. Rank 1 and
higher, one and several batches, with and without bias, every activation
TFLite applies, over five invokes so that the state's window fills and
slides. Errors: a state that is not a variable, a bad rank, shapes that
do not fit, an int8 SVDF without RELU.

Hybrid (dynamic range: float32 input, bias, state and output, int8 feature
and time weights with one scale each, as TensorFlow's converter writes it
without a representative dataset): symmetric and asymmetric input
quantization, rank 1 to 3, several batches, with and without bias, odd
shapes, all-zero inputs (TFLite's shortcut) and one zero row, over five
invokes (the state), 1 and 2 threads; within a few float32 ulps of the
output's magnitude of LiteRT, and of a NumPy emulation of TFLite's
EvalHybridSVDF. Errors: uint8 feature weights (LiteRT reads them as int8),
per-channel weights (LiteRT reads their per-tensor scale, 0, and outputs
act(bias)), unquantized or non-int8 time weights (LiteRT reads any time
weights as int8 with the per-tensor scale)."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import asymmetric_quantize, symmetric_quantize  # noqa: E402

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


# Hybrid ------------------------------------------------------------------------------

FEATURE_SCALE, TIME_SCALE = 0.0125, 0.0078


def build_hybrid(n_batch=2, n_input=5, n_filter=6, rank=2, n_memory=4, bias=True, act="relu",
                 asymmetric=False, seed=0, feature_dtype="int8", time_dtype="int8",
                 feature_quant="per_tensor", time_quant="per_tensor"):
    rng = np.random.default_rng(seed)
    m = fb.Model("tfl hybrid svdf test")
    g = m.graph()
    n_unit = n_filter // rank

    def quant(kind, scale, rows):
        if kind == "per_tensor":
            return fb.q(scale)
        if kind == "per_channel":
            return fb.q_channels([float(v) for v in rng.uniform(0.5, 1.5, rows) * scale], 0)
        return None

    def weights(name, shape, dtype, kind, scale):
        n = int(np.prod(shape))
        if dtype == "float32":
            return g.const(name, shape, dtype, [round(float(v), 4) for v in rng.uniform(-1, 1, n)])
        lo, hi = (0, 255) if dtype == "uint8" else (-127, 127)
        return g.const(name, shape, dtype, [int(v) for v in rng.integers(lo, hi + 1, n)],
                       quant=quant(kind, scale, shape[0]))

    x = g.input("x", [n_batch, n_input], "float32")
    wf = weights("wf", [n_filter, n_input], feature_dtype, feature_quant, FEATURE_SCALE)
    wt = weights("wt", [n_filter, n_memory], time_dtype, time_quant, TIME_SCALE)
    b = g.const("b", [n_unit], "float32",
                [round(float(v), 3) for v in rng.uniform(-0.5, 0.5, n_unit)]) if bias else -1
    st = g.tensor("state", [n_batch, n_memory * n_filter], "float32", variable=True)
    y = g.tensor("y", [n_batch, n_unit], "float32")
    g.op("SVDF", [x, wf, wt, b, st], [y],
         fb.options("SVDFOptions", rank=rank, fused_activation_function=ACT[act],
                    asymmetric_quantize_inputs=asymmetric),
         version=4 if asymmetric else 2)
    g.output(y)
    return bytes(m.serialize())


ACT_F = {"none": lambda v: v, "relu": lambda v: np.maximum(v, 0),
         "relu6": lambda v: np.clip(v, 0, 6), "tanh": np.tanh}


def hybrid_svdf(xs, wf, wt, bias, rank, asymmetric, act):
    """TFLite's EvalHybridSVDF over the inputs of successive invokes."""
    n_batch = xs[0].shape[0]
    n_filter, n_memory = wt.shape
    n_unit = n_filter // rank
    wt = wt.astype(np.float32) * np.float32(TIME_SCALE)
    w = wf.astype(np.int64)
    state = np.zeros(n_batch * n_filter * n_memory, np.float32)
    quantize = asymmetric_quantize if asymmetric else symmetric_quantize
    outs = []
    for x in xs:
        state = np.concatenate([state[1:], [np.float32(0)]]).astype(np.float32)
        feat = np.zeros((n_batch, n_filter), np.float32)
        if np.any(x != 0):
            for b in range(n_batch):
                q, sf, zp = quantize(x[b])
                total = (w @ q - w.sum(axis=1) * zp).astype(np.float32)
                feat[b] = np.float32(sf * np.float32(FEATURE_SCALE)) * total
        st = state.reshape(n_batch, n_filter, n_memory)
        st[:, :, -1] = feat
        dots = np.zeros((n_batch, n_filter), np.float32)
        for i in range(n_memory):  # in order, as BatchVectorBatchVectorDotProduct
            dots = (dots + wt[:, i] * st[:, :, i]).astype(np.float32)
        out = np.zeros((n_batch, n_unit), np.float32)
        for r in range(rank):
            out = (out + dots.reshape(n_batch, n_unit, rank)[:, :, r]).astype(np.float32)
        if bias is not None:
            out = (out + bias).astype(np.float32)
        outs.append(ACT_F[act](out).astype(np.float32))
    return outs


HYBRID = {
    "rank1": dict(rank=1, n_batch=1),
    "rank2_batch2": dict(),
    "asymmetric": dict(asymmetric=True),
    "asymmetric_rank3": dict(asymmetric=True, rank=3, n_filter=9, n_batch=3, act="none"),
    "no_bias": dict(bias=False, act="none"),
    "memory1": dict(n_memory=1, asymmetric=True),
    "relu6": dict(act="relu6", asymmetric=True),
    "tanh": dict(act="tanh"),
    "odd_wide": dict(n_batch=3, n_input=37, n_filter=21, rank=3, n_memory=7, asymmetric=True),
    "odd_small": dict(n_batch=1, n_input=1, n_filter=1, rank=1, n_memory=2, act="none"),
}


def hybrid_invokes(litert, path, xs):
    ref = litert(path)
    ref.allocate_tensors()
    d = ref.get_input_details()[0]
    want = []
    for x in xs:
        ref.set_tensor(d["index"], x)
        ref.invoke()
        want.append(ref.get_tensor(ref.get_output_details()[0]["index"]).copy())
    t = {d["name"]: d for d in ref.get_tensor_details()}
    bias = ref.get_tensor(t["b"]["index"]) if "b" in t else None
    return want, ref.get_tensor(t["wf"]["index"]), ref.get_tensor(t["wt"]["index"]), bias


def check_close(got, want, ulps=8, what=""):
    assert got.dtype == want.dtype and got.shape == want.shape, (what, got.shape, want.shape)
    tol = ulps * np.finfo(np.float32).eps * max(1.0, float(np.abs(want).max()))
    assert np.allclose(got, want, rtol=0, atol=tol), (what, np.abs(got - want).max())


def hybrid_input(shape, values, seed):
    x = np.random.default_rng(seed).uniform(-2, 3, shape).astype(np.float32)
    if values == "zeros":
        x[:] = 0
    elif values == "one_zero_row":
        x[0] = 0
    return x


HYBRID_RUNS = [(c, "random") for c in sorted(HYBRID)] + [
    (c, v) for c in ("rank2_batch2", "asymmetric") for v in ("zeros", "one_zero_row")]


@pytest.mark.parametrize("case,values", HYBRID_RUNS)
def test_svdf_hybrid(case, values, tfl, litert, tmp_path):
    """The same input at every invoke (what `tfl run --repeat` feeds): the
    outputs change as the state fills and slides."""
    kw = HYBRID[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build_hybrid(seed=len(case), **kw))
    shape = [kw.get("n_batch", 2), kw.get("n_input", 5)]
    x = hybrid_input(shape, values, len(case))
    want, wf, wt, bias = hybrid_invokes(litert, path, [x] * 5)
    algo = hybrid_svdf([x] * 5, wf, wt, bias, kw.get("rank", 2), kw.get("asymmetric", False),
                       kw.get("act", "relu"))
    np.save(tmp_path / "x.npy", x)
    for k, w in enumerate(want):
        check_close(w, algo[k], what=f"LiteRT against the algorithm, invoke {k + 1}")
        for threads in (1, 2):
            out = tmp_path / f"o{k}_{threads}"
            p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", out, "--repeat", k + 1,
                    "--threads", threads)
            assert p.returncode == 0, p.stderr
            got = np.load(out / "output_0.npy")
            check_close(got, w, what=f"invoke {k + 1}, {threads} threads")
            check_close(got, algo[k], what=f"algorithm, invoke {k + 1}, {threads} threads")
    if values == "zeros":
        assert len({w.tobytes() for w in want}) == 1  # only the bias
    elif kw.get("n_memory", 4) > 1:
        assert len({w.tobytes() for w in want}) > 1, "the state never changed the output"


CHANGING = """
import sys
import numpy as np
import tfl.interpreter as tflite
path, threads, inputs, outputs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
it = tflite.Interpreter(model_path=path, num_threads=threads)
it.allocate_tensors()
outs = []
for x in np.load(inputs):
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    outs.append(it.get_tensor(it.get_output_details()[0]["index"]))
np.save(outputs, np.stack(outs))
"""


def test_svdf_hybrid_changing_inputs(litert, tfl, tmp_path):
    """Different inputs at successive invokes (one of them all zero), run by
    the Python package in the source tree over the library beside the tfl
    binary."""
    lib = Path(tfl.path).parent / "libtfl.so"
    if not lib.exists():
        pytest.skip(f"no {lib}")
    path = tmp_path / "changing.tflite"
    path.write_bytes(build_hybrid(seed=11, asymmetric=True, n_batch=2, rank=2))
    rng = np.random.default_rng(12)
    xs = [rng.uniform(-2, 3, [2, 5]).astype(np.float32) for _ in range(6)]
    xs[3][:] = 0
    want, wf, wt, bias = hybrid_invokes(litert, path, xs)
    algo = hybrid_svdf(xs, wf, wt, bias, 2, True, "relu")
    np.save(tmp_path / "xs.npy", np.stack(xs))
    env = dict(os.environ, TFL_LIBRARY=str(lib),
               PYTHONPATH=str(Path(__file__).resolve().parents[2] / "python"))
    for threads in (1, 2):
        out = tmp_path / f"ys{threads}.npy"
        p = subprocess.run([sys.executable, "-c", CHANGING, str(path), str(threads),
                            str(tmp_path / "xs.npy"), str(out)], env=env, capture_output=True,
                           text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        got = np.load(out)
        for k, (w, a) in enumerate(zip(want, algo)):
            check_close(w, a, what=f"LiteRT against the algorithm, invoke {k + 1}")
            check_close(got[k], w, what=f"invoke {k + 1}, {threads} threads")
            check_close(got[k], a, what=f"algorithm, invoke {k + 1}, {threads} threads")


HYBRID_ERRORS = {
    "uint8_features": (dict(feature_dtype="uint8"), "uint8 feature weights is not supported"),
    "per_channel_features": (dict(feature_quant="per_channel"),
                             "feature weights with 6 scales: per-channel"),
    "per_channel_time": (dict(time_quant="per_channel"), "time weights with 6 scales"),
    "unquantized_features": (dict(feature_quant=None), "feature weights of a hybrid SVDF are "
                                                       "not quantized"),
    "unquantized_time": (dict(time_quant=None), "time weights of a hybrid SVDF are not"),
    "float_time": (dict(time_dtype="float32"), "time weights type float32, expected int8"),
}


@pytest.mark.parametrize("case", sorted(HYBRID_ERRORS))
def test_svdf_hybrid_errors(case, tfl, tmp_path):
    kw, msg = HYBRID_ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build_hybrid(**kw))
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "SVDF (node 0)" in p.stderr, p.stderr


def test_svdf_hybrid_per_channel_in_litert(litert, tmp_path):
    """What LiteRT does with per-channel feature weights, which tfl refuses:
    their per-tensor scale is 0, so every output is act(bias)."""
    path = tmp_path / "pc.tflite"
    path.write_bytes(build_hybrid(feature_quant="per_channel", act="none"))
    x = np.random.default_rng(3).uniform(-2, 3, [2, 5]).astype(np.float32)
    want, _, _, bias = hybrid_invokes(litert, path, [x] * 3)
    for w in want:
        np.testing.assert_array_equal(w, np.broadcast_to(bias, w.shape))
