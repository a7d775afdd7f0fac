"""Hybrid (dynamic-range) TRANSPOSE_CONV against LiteRT's reference: float32
input, bias and output with an int8 filter, per tensor or per output
channel, as TensorFlow's converter writes it without a representative
dataset. TFLite quantizes each batch image asymmetrically on the fly, so
the int32 products are exact; the float scatter-adds run in TFLite's order,
and the results agree within a few float32 ulps of the output's magnitude
(1 and 2 threads give the same bytes).

LiteRT quirk: ai-edge-litert 2.3.0 computes an image's quantization scale as
if rmax - rmin were rounded to float32 before the division (its source's
AsymmetricQuantizeFloats subtracts in double). tfl's hybrid quantization
(src/kernels/hybrid.c) follows the binary, which makes these cases bit for
bit equal; the tolerance stays for the float accumulation.

Cases: strides 1 to 3, SAME and VALID, odd sizes, several batches, with and
without bias, RELU and RELU6, an output_shape fed at run time, a filter
zero point (TFLite ignores it), an all-zero input and an all-zero batch, a
NaN in one batch; 1 and 2 threads. Errors: a uint8 filter, an int8 filter
without quantization, scales on the wrong dimension, an int32 bias."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import outputs  # noqa: E402

SAME, VALID = 0, 1
RELU, RELU6 = 1, 3


def out_size(n, f, s, padding):
    return n * s if padding == SAME else (n - 1) * s + f


def build(in_shape, out_c, k, stride, padding, per_channel=True, bias=True, act=0,
          fed_shape=False, filter_dtype="int8", quant="ok", bias_dtype="float32", zero_point=0,
          seed=0):
    m = fb.Model("tfl hybrid transpose conv test")
    g = m.graph()
    rng = np.random.default_rng(seed)
    n, h, w, c = in_shape
    shape = [n, out_size(h, k, stride, padding), out_size(w, k, stride, padding), out_c]
    fshape = [out_c, k, k, c]
    count = out_c * k * k * c
    x = g.input("x", in_shape, "float32")
    lo, hi = (-127, 127) if filter_dtype == "int8" else (0, 255)
    vals = [int(v) for v in rng.integers(lo, hi + 1, count)]
    if quant == "none":
        wq = None
    elif quant == "input_dim":  # one scale per input channel, on dimension 3
        wq = fb.q_channels([float(s) for s in rng.uniform(0.002, 0.02, c)], 3)
    elif per_channel:
        wq = fb.q_channels([float(s) for s in rng.uniform(0.002, 0.02, out_c)], 0)
    else:
        wq = fb.q(0.0123, zero_point)
    wt = g.const("w", fshape, filter_dtype, vals, wq)
    if bias_dtype == "float32":
        b = g.const("b", [out_c], "float32", [float(v) for v in rng.uniform(-1, 1, out_c)])
    else:
        b = g.const("b", [out_c], "int32", [int(v) for v in rng.integers(-99, 99, out_c)],
                    fb.q(0.001))
    y = g.tensor("y", shape, "float32")
    sh = g.input("shape", [4], "int32") if fed_shape else g.const("shape", [4], "int32", shape)
    g.op("TRANSPOSE_CONV", [sh, wt, x] + ([b] if bias else []), [y],
         fb.options("TransposeConvOptions", padding=padding, stride_w=stride, stride_h=stride,
                    fused_activation_function=act), version=4 if act else 3)
    g.output(y)
    return bytes(m.serialize()), shape


def max_ulps(g, w):
    """Largest difference in float32 ulps of the output's largest magnitude."""
    ulp = np.spacing(np.float32(max(float(np.abs(w).max()), 1e-30)))
    return float(np.abs(g.astype(np.float64) - w.astype(np.float64)).max() / ulp)


def check_close(got, want, ulps=4):
    assert all(g.tobytes() == got[0].tobytes() for g in got), "1 and 2 threads differ"
    for g in got:
        assert g.dtype == want.dtype and g.shape == want.shape, (g.shape, want.shape)
        finite = np.isfinite(want)
        assert np.array_equal(np.isnan(g), np.isnan(want))
        assert max_ulps(g[finite], want[finite]) <= ulps, max_ulps(g[finite], want[finite])


