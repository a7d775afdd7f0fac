"""UNIDIRECTIONAL_SEQUENCE_LSTM against LiteRT's reference kernels.

float32 within 1e-5 (TFLite's float LSTM sums the same dot products in the
same order; libm's expf / tanhf against the C++ ones move the last bits);
int8 (TFLite's integer 8x8->16 cell) byte for byte. Both over batch-major
and time-major inputs, several batches, peepholes, CIFG (no input gate),
projection with and without bias, cell and projection clips, layer
normalization, activation NONE (as TFLite's EvalFloat computes it), the
state carried from one invoke to the next (the second invoke must match
LiteRT's second), no input features. ../shared's LSTM models run in
test_models.py; hybrid LSTMs in test_lstm_hybrid.py. Errors: states that are
not variables, an int8 LSTM without its intermediates or with a cell scale
that is not a power of two."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402

TANH = 4


def lstm_op(g, ins, y, time_major, cell_clip, proj_clip, single_step, intermediates=None,
            kernel_type=0, activation=TANH):
    if single_step:
        g.op("LSTM", ins, [y], fb.options("LSTMOptions", fused_activation_function=activation,
                                           cell_clip=cell_clip, proj_clip=proj_clip,
                                           kernel_type=kernel_type),
             intermediates=intermediates)
    else:
        g.op("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y],
             fb.options("UnidirectionalSequenceLSTMOptions", fused_activation_function=activation,
                        cell_clip=cell_clip, proj_clip=proj_clip, time_major=time_major),
             intermediates=intermediates)


def build(n_batch=2, n_time=3, n_input=4, n_cell=5, n_output=None, time_major=False,
          peephole=False, cifg=False, projection=False, proj_bias=False, layer_norm=False,
          cell_clip=0.0, proj_clip=0.0, state_variable=True, dtype="float32",
          single_step=False, kernel_type=0, activation=TANH, zero_step=False):
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
    if single_step:
        shape = [n_batch, n_input]
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
    y = g.tensor("y", shape[:-1] + [n_output], dtype)
    lstm_op(g, ins, y, time_major, cell_clip, proj_clip, single_step, kernel_type=kernel_type,
            activation=activation)
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
    "lstm_op": dict(single_step=True),
    "lstm_op_projection_peephole": dict(single_step=True, projection=True, n_output=3,
                                        peephole=True, cell_clip=0.5),
    # Activation NONE as TFLite's EvalFloat computes it (see lstm_f32.h):
    # the cell gate keeps a partial sum, the output takes the output gate
    # times the cell gate; a time step of zeros skips the input product.
    "act_none": dict(activation=0, peephole=True),
    "act_none_zero_step": dict(activation=0, time_major=True, n_batch=3, zero_step=True),
    "act_none_projection_layer_norm": dict(activation=0, projection=True, n_output=3,
                                           layer_norm=True, zero_step=True),
    "lstm_op_act_none": dict(single_step=True, activation=0, cifg=True),
    # No input features: TFLite runs the cell as CIFG (the empty input-gate
    # weights have a null data pointer in LiteRT).
    "no_input_features": dict(n_input=0, peephole=True),
    "lstm_op_no_input_features": dict(n_input=0, single_step=True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_lstm_matches_litert(case, tfl, litert, tmp_path):
    model, shape = build(**CASES[case])
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    x = np.random.default_rng(list(case.encode())).uniform(-1, 1, shape).astype(np.float32)
    if CASES[case].get("zero_step"):
        x[1 if CASES[case].get("time_major") else (slice(None), 1)] = 0
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


def build_q8(n_batch=2, n_time=3, n_input=4, n_cell=5, n_output=None, time_major=False,
             peephole=False, cifg=False, projection=False, proj_bias=False, layer_norm=False,
             cell_clip=0.0, proj_clip=0.0, hidden_zp=3, cell_log2=-11, intermediates=5,
             seed=0, single_step=False):
    """An int8 LSTM laid out as TensorFlow's converter makes them: int8
    input, weights and output state, int16 cell state (scale 2^cell_log2),
    peepholes and layer norm coefficients, int32 biases, 5 intermediates
    (the gates' int16 scales, used with layer norm, and the int8 hidden)."""
    n_output = n_output or n_cell
    m = fb.Model("tfl int8 lstm test")
    g = m.graph()
    rng = np.random.default_rng(seed)

    def const(name, shape, dtype, scale, lo, hi):
        vals = [int(v) for v in rng.integers(lo, hi + 1, int(np.prod(shape)))]
        return g.const(name, shape, dtype, vals, quant=fb.q(scale))

    shape = [n_time, n_batch, n_input] if time_major else [n_batch, n_time, n_input]
    if single_step:
        shape = [n_batch, n_input]
    x = g.input("x", shape, "int8", quant=fb.q(1 / 64, -5))
    skip_i = lambda k: cifg and k == 0  # noqa: E731
    ins = [x]
    ins += [-1 if skip_i(k) else const(f"w{k}", [n_cell, n_input], "int8", 1 / 256 + k / 4096,
                                       -127, 127) for k in range(4)]
    ins += [-1 if skip_i(k) else const(f"r{k}", [n_cell, n_output], "int8", 1 / 300 + k / 5000,
                                       -127, 127) for k in range(4)]
    ins += [const(f"p{k}", [n_cell], "int16", 1 / 8192, -3000, 3000)
            if peephole and not skip_i(k) else -1 for k in range(3)]
    ins += [-1 if skip_i(k) else const(f"b{k}", [n_cell], "int32", 1e-5, -20000, 20000)
            for k in range(4)]
    ins += [const("pw", [n_output, n_cell], "int8", 1 / 200, -127, 127) if projection else -1,
            const("pb", [n_output], "int32", 1e-5, -3000, 3000)
            if projection and proj_bias else -1]
    ins += [g.tensor("h", [n_batch, n_output], "int8", quant=fb.q(1 / 128, hidden_zp),
                     variable=True),
            g.tensor("c", [n_batch, n_cell], "int16", quant=fb.q(2.0 ** cell_log2),
                     variable=True)]
    ins += [-1 if skip_i(k) or not layer_norm else
            const(f"ln{k}", [n_cell], "int16", 1 / 16384, 8000, 24000) for k in range(4)]
    inter = [g.tensor(f"gate{k}", [1], "int16", quant=fb.q(1 / 4096 * (1 + k / 8)))
             for k in range(4)]
    inter.append(g.tensor("hidden", [1], "int8", quant=fb.q(1 / 120, hidden_zp - 2)))
    y = g.tensor("y", shape[:-1] + [n_output], "int8", quant=fb.q(1 / 128, hidden_zp))
    lstm_op(g, ins, y, time_major, cell_clip, proj_clip, single_step,
            intermediates=inter[:intermediates])
    g.output(y)
    return bytes(m.serialize()), shape


Q8_CASES = {
    "basic": dict(),
    "time_major": dict(time_major=True, n_batch=3),
    "one_step": dict(n_time=1, n_batch=1),
    "peephole": dict(peephole=True),
    "cifg": dict(cifg=True),
    "cifg_peephole": dict(cifg=True, peephole=True),
    "projection": dict(projection=True, n_output=3, proj_bias=True, proj_clip=0.3),
    "projection_nobias": dict(projection=True, n_output=6),
    "projection_peephole": dict(projection=True, n_output=4, peephole=True),
    "clip": dict(cell_clip=0.4),
    "cell_scale_2^-15": dict(cell_log2=-15),
    "cell_scale_2^-9": dict(cell_log2=-9),
    "layer_norm": dict(layer_norm=True, n_cell=8),
    "layer_norm_peephole": dict(layer_norm=True, peephole=True, n_cell=6),
    "layer_norm_cifg": dict(layer_norm=True, cifg=True),
    "wide": dict(n_input=37, n_cell=19, n_time=5),
    "zero_points": dict(hidden_zp=-100),
    "lstm_op": dict(single_step=True),
    "lstm_op_layer_norm_projection": dict(single_step=True, layer_norm=True, projection=True,
                                          n_output=3, proj_bias=True),
}


@pytest.mark.parametrize("case", sorted(Q8_CASES))
def test_lstm_int8_matches_litert(case, tfl, litert, tmp_path):
    model, shape = build_q8(seed=len(case), **Q8_CASES[case])
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    x = np.random.default_rng(list(case.encode())).integers(-128, 128, shape).astype(np.int8)
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
        assert got.dtype == np.int8 and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


ERRORS = {
    "not_variable": (lambda: build(state_variable=False)[0], "variables"),
    "no_intermediates": (lambda: build_q8(intermediates=0)[0], "needs 5 intermediate tensors"),
    "cell_scale_not_pow2": (lambda: build_q8(cell_log2=-11.4)[0], "must be a power of two"),
    "cell_scale_too_big": (lambda: build_q8(cell_log2=-8)[0], "cell state scale 2^-8"),
    "basic_kernel": (lambda: build(single_step=True, kernel_type=1)[0], "BASIC LSTM kernel"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_lstm_errors(case, tfl, tmp_path):
    make, msg = ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(make())
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
