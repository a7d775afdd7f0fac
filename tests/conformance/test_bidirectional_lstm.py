"""BIDIRECTIONAL_SEQUENCE_LSTM against LiteRT's reference kernels.

float32 within 1e-5, as the float UNIDIRECTIONAL_SEQUENCE_LSTM (the same
cell, lstm_f32.c): the forward cell from the first time step, the backward
one from the last, over batch- and time-major inputs, separate and merged
outputs, peepholes, CIFG, projection with and without bias, clips, an
auxiliary input with weights in both cells, several batches, the states
carried from one invoke to the next (the second invoke must match LiteRT's
second), 1 and 2 threads, empty sequences and inputs; hybrid (int8 weights,
symmetric and asymmetric input quantization) likewise. Errors: what TFLite's
Prepare refuses, and uint8 or per-channel hybrid weights."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402

TANH = 4


def build(n_batch=2, n_time=3, n_input=4, n_cell=5, n_output=None, time_major=False,
          merge=False, peephole=False, cifg=False, projection=False, proj_bias=False,
          cell_clip=0.0, proj_clip=0.0, aux=None, n_aux=3, activation=TANH, seed=0,
          state_variable=True, weight_dtype="float32", drop=(), bw_cell=None, n_outputs=None,
          options=True, asymmetric=False, quant=None):
    """aux: None, "weights" (an auxiliary input and weights for both cells)
    or "input" (an auxiliary input of the input's shape, no weights). drop:
    input slots to omit; bw_cell: a different backward cell size;
    weight_dtype "int8": a hybrid LSTM (every weight int8, one scale each)."""
    n_output = n_output or n_cell
    m = fb.Model("tfl bidirectional lstm test")
    g = m.graph()
    rng = np.random.default_rng(seed)

    def const(name, shape, scale=0.5, dtype="float32"):
        v = rng.uniform(-scale, scale, int(np.prod(shape)))
        if dtype in ("int8", "uint8"):
            vals = [int(round(x * 200)) + (128 if dtype == "uint8" else 0) for x in v]
            return g.const(name, shape, dtype, vals,
                           quant=quant(shape) if quant else fb.q(1 / 400 + len(name) / 40000))
        return g.const(name, shape, "float32", [round(float(x), 4) for x in v])

    lead = [n_time, n_batch] if time_major else [n_batch, n_time]
    x = g.input("x", lead + [n_input], "float32")
    ins = [x]
    for d, nc in (("fw", n_cell), ("bw", bw_cell or n_cell)):
        no = n_output if projection else nc
        ins += [-1 if cifg and k == 0 else const(f"{d}w{k}", [nc, n_input], dtype=weight_dtype)
                for k in range(4)]
        ins += [-1 if cifg and k == 0 else const(f"{d}r{k}", [nc, no], dtype=weight_dtype)
                for k in range(4)]
        ins += [const(f"{d}p{k}", [nc], dtype=weight_dtype)
                if peephole and not (cifg and k == 0) else -1 for k in range(3)]
        ins += [-1 if cifg and k == 0 else const(f"{d}b{k}", [nc], 0.2) for k in range(4)]
        ins += [const(f"{d}pw", [no, nc], dtype=weight_dtype) if projection else -1,
                const(f"{d}pb", [no], 0.2) if projection and proj_bias else -1]
    states = []
    for d, nc in (("fw", n_cell), ("bw", bw_cell or n_cell)):
        no = n_output if projection else nc
        states += [g.tensor(f"{d}h", [n_batch, no], "float32", variable=state_variable),
                   g.tensor(f"{d}c", [n_batch, nc], "float32", variable=state_variable)]
    ins += states
    feeds_shapes = [lead + [n_input]]
    if aux is None:
        ins += [-1]
    else:
        na = n_aux if aux == "weights" else n_input
        ins += [g.input("aux", lead + [na], "float32")]
        feeds_shapes.append(lead + [na])
    for d in ("fw", "bw"):
        ins += [const(f"{d}a{k}", [n_cell, n_aux], dtype=weight_dtype)
                if aux == "weights" and not (cifg and k == 0) else -1 for k in range(4)]
    for i in drop:
        ins[i] = -1
    width = 2 * n_output if merge else n_output
    ys = [g.tensor("y_fw", lead + [width], "float32")]
    if not merge:
        ys.append(g.tensor("y_bw", lead + [n_output], "float32"))
    if n_outputs is not None:
        ys = [g.tensor(f"y{j}", lead + [width], "float32") for j in range(n_outputs)]
    opts = fb.options("BidirectionalSequenceLSTMOptions", fused_activation_function=activation,
                      cell_clip=cell_clip, proj_clip=proj_clip, merge_outputs=merge,
                      time_major=time_major,
                      asymmetric_quantize_inputs=asymmetric) if options else None
    g.op("BIDIRECTIONAL_SEQUENCE_LSTM", ins, ys, opts)
    for y in ys:
        g.output(y)
    return bytes(m.serialize()), feeds_shapes


def feeds_for(case, shapes, zero_step=False):
    rng = np.random.default_rng(list(case.encode()))
    feeds = [rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]
    if zero_step:  # one all-zero time step: TFLite skips its products
        for f in feeds:
            f[0] = 0.0  # time-major: time step 0; batch-major: batch 0
    return feeds


def litert_run(litert, path, feeds, invokes=2):
    ref = litert(path)
    ref.allocate_tensors()
    for _ in range(invokes):  # the second invoke starts from the first's state
        for d, x in zip(ref.get_input_details(), feeds):
            ref.set_tensor(d["index"], x)
        ref.invoke()
    want = []
    for o in ref.get_output_details():
        try:
            want.append(ref.get_tensor(o["index"]))
        except ValueError:  # LiteRT cannot hand out an empty tensor
            assert 0 in list(o["shape"]), o["shape"]
            want.append(np.zeros(o["shape"], o["dtype"]))
    return want


def tfl_run(tfl, path, feeds, tmp_path, count, threads, invokes=2):
    args = []
    for i, x in enumerate(feeds):
        np.save(tmp_path / f"in{i}.npy", x)
        args += ["-i", tmp_path / f"in{i}.npy"]
    out = tmp_path / f"o{threads}"
    p = tfl("run", path, *args, "-o", out, "--repeat", invokes, "--threads", threads)
    assert p.returncode == 0, p.stderr
    return [np.load(out / f"output_{j}.npy") for j in range(count)]


CASES = {
    "basic": dict(),
    "time_major": dict(time_major=True, n_batch=3),
    "merge_time_major": dict(time_major=True, merge=True, n_batch=3),
    "merge_batch_major_one_batch": dict(merge=True, n_batch=1, n_time=4),
    "peephole": dict(peephole=True, n_batch=3),
    "cifg": dict(cifg=True, peephole=True),
    "cifg_time_major_merge": dict(cifg=True, time_major=True, merge=True),
    "projection": dict(projection=True, n_output=3, proj_bias=True, proj_clip=0.3),
    "projection_nobias": dict(projection=True, n_output=6, time_major=True),
    "clip": dict(cell_clip=0.4, n_time=5),
    "aux_weights": dict(aux="weights", n_aux=3),
    "aux_weights_time_major_merge": dict(aux="weights", time_major=True, merge=True, peephole=True),
    "aux_weights_cifg": dict(aux="weights", cifg=True, projection=True, n_output=2),
    # An auxiliary input without weights: the backward cell reads it instead
    # of the input (TFLite's non-stacking mode; LiteRT does this too).
    "aux_input_backward": dict(aux="input"),
    "aux_input_backward_time_major": dict(aux="input", time_major=True, merge=True),
    "relu": dict(activation=1),
    "relu6_time_major": dict(activation=3, time_major=True),
    "relu_n1_to_1": dict(activation=2, time_major=True, merge=True),
    "sign_bit": dict(activation=5, peephole=True),
    # Activation NONE: TFLite's ApplyActivationToVector writes nothing (see
    # lstm_f32.h); with no options table the activation is NONE and the
    # input batch-major.
    "act_none": dict(activation=0),
    "act_none_aux": dict(activation=0, aux="weights", time_major=True),
    "act_none_zero_step": dict(activation=0, time_major=True, zero_step=True),
    "act_none_zero_step_aux": dict(activation=0, aux="weights", zero_step=True),
    "no_options": dict(options=False),
    "activation_out_of_enum": dict(activation=9),  # NONE, as TFLite parses it
    "one_step": dict(n_time=1, n_batch=4),
    # Hybrid: int8 weights, float32 activations quantized per batch row.
    "hybrid": dict(weight_dtype="int8"),
    "hybrid_asymmetric": dict(weight_dtype="int8", asymmetric=True),
    "hybrid_time_major": dict(weight_dtype="int8", time_major=True, n_batch=3, asymmetric=True),
    "hybrid_peephole_projection": dict(weight_dtype="int8", peephole=True, projection=True,
                                       n_output=3, proj_bias=True, proj_clip=0.3,
                                       cell_clip=0.5),
    "hybrid_peephole_projection_asymmetric": dict(weight_dtype="int8", peephole=True,
                                                  projection=True, n_output=3, asymmetric=True,
                                                  time_major=True, merge=True),
    "hybrid_cifg": dict(weight_dtype="int8", cifg=True, peephole=True, asymmetric=True),
    "hybrid_aux_weights": dict(weight_dtype="int8", aux="weights"),
    "hybrid_aux_weights_time_major": dict(weight_dtype="int8", aux="weights", time_major=True,
                                          merge=True, asymmetric=True),
    "hybrid_aux_input_backward": dict(weight_dtype="int8", aux="input", time_major=True),
    "hybrid_act_none": dict(weight_dtype="int8", activation=0, projection=True, n_output=2),
    "hybrid_zero_step": dict(weight_dtype="int8", aux="weights", asymmetric=True,
                             zero_step=True),
    "hybrid_no_input_features": dict(weight_dtype="int8", n_input=0),
    "no_time_steps": dict(n_time=0, time_major=True),
    "no_batches": dict(n_batch=0, merge=True, time_major=True),
    # No input features: LiteRT's empty input-gate weights have a null data
    # pointer, which its LstmStepFloat takes for CIFG.
    "no_input_features": dict(n_input=0, peephole=True),
    "no_input_features_aux": dict(n_input=0, aux="weights", time_major=True, merge=True),
    "aux_no_features": dict(aux="weights", n_aux=0, activation=0),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bidirectional_lstm_matches_litert(case, tfl, litert, tmp_path):
    kw = dict(CASES[case])
    zero_step = kw.pop("zero_step", False)
    model, shapes = build(seed=len(case), **kw)
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    feeds = feeds_for(case, shapes, zero_step)
    want = litert_run(litert, path, feeds)
    for threads in (1, 2):
        got = tfl_run(tfl, path, feeds, tmp_path, len(want), threads)
        for g, w in zip(got, want):
            assert g.shape == w.shape
            assert np.allclose(g, w, rtol=1e-5, atol=1e-6), np.abs(g - w).max()


@pytest.mark.parametrize("aux", [None, "weights"])
@pytest.mark.parametrize("weights", ["float32", "int8"])
def test_merged_batch_major(aux, weights, tfl, litert, tmp_path):
    """Batch-major merged outputs over several batches: LiteRT offsets its
    state rows by the merged output width (2 x n_output) instead of n_output
    and reads and writes past its state tensors, so its results are garbage;
    tfl's merged output must be its two separate outputs side by side, and
    those match LiteRT."""
    outs = {}
    for merge in (False, True):
        model, shapes = build(merge=merge, n_batch=3, aux=aux, peephole=True, seed=5,
                              weight_dtype=weights)
        path = tmp_path / f"m{int(merge)}.tflite"
        path.write_bytes(model)
        feeds = feeds_for("merged", shapes)
        outs[merge] = tfl_run(tfl, path, feeds, tmp_path, 1 if merge else 2, 2)
        if not merge:
            for g, w in zip(outs[merge], litert_run(litert, path, feeds)):
                assert np.allclose(g, w, rtol=1e-5, atol=1e-6), np.abs(g - w).max()
    assert np.array_equal(outs[True][0], np.concatenate(outs[False], axis=-1))


def mixed_model():
    """A float forward cell and an int8 backward one."""
    m = fb.Model("tfl mixed bidirectional lstm")
    g = m.graph()
    x = g.input("x", [2, 3, 4], "float32")
    ins = [x]
    for d, dt in (("fw", "float32"), ("bw", "int8")):
        def w(name, shape):
            n = int(np.prod(shape))
            if dt == "int8":
                return g.const(name, shape, "int8", [1] * n, quant=fb.q(0.01))
            return g.const(name, shape, "float32", [0.1] * n)
        ins += [w(f"{d}w{k}", [5, 4]) for k in range(4)]
        ins += [w(f"{d}r{k}", [5, 5]) for k in range(4)]
        ins += [-1] * 3 + [g.const(f"{d}b{k}", [5], "float32", [0.0] * 5) for k in range(4)]
        ins += [-1, -1]
    for d in ("fw", "bw"):
        ins += [g.tensor(f"{d}h", [2, 5], "float32", variable=True),
                g.tensor(f"{d}c", [2, 5], "float32", variable=True)]
    ins += [-1] * 9
    ys = [g.tensor("y0", [2, 3, 5], "float32"), g.tensor("y1", [2, 3, 5], "float32")]
    g.op("BIDIRECTIONAL_SEQUENCE_LSTM", ins, ys,
         fb.options("BidirectionalSequenceLSTMOptions", time_major=False))
    for y in ys:
        g.output(y)
    return bytes(m.serialize())


ERRORS = {
    "uint8_weights": (lambda: build(weight_dtype="uint8")[0], "weights are uint8"),
    "hybrid_per_channel": (lambda: build(weight_dtype="int8",
                                         quant=lambda shape: fb.q_channels([0.01] * shape[0],
                                                                           0))[0],
                           "need one scale"),
    "mixed_weight_types": (mixed_model, "for both cells"),
    "not_variable": (lambda: build(state_variable=False)[0], "must be a variable"),
    "merge_two_outputs": (lambda: build(merge=True, n_outputs=2)[0], "expects"),
    "separate_one_output": (lambda: build(n_outputs=1)[0], "expects"),
    "cell_sizes_differ": (lambda: build(bw_cell=6)[0], "must have the forward cell's sizes"),
    "no_forget_weights": (lambda: build(drop=[2])[0], "forward input weights f"),
    "half_cifg": (lambda: build(drop=[22])[0], "recurrent weights must both be given"),
    "half_peephole": (lambda: build(peephole=True, drop=[27])[0], "peephole weights must all"),
    "no_input_bias": (lambda: build(drop=[29])[0], "input gate bias must be given"),
    "projection_bias_alone": (lambda: build(projection=True, n_output=3, proj_bias=True,
                                            drop=[16])[0],
                              "projection bias needs projection weights"),
    "aux_weights_half": (lambda: build(aux="weights", drop=[45])[0], "auxiliary weights f, c, o"),
    "aux_weights_no_input": (lambda: build(aux="weights", drop=[39])[0],
                             "auxiliary weights need an auxiliary input"),
    "aux_weights_no_gate_i": (lambda: build(aux="weights", drop=[40])[0],
                              "auxiliary weights i (input 40) are missing"),
    "aux_input_wrong_size": (lambda: build(aux="weights", n_aux=3, drop=range(40, 48))[0],
                             "must have the input's shape"),
    "negative_clip": (lambda: build(cell_clip=-1.0)[0], "clips must be >= 0"),
    "missing_state": (lambda: build(drop=[36])[0], "forward cell state (input 36) is missing"),
}


# LiteRT reads uint8 weights as int8 and per-channel ones with their first
# scale, and dereferences a missing input gate bias or auxiliary input-gate
# weights of a cell with an input gate (crashes: not run).
NOT_REFUSED_BY_LITERT = {"uint8_weights", "hybrid_per_channel", "no_input_bias",
                         "aux_weights_no_gate_i"}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_bidirectional_lstm_errors(case, tfl, litert, tmp_path):
    make, msg = ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(make())
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
    if case not in NOT_REFUSED_BY_LITERT:
        with pytest.raises((RuntimeError, ValueError)):
            litert(path).allocate_tensors()
