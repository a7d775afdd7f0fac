"""UNIDIRECTIONAL_SEQUENCE_LSTM (float32) against LiteRT's reference
kernels within 1e-5 (TFLite's float LSTM sums the same dot products in the
same order; libm's expf / tanhf against the C++ ones move the last bits):
batch-major and time-major inputs, several batches, peepholes, CIFG (no
input gate), projection with and without bias, cell and projection clips,
layer normalization, the state carried from one invoke to the next (the
second invoke must match LiteRT's second). ../shared's trained_lstm runs
in test_models.py. Errors: an int8 LSTM (not supported yet), states that
are not variables."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402

TANH = 4


def build(n_batch=2, n_time=3, n_input=4, n_cell=5, n_output=None, time_major=False,
          peephole=False, cifg=False, projection=False, proj_bias=False, layer_norm=False,
          cell_clip=0.0, proj_clip=0.0, state_variable=True, dtype="float32"):
    n_output = n_output or n_cell
    m = fb.Model("tfl lstm test")
    g = m.graph()
    rng = np.random.default_rng(n_batch * 100 + n_time * 10 + n_cell + 7 * peephole + 3 * cifg
                                + 5 * projection + 11 * layer_norm)

    def const(name, shape, scale=0.5):
        v = rng.uniform(-scale, scale, int(np.prod(shape)))
        vals = [int(round(x * 100)) for x in v] if dtype == "int8" else [round(float(x), 4)
                                                                          for x in v]
        return g.const(name, shape, dtype, vals)

    shape = [n_time, n_batch, n_input] if time_major else [n_batch, n_time, n_input]
    x = g.input("x", shape, dtype)
    ins = [x]
    ins += [-1 if cifg and k == 0 else const(f"w{k}", [n_cell, n_input]) for k in range(4)]
    ins += [-1 if cifg and k == 0 else const(f"r{k}", [n_cell, n_output]) for k in range(4)]
    ins += [const(f"p{k}", [n_cell]) if peephole and not (cifg and k == 0) else -1
            for k in range(3)]
    ins += [-1 if cifg and k == 0 else const(f"b{k}", [n_cell], 0.2) for k in range(4)]
    ins += [const("pw", [n_output, n_cell]) if projection else -1,
            const("pb", [n_output], 0.2) if projection and proj_bias else -1]
    ins += [g.tensor("h", [n_batch, n_output], dtype, variable=state_variable),
            g.tensor("c", [n_batch, n_cell], dtype, variable=state_variable)]
    if layer_norm:
        ins += [-1 if cifg and k == 0 else const(f"ln{k}", [n_cell], 1.0) for k in range(4)]
    y = g.tensor("y", shape[:2] + [n_output], dtype)
    g.op("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y],
         fb.options("UnidirectionalSequenceLSTMOptions", fused_activation_function=TANH,
                    cell_clip=cell_clip, proj_clip=proj_clip, time_major=time_major))
    g.output(y)
    return bytes(m.serialize()), shape


CASES = {
    "basic": dict(),
    "time_major": dict(time_major=True, n_batch=3),
    "peephole": dict(peephole=True),
    "cifg": dict(cifg=True, peephole=True),
    "projection": dict(projection=True, n_output=3, proj_bias=True, proj_clip=0.3),
    "projection_nobias": dict(projection=True, n_output=6),
    "clip": dict(cell_clip=0.4),
    "layer_norm": dict(layer_norm=True, peephole=True),
    "layer_norm_cifg": dict(layer_norm=True, cifg=True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_lstm_matches_litert(case, tfl, litert, tmp_path):
    model, shape = build(**CASES[case])
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    x = np.random.default_rng(list(case.encode())).uniform(-1, 1, shape).astype(np.float32)
    ref = litert(path)
    ref.allocate_tensors()
    for _ in range(2):  # the second invoke starts from the first's state
        ref.set_tensor(ref.get_input_details()[0]["index"], x)
        ref.invoke()
    want = ref.get_tensor(ref.get_output_details()[0]["index"])
    np.save(tmp_path / "x.npy", x)
    for threads in (1, 2):
        out = tmp_path / f"o{threads}"
        p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", out, "--repeat", 2,
                "--threads", threads)
        assert p.returncode == 0, p.stderr
        got = np.load(out / "output_0.npy")
        assert got.shape == want.shape
        assert np.allclose(got, want, rtol=1e-5, atol=1e-6), np.abs(got - want).max()


@pytest.mark.parametrize("case", ["int8", "not_variable"])
def test_lstm_errors(case, tfl, tmp_path):
    if case == "int8":
        model, _ = build(dtype="int8")
        msg = "not supported"
    else:
        model, _ = build(state_variable=False)
        msg = "variables"
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
