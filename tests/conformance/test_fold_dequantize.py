"""DEQUANTIZE of constant weights run once at interpreter creation
(src/runtime/fold.h), against LiteRT's reference kernels: float16 and int8
(per-tensor and per-channel) constants widened for CONV_2D,
DEPTHWISE_CONV_2D, FULLY_CONNECTED and ADD, a widened constant read by two
ops, and the cases where the fold must not apply (the DEQUANTIZE's output is
also a graph output; its input is fed, not constant). The folded constant
itself must hold the bytes the DEQUANTIZE would write (ADD of a fed zero
tensor shows it exactly); convolutions, which now run their packed float
kernels instead of the reference path, must agree within the conformance
tolerance. `tfl bench --json` (folded_nodes) tells which nodes were folded."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402  (the FlatBuffers writer)

RTOL, ATOL = 1e-4, 1e-5  # as test_models.py


def weights(g, v, kind, shape, qdim):
    """A constant of `kind` (float16, int8, int8_pc) and its float32
    DEQUANTIZE output; returns (constant tensor, dequantized tensor, op)."""
    n = fb.count(shape)
    if kind == "float16":
        c = g.const("w_f16", shape, "float16", v.floats(n, -0.5, 0.5))
    elif kind == "int8":
        c = g.const("w_i8", shape, "int8", v.ints(n, -127, 127), fb.q(0.004, 0))
    else:
        scales = [0.002 + 0.001 * i for i in range(shape[qdim])]
        c = g.const("w_i8pc", shape, "int8", v.ints(n, -127, 127), fb.q_channels(scales, qdim))
    w = g.tensor("w", shape, "float32")
    g.op("DEQUANTIZE", [c], [w], version=3 if kind == "float16" else 2)
    return w


def build(op, kind, also_output=False, fed=False, two_readers=False):
    m = fb.Model("tfl fold test")
    g = m.graph()
    v = fb.Values("fold-%s-%s" % (op, kind))
    h, wd, c = 7, 9, 5
    x = g.input("input", [1, h, wd, c], "float32")
    outs = []
    if fed:
        raw = g.input("raw_weights", [c], "float16")
        w = g.tensor("w", [c], "float32")
        g.op("DEQUANTIZE", [raw], [w], version=3)
        y = g.tensor("output", [1, h, wd, c], "float32")
        g.op("ADD", [x, w], [y], fb.options("AddOptions"))
        outs.append(y)
    elif op == "conv":
        w = weights(g, v, kind, [4, 3, 3, c], 0)
        b = g.const("b", [4], "float32", v.floats(4))
        y = g.tensor("output", [1, h, wd, 4], "float32")
        g.op("CONV_2D", [x, w, b], [y],
             fb.options("Conv2DOptions", padding=fb.SAME, stride_w=1, stride_h=1))
        outs.append(y)
        if two_readers:
            y2 = g.tensor("output2", [1, h, wd, 4], "float32")
            g.op("CONV_2D", [x, w, b], [y2],
                 fb.options("Conv2DOptions", padding=fb.SAME, stride_w=1, stride_h=1,
                            fused_activation_function=fb.RELU))
            outs.append(y2)
    elif op == "depthwise":
        w = weights(g, v, kind, [1, 3, 3, c], 3)
        b = g.const("b", [c], "float32", v.floats(c))
        y = g.tensor("output", [1, h, wd, c], "float32")
        g.op("DEPTHWISE_CONV_2D", [x, w, b], [y],
             fb.options("DepthwiseConv2DOptions", padding=fb.SAME, stride_w=1, stride_h=1,
                        depth_multiplier=1))
        outs.append(y)
    elif op == "fc":
        w = weights(g, v, kind, [6, h * wd * c], 0)
        y = g.tensor("output", [1, 6], "float32")
        g.op("FULLY_CONNECTED", [x, w, -1], [y], fb.options("FullyConnectedOptions"))
        outs.append(y)
    else:  # add: output = input + widened constant, exact
        w = weights(g, v, kind, [1, h, wd, c], 3)
        y = g.tensor("output", [1, h, wd, c], "float32")
        g.op("ADD", [x, w], [y], fb.options("AddOptions"))
        outs.append(y)
    if also_output:
        outs.append(w)
    g.output(*outs)
    return bytes(m.serialize())


CASES = {
    # name: (build kwargs, whether node 0 (the DEQUANTIZE) is folded)
    "conv_float16": (dict(op="conv", kind="float16"), True),
    "conv_int8_per_channel": (dict(op="conv", kind="int8_pc"), True),
    "conv_two_readers": (dict(op="conv", kind="float16", two_readers=True), True),
    "depthwise_float16": (dict(op="depthwise", kind="float16"), True),
    "depthwise_int8_per_channel": (dict(op="depthwise", kind="int8_pc"), True),
    "fc_float16": (dict(op="fc", kind="float16"), True),
    "fc_int8": (dict(op="fc", kind="int8"), True),
    "add_float16": (dict(op="add", kind="float16"), True),
    "add_int8_per_channel": (dict(op="add", kind="int8_pc"), True),
    "also_graph_output": (dict(op="conv", kind="float16", also_output=True), False),
    "fed_input": (dict(op="add", kind="float16", fed=True), False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_folded_dequantize_matches_litert(name, tfl, litert, tmp_path):
    kwargs, folded = CASES[name]
    path = tmp_path / (name + ".tflite")
    path.write_bytes(build(**kwargs))
    ref = litert(path)
    ref.allocate_tensors()
    rng = np.random.default_rng(list(name.encode()))
    feeds = []
    for i, d in enumerate(ref.get_input_details()):
        x = rng.uniform(-1, 1, size=d["shape"]).astype(d["dtype"])
        if kwargs["op"] == "add" and i == 0:
            x[:] = 0  # output == the widened constant, bit for bit
        ref.set_tensor(d["index"], x)
        np.save(tmp_path / f"in{i}.npy", x)
        feeds += ["-i", tmp_path / f"in{i}.npy"]
    ref.invoke()
    want = [ref.get_tensor(o["index"]) for o in ref.get_output_details()]
    exact = kwargs["op"] == "add"
    for threads in (1, 2):
        out = tmp_path / ("out%d" % threads)
        p = tfl("run", path, *feeds, "-o", out, "--threads", threads)
        assert p.returncode == 0, p.stderr
        for i, w in enumerate(want):
            got = np.load(out / f"output_{i}.npy")
            assert got.dtype == w.dtype and got.shape == w.shape
            if exact or (kwargs.get("also_output") and i == 1):
                assert np.array_equal(got, w), f"{threads} threads, output {i} differs"
            else:
                scale = float(np.abs(w).max())
                err = np.abs(got.astype(np.float64) - w)
                assert np.all(err <= ATOL * scale + RTOL * np.abs(w)), \
                    f"{threads} threads, output {i}: max error {err.max():.3g}"
    p = tfl("bench", path, "--runs", 1, "--warmup", 0, "--json")
    assert p.returncode == 0, p.stderr
    assert (0 in json.loads(p.stdout)["folded_nodes"]) == folded


def test_fold_respects_memory_limit(tfl, tmp_path):
    """The folded constant counts against tfl_options.max_memory: a limit
    below its size fails with a message that says so."""
    path = tmp_path / "fc.tflite"
    path.write_bytes(build(op="fc", kind="float16"))  # 6 x 315 floats: 7560 bytes
    p = tfl("run", path, "--max-memory", 4096)
    assert p.returncode != 0
    assert "folded constant" in p.stderr and "max_memory" in p.stderr, p.stderr
