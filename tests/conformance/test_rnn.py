"""RNN and UNIDIRECTIONAL_SEQUENCE_RNN against LiteRT's reference kernels:
float32 within 1e-5 (the same dot products in the same order; libm's tanhf
against Eigen's moves the last bits) and hybrid (int8 weights, float input
quantized per row, symmetric or asymmetric) within float rounding of the
output's magnitude. Time- and batch-major, one and several batches, every
activation TFLite applies, the hidden state carried into a second invoke.
Errors: an int8 input, a state that is not a variable, per-channel hybrid
weights, mismatched weights."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402

ACT = {"none": 0, "relu": 1, "relu_n1_to_1": 2, "relu6": 3, "tanh": 4, "sign_bit": 5}


def build(sequence=True, n_batch=2, n_time=3, n_input=4, n_units=5, time_major=False,
          act="tanh", hybrid=False, asymmetric=False, state_variable=True, per_channel=False,
          input_dtype="float32", r_units=None, seed=0):
    rng = np.random.default_rng(seed)
    m = fb.Model("tfl rnn test")
    g = m.graph()

    def weights(name, shape):
        n = int(np.prod(shape))
        if hybrid:
            quant = fb.q_channels([0.004, 0.005, 0.006, 0.007, 0.008][:shape[0]], 0) \
                if per_channel else fb.q(0.0057 if name == "w" else 0.0043)
            return g.const(name, shape, "int8", [int(v) for v in rng.integers(-127, 128, n)],
                           quant=quant)
        return g.const(name, shape, "float32", [round(float(v), 4)
                                                for v in rng.uniform(-0.6, 0.6, n)])

    if sequence:
        shape = [n_time, n_batch, n_input] if time_major else [n_batch, n_time, n_input]
    else:
        shape = [n_batch, n_input]
    x = g.input("x", shape, input_dtype,
                quant=fb.q(0.05) if input_dtype == "int8" else None)
    w = weights("w", [n_units, n_input])
    r = weights("r", [n_units, r_units or n_units])
    b = g.const("b", [n_units], "float32", [round(float(v), 3)
                                             for v in rng.uniform(-0.3, 0.3, n_units)])
    h = g.tensor("h", [n_batch, n_units], "float32", variable=state_variable)
    y = g.tensor("y", shape[:-1] + [n_units], "float32")
    if sequence:
        g.op("UNIDIRECTIONAL_SEQUENCE_RNN", [x, w, r, b, h], [y],
             fb.options("SequenceRNNOptions", time_major=time_major,
                        fused_activation_function=ACT[act], asymmetric_quantize_inputs=asymmetric),
             version=3 if asymmetric else (2 if hybrid else 1))
    else:
        g.op("RNN", [x, w, r, b, h], [y],
             fb.options("RNNOptions", fused_activation_function=ACT[act],
                        asymmetric_quantize_inputs=asymmetric),
             version=3 if asymmetric else (2 if hybrid else 1))
    g.output(y)
    return bytes(m.serialize()), shape


CASES = {
    "rnn": dict(sequence=False),
    "rnn_relu": dict(sequence=False, act="relu", n_batch=3),
    "seq": dict(),
    "seq_time_major": dict(time_major=True, n_batch=3),
    "seq_wide": dict(n_input=30, n_units=17, n_time=6),
    **{f"seq_{a}": dict(act=a) for a in ACT},
    "rnn_hybrid": dict(sequence=False, hybrid=True),
    "rnn_hybrid_asym": dict(sequence=False, hybrid=True, asymmetric=True),
    "seq_hybrid": dict(hybrid=True),
    "seq_hybrid_time_major": dict(hybrid=True, time_major=True, n_batch=3),
    "seq_hybrid_asym": dict(hybrid=True, asymmetric=True, act="relu"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rnn_matches_litert(case, tfl, litert, tmp_path):
    kw = CASES[case]
    model, shape = build(seed=len(case), **kw)
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    x = np.random.default_rng(list(case.encode())).uniform(-1.5, 1.5, shape).astype(np.float32)
    ref = litert(path)
    ref.allocate_tensors()
    for _ in range(2):  # the second invoke starts from the first's hidden state
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
        assert got.shape == want.shape and got.dtype == want.dtype
        if kw.get("hybrid"):
            tol = 8 * np.finfo(np.float32).eps * max(1.0, float(np.abs(want).max()))
            assert np.allclose(got, want, rtol=1e-6, atol=tol), np.abs(got - want).max()
        else:
            assert np.allclose(got, want, rtol=1e-5, atol=1e-6), np.abs(got - want).max()


ERRORS = {
    "int8_input": (dict(input_dtype="int8"), "input type int8 not supported"),
    "not_variable": (dict(state_variable=False), "must be a variable"),
    "per_channel_hybrid": (dict(hybrid=True, per_channel=True), "need one scale"),
    "recurrent_shape": (dict(r_units=4), "recurrent weights must be [5, 5]"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_rnn_errors(case, tfl, tmp_path):
    kw, msg = ERRORS[case]
    model, _ = build(**kw)
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr


def build_bidi(n_batch=2, n_time=3, n_input=4, fw_units=5, bw_units=3, time_major=False,
               merge=False, aux="none", n_aux=None, act="tanh", hybrid=False, asymmetric=False,
               seed=0):
    """aux: none, stacking (auxiliary input and weights), non_stacking (an
    auxiliary input without weights, which LiteRT ignores)."""
    rng = np.random.default_rng(seed)
    m = fb.Model("tfl bidirectional rnn test")
    g = m.graph()
    n_aux = n_aux or n_input

    def weights(name, shape):
        n = int(np.prod(shape))
        if hybrid:
            return g.const(name, shape, "int8", [int(v) for v in rng.integers(-127, 128, n)],
                           quant=fb.q(0.004 + 0.001 * len(name)))
        return g.const(name, shape, "float32", [round(float(v), 4)
                                                for v in rng.uniform(-0.6, 0.6, n)])

    def seq(n):
        return [n_time, n_batch, n] if time_major else [n_batch, n_time, n]

    x = g.input("x", seq(n_input), "float32")
    ins = [x]
    for tag, units in (("fw", fw_units), ("bw", bw_units)):
        ins += [weights(tag + "_w", [units, n_input]), weights(tag + "_r", [units, units]),
                g.const(tag + "_b", [units], "float32",
                        [round(float(v), 3) for v in rng.uniform(-0.3, 0.3, units)]),
                g.tensor(tag + "_h", [n_batch, units], "float32", variable=True)]
    if aux == "none":
        ins += [-1, -1, -1]
    else:
        ins.append(g.input("aux", seq(n_aux), "float32"))
        if aux == "stacking":
            ins += [weights("fw_aux", [fw_units, n_aux]), weights("bw_aux", [bw_units, n_aux])]
        else:
            ins += [-1, -1]
    outs = [g.tensor("fw_y", seq(fw_units + bw_units if merge else fw_units), "float32")]
    if not merge:
        outs.append(g.tensor("bw_y", seq(bw_units), "float32"))
    g.op("BIDIRECTIONAL_SEQUENCE_RNN", ins, outs,
         fb.options("BidirectionalSequenceRNNOptions", time_major=time_major,
                    fused_activation_function=ACT[act], merge_outputs=merge,
                    asymmetric_quantize_inputs=asymmetric),
         version=3 if asymmetric else (2 if hybrid else 1))
    g.output(*outs)
    return bytes(m.serialize())


BIDI_CASES = {
    "basic": dict(),
    "merge": dict(merge=True),
    "time_major": dict(time_major=True, n_batch=3),
    "time_major_merge_relu": dict(time_major=True, merge=True, act="relu"),
    "stacking": dict(aux="stacking", n_aux=6),
    "stacking_time_major": dict(aux="stacking", time_major=True),
    "non_stacking": dict(aux="non_stacking"),
    "hybrid": dict(hybrid=True),
    "hybrid_asym_stacking": dict(hybrid=True, asymmetric=True, aux="stacking", merge=True),
}


@pytest.mark.parametrize("case", sorted(BIDI_CASES))
def test_bidirectional_rnn_matches_litert(case, tfl, litert, tmp_path):
    kw = BIDI_CASES[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build_bidi(seed=len(case), **kw))
    ref = litert(path)
    ref.allocate_tensors()
    rng = np.random.default_rng(list(case.encode()))
    feeds = [rng.uniform(-1.5, 1.5, d["shape"]).astype(np.float32)
             for d in ref.get_input_details()]
    for _ in range(2):
        for d, v in zip(ref.get_input_details(), feeds):
            ref.set_tensor(d["index"], v)
        ref.invoke()
    want = [ref.get_tensor(d["index"]) for d in ref.get_output_details()]
    args = []
    for i, v in enumerate(feeds):
        np.save(tmp_path / f"in{i}.npy", v)
        args += ["-i", tmp_path / f"in{i}.npy"]
    p = tfl("run", path, *args, "-o", tmp_path / "out", "--repeat", 2)
    assert p.returncode == 0, p.stderr
    for i, w in enumerate(want):
        got = np.load(tmp_path / "out" / f"output_{i}.npy")
        assert got.shape == w.shape
        tol = 8 * np.finfo(np.float32).eps * max(1.0, float(np.abs(w).max()))
        assert np.allclose(got, w, rtol=1e-5, atol=max(tol, 1e-6)), (i, np.abs(got - w).max())


def test_bidirectional_rnn_aux_size_refused(tfl, tmp_path):
    path = tmp_path / "aux.tflite"
    path.write_bytes(build_bidi(aux="stacking", n_aux=6, time_major=True))
    p = tfl("run", path)
    assert p.returncode == 1 and "reads it by the input's size" in p.stderr, p.stderr
