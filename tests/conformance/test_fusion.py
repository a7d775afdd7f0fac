"""PAD folded into the convolution after it (src/runtime/fuse.h), against
LiteRT's reference kernels: small generated models where the fold applies
(PAD or PADV2 with the zero point, then CONV_2D or DEPTHWISE_CONV_2D with
VALID padding, symmetric and lopsided pads, strides 1 and 2, int8 and
uint8) and where it must not (the PAD's output also a graph output, read
twice, a PADV2 value that is not the zero point, SAME padding after it).
Outputs must match byte for byte, with 1 and 2 threads; `tfl bench --json`
(folded_nodes) tells whether the PAD ran."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402  (the FlatBuffers writer)

VALID, SAME = 1, 0


def build(kind="depthwise", dtype="int8", pads=((1, 1), (1, 1)), stride=1, v2_value=None,
          also_output=False, read_twice=False, padding=VALID, size=(9, 11), channels=6):
    """PAD -> conv; returns the model bytes."""
    m = fb.Model("tfl fusion test")
    g = m.graph()
    v = fb.Values("fusion-%s-%s-%s-%d" % (kind, dtype, pads, stride))
    zp = 3 if dtype == "int8" else 131
    aq = fb.q(0.05, zp)
    h, w = size
    x = g.input("input", [1, h, w, channels], dtype, aq)
    ph, pw = pads
    pad_t = g.const("paddings", [4, 2], "int32", [0, 0, ph[0], ph[1], pw[0], pw[1], 0, 0])
    ins = [x, pad_t]
    if v2_value is not None:
        ins.append(g.const("value", [1], dtype, [v2_value], aq))
    padded = [1, h + ph[0] + ph[1], w + pw[0] + pw[1], channels]
    y = g.tensor("padded", padded, dtype, aq)
    g.op("PADV2" if v2_value is not None else "PAD", ins, [y],
         fb.options("PadV2Options" if v2_value is not None else "PadOptions"))
    out_c = channels if kind == "depthwise" else 5
    if kind == "depthwise":
        wt, b = fb.conv_weights(g, v, dtype, [1, 3, 3, out_c], 3, dtype == "int8", 0.05)
    else:
        wt, b = fb.conv_weights(g, v, dtype, [out_c, 3, 3, channels], 0, dtype == "int8", 0.05)
    if padding == VALID:
        oh, ow = (padded[1] - 3) // stride + 1, (padded[2] - 3) // stride + 1
    else:
        oh, ow = -(-padded[1] // stride), -(-padded[2] // stride)
    z = g.tensor("output", [1, oh, ow, out_c], dtype, fb.q(0.08, zp - 1))
    if kind == "depthwise":
        opts = fb.options("DepthwiseConv2DOptions", padding=padding, stride_w=stride,
                          stride_h=stride, depth_multiplier=1)
    else:
        opts = fb.options("Conv2DOptions", padding=padding, stride_w=stride, stride_h=stride)
    g.op("DEPTHWISE_CONV_2D" if kind == "depthwise" else "CONV_2D", [y, wt, b], [z], opts)
    outs = [z]
    if read_twice:
        z2 = g.tensor("twice", padded, dtype, aq)
        g.op("RELU", [y], [z2])
        outs.append(z2)
    if also_output:
        outs.append(y)
    g.output(*outs)
    return bytes(m.serialize())


CASES = {
    # name: (build kwargs, whether the PAD is folded)
    "dw_int8_same_pads": (dict(), True),
    "dw_uint8_lopsided_stride2": (dict(dtype="uint8", pads=((0, 1), (0, 1)), stride=2), True),
    "dw_int8_bottom_right_only": (dict(pads=((0, 3), (0, 2))), True),
    "conv_int8_lopsided": (dict(kind="conv", pads=((2, 0), (1, 3))), True),
    "conv_uint8_stride2": (dict(kind="conv", dtype="uint8", stride=2), True),
    "padv2_zero_point": (dict(v2_value=3), True),
    "padv2_other_value": (dict(v2_value=7), False),
    "pad_also_graph_output": (dict(also_output=True), False),
    "pad_read_twice": (dict(read_twice=True), False),
    "same_padding_after": (dict(padding=SAME), False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fused_pad_matches_litert(name, tfl, litert, tmp_path):
    kwargs, folded = CASES[name]
    path = tmp_path / (name + ".tflite")
    path.write_bytes(build(**kwargs))
    ref = litert(path)
    ref.allocate_tensors()
    d = ref.get_input_details()[0]
    rng = np.random.default_rng(list(name.encode()))
    info = np.iinfo(d["dtype"])
    x = rng.integers(info.min, info.max + 1, size=d["shape"], dtype=d["dtype"])
    ref.set_tensor(d["index"], x)
    ref.invoke()
    want = [ref.get_tensor(o["index"]) for o in ref.get_output_details()]
    np.save(tmp_path / "in.npy", x)
    for threads in (1, 2):
        out = tmp_path / ("out%d" % threads)
        p = tfl("run", path, "-i", tmp_path / "in.npy", "-o", out, "--threads", threads)
        assert p.returncode == 0, p.stderr
        for i, w in enumerate(want):
            got = np.load(out / f"output_{i}.npy")
            assert got.dtype == w.dtype and got.shape == w.shape
            assert np.array_equal(got, w), f"{threads} threads, output {i}: " \
                f"{int((got != w).sum())} of {w.size} elements differ"
    p = tfl("bench", path, "--runs", 1, "--warmup", 0, "--json")
    assert p.returncode == 0, p.stderr
    # The PAD is node 0 of every case.
    assert (json.loads(p.stdout)["folded_nodes"] == [0]) == folded