CASES = {  # in_shape, out_c, k, stride, padding, keyword arguments
    "s2_same": ([1, 4, 5, 3], 4, 3, 2, SAME, {}),
    "s2_same_per_tensor": ([1, 4, 5, 3], 4, 3, 2, SAME, dict(per_channel=False)),
    "s1_valid_batches": ([3, 3, 3, 2], 5, 2, 1, VALID, {}),
    "s1_same_odd_nobias": ([2, 5, 7, 3], 6, 3, 1, SAME, dict(bias=False, per_channel=False)),
    "s2_valid_nobias": ([2, 3, 2, 4], 3, 4, 2, VALID, dict(bias=False)),
    "s3_valid": ([1, 3, 2, 5], 3, 4, 3, VALID, {}),
    "s2_relu": ([2, 5, 4, 2], 6, 3, 2, SAME, dict(act=RELU)),
    "s1_relu6_per_tensor": ([1, 4, 4, 3], 2, 3, 1, SAME, dict(act=RELU6, per_channel=False)),
    "k1": ([2, 3, 3, 7], 5, 1, 2, SAME, {}),
    "wide": ([2, 9, 7, 16], 12, 3, 2, SAME, {}),
    "filter_zero_point": ([1, 4, 4, 3], 4, 3, 2, SAME, dict(per_channel=False, zero_point=9)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hybrid_transpose_conv(case, tfl, litert, tmp_path):
    in_shape, out_c, k, stride, padding, kw = CASES[case]
    model, _ = build(in_shape, out_c, k, stride, padding, seed=len(case), **kw)
    x = np.random.default_rng(list(case.encode())).uniform(-3, 3, in_shape).astype(np.float32)
    want, got = outputs(tfl, litert, tmp_path, model, [x], case)
    check_close(got, want)


def test_hybrid_transpose_conv_fed_shape(tfl, litert, tmp_path):
    model, shape = build([2, 3, 4, 2], 3, 3, 2, SAME, fed_shape=True)
    x = np.random.default_rng(5).uniform(-2, 2, [2, 3, 4, 2]).astype(np.float32)
    want, got = outputs(tfl, litert, tmp_path, model, [x, np.array(shape, np.int32)], "fed")
    check_close(got, want)


@pytest.mark.parametrize("values", ["zeros", "one_zero_batch", "constant", "nan"])
def test_hybrid_transpose_conv_edge_inputs(values, tfl, litert, tmp_path):
    in_shape = [3, 3, 4, 2]
    model, _ = build(in_shape, 4, 3, 2, SAME)
    x = np.random.default_rng(2).uniform(-1, 1, in_shape).astype(np.float32)
    if values == "zeros":
        x[:] = 0
    elif values == "one_zero_batch":
        x[1] = 0
    elif values == "constant":  # a batch of one positive value: scale from [0, v]
        x[2] = 0.75
    else:
        x[0, 1, 2, 1] = np.nan
    want, got = outputs(tfl, litert, tmp_path, model, [x], values)
    if values == "nan":
        # The batch holding the NaN has no meaningful scale in either
        # runtime; the other batches must agree.
        check_close([g[1:] for g in got], want[1:])
    else:
        check_close(got, want)


@pytest.mark.parametrize("case,kw,msg", [
    ("uint8_filter", dict(filter_dtype="uint8"), "uint8 filter is not supported"),
    ("unquantized_filter", dict(quant="none"), "the int8 filter is not quantized"),
    ("input_dim_scales", dict(quant="input_dim"),
     "filter has 3 scales on dimension 3, expected 1, or 4 on dimension 0"),
    ("int32_bias", dict(bias_dtype="int32"), "needs a float32 bias, not int32"),
])
def test_hybrid_transpose_conv_errors(case, kw, msg, tfl, tmp_path):
    model, _ = build([1, 3, 3, 3], 4, 3, 2, SAME, **kw)
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "TRANSPOSE_CONV (node 0)" in p.stderr, p.stderr
