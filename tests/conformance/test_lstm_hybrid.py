"""Hybrid (dynamic-range) UNIDIRECTIONAL_SEQUENCE_LSTM and LSTM against
LiteRT's reference kernels: float32 input, states, biases, layer norm and
output with int8 weights (input, recurrent, peephole and projection), one
scale per tensor, as TFLite's EvalHybrid runs them. The input and output
state (and, for the projection, the output gate times the activated cell)
are quantized per batch row, symmetric or asymmetric
(asymmetric_quantize_inputs), multiplied in int32 and scaled back by row
scale x weight scale; tfl uses the same rounding, so the products agree
exactly and only libm's expf / tanhf against the C++ ones move the last
bits: outputs within 16 float32 ulps of the largest output magnitude (the
largest difference seen is 5 ulps; an int8 rounding flip in one row
would be far larger).

Odd shapes (5 inputs, 7 cells, 3 outputs with projection), several batches,
batch-major and time-major, CIFG, peepholes, layer norm, projection with
and without bias, cell and projection clips, activation NONE (TFLite's
output then takes the output gate times the cell gate), time steps and
whole invokes of zeros (TFLite skips the products), no input features,
time steps or batches, three invokes carrying the states (the same input
each time), 1 and 2 threads. Errors: per-channel, uint8 and mixed weight
types, weights that are not constant, and int16 layer norm with float
activations."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402

NONE, RELU, TANH = 0, 1, 4
INVOKES = 3


def build(n_batch=2, n_time=3, n_input=5, n_cell=7, n_output=None, time_major=False,
          peephole=False, cifg=False, projection=False, proj_bias=False, layer_norm=False,
          cell_clip=0.0, proj_clip=0.0, asymmetric=False, activation=TANH, single_step=False,
          seed=0, weight_dtype="int8", per_channel=(), float_slots=(), ln_dtype="float32",
          input_slots=()):
    """per_channel: slots whose weights get one scale per row; float_slots:
    weight slots left float32 (a mixed model); input_slots: weights that
    are graph inputs instead of constants."""
    n_output = n_output or n_cell
    m = fb.Model("tfl hybrid lstm test")
    g = m.graph()
    rng = np.random.default_rng(seed)
    slot = [0]

    def weights(shape, scale=0.5):
        """int8 weights (values up to +-100) with a scale of its own."""
        slot[0] += 1
        i = slot[0]
        v = rng.uniform(-scale, scale, int(np.prod(shape)))
        if i in float_slots:
            return g.const(f"f{i}", shape, "float32", [round(float(x), 4) for x in v])
        vals = [int(round(x * 100 / scale)) for x in v]
        quant = fb.q(scale / 200 + i / 20000)
        if weight_dtype == "uint8":
            vals = [x + 128 for x in vals]
            quant = fb.q(1 / 400, 128)
        if i in per_channel:
            quant = fb.q_channels([1 / 400 + r / 10000 for r in range(shape[0])], 0)
        if i in input_slots:
            return g.input(f"w{i}", shape, weight_dtype, quant=quant)
        return g.const(f"w{i}", shape, weight_dtype, vals, quant=quant)

    def floats(name, shape, scale):
        v = rng.uniform(-scale, scale, int(np.prod(shape)))
        return g.const(name, shape, "float32", [round(float(x), 4) for x in v])

    shape = [n_time, n_batch, n_input] if time_major else [n_batch, n_time, n_input]
    if single_step:
        shape = [n_batch, n_input]
    x = g.input("x", shape, "float32")
    ins = [x]
    ins += [-1 if cifg and k == 0 else weights([n_cell, n_input]) for k in range(4)]
    ins += [-1 if cifg and k == 0 else weights([n_cell, n_output]) for k in range(4)]
    slot[0] = 8
    ins += [weights([n_cell], 1.0) if peephole and not (cifg and k == 0) else -1
            for k in range(3)]
    ins += [-1 if cifg and k == 0 else floats(f"b{k}", [n_cell], 0.3) for k in range(4)]
    slot[0] = 15
    ins += [weights([n_output, n_cell]) if projection else -1,
            floats("pb", [n_output], 0.2) if projection and proj_bias else -1]
    ins += [g.tensor("h", [n_batch, n_output], "float32", variable=True),
            g.tensor("c", [n_batch, n_cell], "float32", variable=True)]
    if layer_norm:
        for k in range(4):
            if cifg and k == 0:
                ins.append(-1)
            elif ln_dtype == "float32":
                ins.append(floats(f"ln{k}", [n_cell], 1.0))
            else:
                ins.append(g.const(f"ln{k}", [n_cell], ln_dtype, [1000] * n_cell,
                                   quant=fb.q(1 / 1024)))
    else:
        ins += [-1] * 4
    y = g.tensor("y", shape[:-1] + [n_output], "float32")
    common = dict(fused_activation_function=activation, cell_clip=cell_clip,
                  proj_clip=proj_clip, asymmetric_quantize_inputs=asymmetric)
    if single_step:
        g.op("LSTM", ins, [y], fb.options("LSTMOptions", **common), version=4)
    else:
        g.op("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y],
             fb.options("UnidirectionalSequenceLSTMOptions", time_major=time_major, **common),
             version=3)
    g.output(y)
    return bytes(m.serialize()), shape


SHAPES = dict(n_input=5, n_cell=7, n_output=3, projection=True)

CASES = {
    "basic": dict(),
    "asymmetric": dict(asymmetric=True),
    "time_major": dict(time_major=True, n_batch=3, n_time=4),
    "time_major_asymmetric": dict(time_major=True, n_batch=3, n_time=4, asymmetric=True),
    "batch_major_4": dict(n_batch=4, n_time=4, asymmetric=True, seed=3),
    "projection_bias_clip": dict(SHAPES, proj_bias=True, proj_clip=0.3, cell_clip=0.6),
    "projection_nobias": dict(SHAPES, time_major=True, asymmetric=True),
    "projection_wider": dict(n_input=5, n_cell=4, n_output=6, projection=True, proj_bias=True,
                             asymmetric=True),
    "peephole": dict(peephole=True),
    "peephole_asymmetric_tm": dict(peephole=True, asymmetric=True, time_major=True, n_batch=3),
    "cifg": dict(cifg=True),
    "cifg_peephole_projection": dict(SHAPES, cifg=True, peephole=True, proj_bias=True,
                                     asymmetric=True),
    "layer_norm": dict(layer_norm=True, peephole=True),
    "layer_norm_cifg_asymmetric": dict(layer_norm=True, cifg=True, asymmetric=True,
                                       time_major=True, n_batch=3),
    "layer_norm_projection": dict(SHAPES, layer_norm=True, proj_bias=True, proj_clip=0.25),
    "cell_clip": dict(cell_clip=0.3, asymmetric=True),
    "act_none": dict(SHAPES, activation=NONE, proj_bias=True),
    "act_none_no_projection": dict(activation=NONE, time_major=True, asymmetric=True),
    "act_relu": dict(activation=RELU, peephole=True, cell_clip=1.0),
    "one_batch_one_step": dict(n_batch=1, n_time=1),
    "lstm_op": dict(single_step=True, n_batch=3),
    "lstm_op_asymmetric_all": dict(SHAPES, single_step=True, n_batch=3, asymmetric=True,
                                   peephole=True, layer_norm=True, proj_bias=True,
                                   cell_clip=0.5, proj_clip=0.4),
    "lstm_op_cifg": dict(single_step=True, cifg=True, peephole=True),
    # No input features: LiteRT's empty input-gate weights have a null data
    # pointer, so its step runs CIFG (and with asymmetric inputs its row-sum
    # count no longer matches the one Prepare sized: it aborts, untested).
    "no_input_features": dict(n_input=0, peephole=True),
    "no_input_features_lstm_op": dict(n_input=0, single_step=True, n_batch=3),
    "no_time_steps": dict(n_time=0, time_major=True, asymmetric=True),
    "no_batches": dict(n_batch=0, time_major=True, asymmetric=True),
}

# Inputs: uniform in [-1, 1]; "zero_step" zeroes one time step (all batch
# rows, so TFLite's all-zero shortcut applies time-major, with a state that
# is not zero) and "zero_invoke" feeds zeros (input and state all zero: only
# the biases, layer norm and projection bias act).
FEEDS = {"zero_step": ["time_major", "layer_norm_cifg_asymmetric", "projection_nobias",
                       "basic", "act_none_no_projection"],
         "zero_invoke": ["asymmetric", "peephole_asymmetric_tm", "act_none"]}


def feeds(case, shape, kind):
    rng = np.random.default_rng(list(case.encode()) + [len(kind)])
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    if kind == "zero_step" and len(shape) == 3:
        if CASES[case].get("time_major"):
            x[1] = 0
        else:
            x[:, 1] = 0
    if kind == "zero_invoke":
        x[...] = 0
    return x


def litert_run(litert, path, x):
    """The output of the last of INVOKES invokes, the states carried."""
    ref = litert(path)
    ref.allocate_tensors()
    for _ in range(INVOKES):
        ref.set_tensor(ref.get_input_details()[0]["index"], x)
        ref.invoke()
    return ref.get_tensor(ref.get_output_details()[0]["index"])


def tfl_run(tfl, path, x, tmp_path, threads):
    np.save(tmp_path / "x.npy", x)
    out = tmp_path / f"o{threads}"
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", out, "--repeat", INVOKES,
            "--threads", threads)
    assert p.returncode == 0, p.stderr
    return np.load(out / "output_0.npy")


def assert_close(got, want):
    assert got.shape == want.shape and got.dtype == np.float32
    if got.size == 0:
        return
    scale = max(float(np.abs(want).max()), 1e-3)
    err = float(np.abs(got.astype(np.float64) - want).max())
    assert err <= 16 * np.spacing(np.float32(scale)), (err, scale)


def case_params():
    out = [(c, "uniform") for c in sorted(CASES)]
    out += [(c, k) for k, cs in sorted(FEEDS.items()) for c in cs]
    return out


@pytest.mark.parametrize("case,kind", case_params())
def test_hybrid_lstm_matches_litert(case, kind, tfl, litert, tmp_path):
    model, shape = build(**CASES[case])
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    x = feeds(case, shape, kind)
    want = litert_run(litert, path, x)
    for threads in (1, 2):
        assert_close(tfl_run(tfl, path, x, tmp_path, threads), want)


ERRORS = {
    # TFLite reads a per-tensor scale only (a per-channel tensor's is 0).
    "per_channel_input_weights": (dict(per_channel=(2,)), "need one scale"),
    "per_channel_projection": (dict(SHAPES, per_channel=(16,)), "need one scale"),
    # TFLite runs uint8 weights through its int8 path, misreading them.
    "uint8_weights": (dict(weight_dtype="uint8"), "weights of type uint8 not supported"),
    "mixed_input_gate": (dict(float_slots=(1,)), "input 1 is float32, expected int8"),
    "mixed_recurrent": (dict(float_slots=(7,)), "input 7 is float32, expected int8"),
    "mixed_peephole": (dict(peephole=True, float_slots=(10,)), "input 10 is float32"),
    "int16_layer_norm": (dict(layer_norm=True, ln_dtype="int16"),
                         "input 20 is int16, expected float32"),
    "lstm_op_uint8": (dict(single_step=True, weight_dtype="uint8"), "weights of type uint8"),
    # tfl derives row sums from the weights at each invoke; TFLite would
    # keep the first invoke's.
    "weights_not_constant": (dict(input_slots=(6,), asymmetric=True), "must be constant"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_hybrid_lstm_errors(case, tfl, tmp_path):
    kwargs, msg = ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build(**kwargs)[0])
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
