"""CONV_3D (float32) against LiteRT's reference kernels, byte for byte:
SAME and VALID, strides and dilations per axis, with and without bias, a
fused RELU6; 1 and 2 threads. Errors: quantized input (TFLite has no
quantized CONV_3D), channels that do not match."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402

SAME, VALID = 0, 1


def out_size(n, f, s, dil, padding):
    eff = (f - 1) * dil + 1
    return -(-n // s) if padding == SAME else (n - eff + s) // s


def build(in_shape, f_shape, padding, strides, dils, bias=True, act=0, dtype="float32"):
    m = fb.Model("tfl conv3d test")
    g = m.graph()
    rng = np.random.default_rng(sum(in_shape) + sum(f_shape) + padding)
    x = g.input("x", in_shape, dtype)
    w = g.const("w", f_shape, dtype, [round(float(v), 3) for v in
                                      rng.uniform(-1, 1, int(np.prod(f_shape)))])
    ins = [x, w]
    if bias:
        ins.append(g.const("b", [f_shape[4]], dtype, [float(v) for v in
                                                       rng.uniform(-1, 1, f_shape[4])]))
    out = [in_shape[0]] + [out_size(in_shape[1 + i], f_shape[i], strides[i], dils[i], padding)
                           for i in range(3)] + [f_shape[4]]
    y = g.tensor("y", out, dtype)
    g.op("CONV_3D", ins, [y], fb.options(
        "Conv3DOptions", padding=padding, stride_d=strides[0], stride_h=strides[1],
        stride_w=strides[2], fused_activation_function=act, dilation_d_factor=dils[0],
        dilation_h_factor=dils[1], dilation_w_factor=dils[2]))
    g.output(y)
    return bytes(m.serialize())


CASES = {
    "same": ([1, 4, 5, 6, 3], [3, 3, 3, 3, 4], SAME, (1, 1, 1), (1, 1, 1), True, 0),
    "valid_strided": ([2, 5, 6, 7, 2], [2, 3, 2, 2, 3], VALID, (2, 1, 2), (1, 1, 1), False, 0),
    "dilated_relu6": ([1, 6, 6, 6, 2], [2, 2, 2, 2, 2], SAME, (1, 2, 1), (2, 1, 2), True, 3),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_conv_3d(case, tfl, litert, tmp_path):
    in_shape, f_shape, padding, strides, dils, bias, act = CASES[case]
    x = np.random.default_rng(1).uniform(-1, 1, in_shape).astype(np.float32)
    compare(tfl, litert, tmp_path, build(in_shape, f_shape, padding, strides, dils, bias, act),
            [x], f"conv3d_{case}")


@pytest.mark.parametrize("case", ["int8", "channels"])
def test_errors(case, tfl, tmp_path):
    if case == "int8":
        m = fb.Model("t")
        g = m.graph()
        x = g.input("x", [1, 2, 2, 2, 1], "int8", fb.q(0.1, 0))
        w = g.const("w", [1, 1, 1, 1, 1], "int8", [1], fb.q(0.1, 0))
        y = g.tensor("y", [1, 2, 2, 2, 1], "int8", fb.q(0.1, 0))
        g.op("CONV_3D", [x, w], [y], fb.options("Conv3DOptions", stride_d=1, stride_h=1,
                                                stride_w=1))
        g.output(y)
        model, msg = bytes(m.serialize()), "float32 only"
    else:
        model = build([1, 2, 2, 2, 3], [1, 1, 1, 2, 2], SAME, (1, 1, 1), (1, 1, 1))
        msg = "input has 3 channels, the filter 2"
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
