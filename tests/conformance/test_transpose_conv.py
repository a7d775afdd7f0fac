"""TRANSPOSE_CONV against LiteRT's reference kernels, byte for byte: float32,
uint8 (per-tensor), int8 (per-channel) and int16 activations with int8
weights (int64 bias); strides 1 to 3, SAME and VALID, odd sizes, with and
without bias, a fused RELU (version 4); output_shape constant and fed; 1
and 2 threads. Errors: a filter of other channels, an output_shape that
does not match. (The SEANet int16 goldens in ../shared test the int16
path on published models too.)"""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402

SAME, VALID = 0, 1


def out_size(n, f, s, padding):
    return n * s if padding == SAME else (n - 1) * s + f


def build(dtype, in_shape, out_c, k, stride, padding, bias=True, act=0, fed_shape=False,
          out_shape=None, filt_in=None):
    m = fb.Model("tfl transpose conv test")
    g = m.graph()
    rng = np.random.default_rng(in_shape[1] * 7 + stride)
    n, h, w, c = in_shape
    oh, ow = out_size(h, k, stride, padding), out_size(w, k, stride, padding)
    shape = out_shape or [n, oh, ow, out_c]
    fin = filt_in or c
    fshape = [out_c, k, k, fin]
    count = out_c * k * k * fin
    if dtype == "float32":
        x = g.input("x", in_shape, "float32")
        wt = g.const("w", fshape, "float32", [round(float(v), 3) for v in rng.uniform(-1, 1, count)])
        b = g.const("b", [out_c], "float32", [float(v) for v in rng.uniform(-1, 1, out_c)])
        y = g.tensor("y", shape, "float32")
    else:
        qin = {"uint8": fb.q(0.05, 128), "int8": fb.q(0.05, -3), "int16": fb.q(0.01, 0)}[dtype]
        qout = {"uint8": fb.q(0.2, 120), "int8": fb.q(0.2, 5), "int16": fb.q(0.05, 0)}[dtype]
        x = g.input("x", in_shape, dtype, qin)
        if dtype == "uint8":
            wq = fb.q(0.02, 130)
            wt = g.const("w", fshape, "uint8", [int(v) for v in rng.integers(0, 256, count)], wq)
            bscale = [0.05 * 0.02]
        else:
            scales = [0.01 + 0.005 * i for i in range(out_c)]
            wq = fb.q_channels(scales, 0)
            wt = g.const("w", fshape, "int8", [int(v) for v in rng.integers(-127, 128, count)], wq)
            bscale = [qin[0][0] * s for s in scales]
        btype = "int64" if dtype == "int16" else "int32"
        b = g.const("b", [out_c], btype, [int(v) for v in rng.integers(-3000, 3000, out_c)],
                    fb.q_channels(bscale, 0) if len(bscale) > 1 else fb.q(bscale[0], 0))
        y = g.tensor("y", shape, dtype, qout)
    sh = g.input("shape", [4], "int32") if fed_shape else g.const("shape", [4], "int32", shape)
    ins = [sh, wt, x] + ([b] if bias else [])
    g.op("TRANSPOSE_CONV", ins, [y],
         fb.options("TransposeConvOptions", padding=padding, stride_w=stride, stride_h=stride,
                    fused_activation_function=act), version=4 if act else 3)
    g.output(y)
    return bytes(m.serialize()), shape


def feed(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    if dtype == "float32":
        return rng.uniform(-1, 1, shape).astype(np.float32)
    info = np.iinfo(dtype)
    lo, hi = (info.min, info.max) if dtype != "int16" else (-3000, 3000)
    return rng.integers(lo, hi + 1, shape).astype(dtype)


CASES = {  # in_shape, out_c, k, stride, padding, bias, act
    "s2_same": ([1, 4, 5, 3], 4, 3, 2, SAME, True, 0),
    "s1_valid": ([2, 3, 3, 2], 5, 2, 1, VALID, True, 0),
    "s3_valid_nobias": ([1, 3, 2, 4], 3, 4, 3, VALID, False, 0),
    "s2_relu": ([1, 5, 4, 2], 6, 3, 2, SAME, True, 1),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("dtype", ["float32", "uint8", "int8", "int16"])
def test_transpose_conv(dtype, case, tfl, litert, tmp_path):
    in_shape, out_c, k, stride, padding, bias, act = CASES[case]
    model, _ = build(dtype, in_shape, out_c, k, stride, padding, bias, act)
    compare(tfl, litert, tmp_path, model, [feed(dtype, in_shape, stride)], f"tc_{dtype}_{case}")


@pytest.mark.parametrize("dtype", ["float32", "int8"])
def test_transpose_conv_fed_shape(dtype, tfl, litert, tmp_path):
    model, shape = build(dtype, [1, 3, 4, 2], 3, 3, 2, SAME, fed_shape=True)
    compare(tfl, litert, tmp_path, model, [feed(dtype, [1, 3, 4, 2], 1), np.array(shape, np.int32)],
            f"tc_fed_{dtype}")


@pytest.mark.parametrize("case", ["channels", "shape"])
def test_errors(case, tfl, tmp_path):
    if case == "channels":
        model, _ = build("float32", [1, 3, 3, 2], 4, 3, 1, SAME, filt_in=3)
        msg = "input has 2 channels, the filter 3"
    else:
        model, _ = build("float32", [1, 3, 3, 2], 4, 3, 1, SAME, out_shape=[1, 3, 3, 5])
        msg = "does not match"
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr


def test_work_is_capped(tfl, tmp_path):
    """Each input element meets f_h * f_w * out_c filter taps: max_work
    counts them."""
    model, _ = build("float32", [1, 8, 8, 4], 16, 5, 2, SAME)  # 256 * 25 * 16 = 102400
    path = tmp_path / "tc.tflite"
    path.write_bytes(model)
    p = tfl("run", path, "--max-work", 50000)
    assert p.returncode != 0 and "operations per invoke" in p.stderr, p.stderr
    assert tfl("run", path, "--max-work", 10000000).returncode == 0
