"""Dynamic-range ("hybrid") kernels against LiteRT's reference: float32
activations with int8 weights, as TensorFlow's converter writes them
without a representative dataset. The input is quantized per batch row on
the fly (symmetric, or asymmetric with asymmetric_quantize_inputs), so the
int32 products are exact and the float results agree within a few float32
ulps of the output's magnitude (the final scale and add).

FULLY_CONNECTED: per-tensor and per-channel filters, with and without bias,
several batches, keep_num_dims, RELU, asymmetric inputs, an all-zero input
(TFLite's shortcut), NaN and inf in the input. Errors: a uint8 filter, an
int8 filter without quantization."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import asymmetric_quantize, outputs  # noqa: E402

RELU = 1


def fc_model(batch=3, depth=7, units=5, per_channel=False, bias=True, asymmetric=False,
             act=0, keep_dims=False, in_shape=None, filter_dtype="int8", quantized=True, seed=0):
    rng = np.random.default_rng(seed)
    m = fb.Model("tfl hybrid fc test")
    g = m.graph()
    shape = in_shape or [batch, depth]
    x = g.input("x", shape, "float32")
    lo, hi = (-127, 127) if filter_dtype == "int8" else (0, 255)
    vals = [int(v) for v in rng.integers(lo, hi + 1, units * depth)]
    if not quantized:
        quant = None
    elif per_channel:
        quant = fb.q_channels([float(s) for s in rng.uniform(0.002, 0.02, units)], 0)
    else:
        quant = fb.q(0.0123)
    w = g.const("w", [units, depth], filter_dtype, vals, quant=quant)
    b = g.const("b", [units], "float32", [round(float(v), 3) for v in rng.uniform(-1, 1, units)]) \
        if bias else -1
    out_shape = shape[:-1] + [units] if keep_dims else [int(np.prod(shape)) // depth, units]
    y = g.tensor("y", out_shape, "float32")
    g.op("FULLY_CONNECTED", [x, w, b], [y],
         fb.options("FullyConnectedOptions", fused_activation_function=act,
                    keep_num_dims=keep_dims, asymmetric_quantize_inputs=asymmetric),
         version=9 if asymmetric else 3)
    g.output(y)
    return bytes(m.serialize()), shape


FC_CASES = {
    "per_tensor": dict(),
    "per_channel": dict(per_channel=True),
    "no_bias": dict(bias=False),
    "one_batch": dict(batch=1, depth=33, units=17),
    "relu": dict(act=RELU, per_channel=True),
    "asymmetric": dict(asymmetric=True),
    "asymmetric_per_channel": dict(asymmetric=True, per_channel=True, batch=4),
    "keep_num_dims": dict(keep_dims=True, in_shape=[2, 3, 7]),
    "wide": dict(batch=2, depth=300, units=40, per_channel=True),
}


def check_close(got, want):
    for g in got:
        assert g.dtype == want.dtype and g.shape == want.shape
        tol = 4 * np.finfo(np.float32).eps * max(1.0, float(np.abs(want).max()))
        assert np.allclose(g, want, rtol=1e-6, atol=tol, equal_nan=True), \
            np.abs(g - want).max()


@pytest.mark.parametrize("case", sorted(FC_CASES))
def test_hybrid_fully_connected(case, tfl, litert, tmp_path):
    model, shape = fc_model(seed=len(case), **FC_CASES[case])
    x = np.random.default_rng(list(case.encode())).uniform(-3, 3, shape).astype(np.float32)
    want, got = outputs(tfl, litert, tmp_path, model, [x], case)
    check_close(got, want)


@pytest.mark.parametrize("values", ["zeros", "one_zero_row", "nan", "inf"])
def test_hybrid_fully_connected_edge_inputs(values, tfl, litert, tmp_path):
    model, shape = fc_model(per_channel=True)
    x = np.random.default_rng(1).uniform(-1, 1, shape).astype(np.float32)
    if values == "zeros":
        x[:] = 0
    elif values == "one_zero_row":
        x[1] = 0
    elif values == "nan":
        x[0, 2] = np.nan
    else:
        x[2, 1] = np.inf
    want, got = outputs(tfl, litert, tmp_path, model, [x], values)
    if values in ("nan", "inf"):
        # The row holding the non-finite value has no meaningful scale in
        # either runtime; the other rows must agree.
        bad = 0 if values == "nan" else 2
        keep = [r for r in range(shape[0]) if r != bad]
        check_close([g[keep] for g in got], want[keep])
    else:
        check_close(got, want)


@pytest.mark.parametrize("case,kw,msg", [
    ("uint8_filter", dict(filter_dtype="uint8"), "uint8 filter is not supported"),
    ("unquantized_filter", dict(quantized=False), "not quantized"),
])
def test_hybrid_errors(case, kw, msg, tfl, tmp_path):
    model, _ = fc_model(**kw)
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "FULLY_CONNECTED (node 0)" in p.stderr, p.stderr


SAME, VALID = 0, 1


def conv_model(depthwise=False, batch=2, hw=(6, 5), in_c=3, out_c=4, k=(3, 3), stride=1,
               dilation=1, padding=SAME, scales="per_channel", bias=True, act=0, groups=1, seed=0):
    """scales: per_channel (distinct), equal (per-channel, all the same), per_tensor."""
    rng = np.random.default_rng(seed)
    m = fb.Model("tfl hybrid conv test")
    g = m.graph()
    x = g.input("x", [batch, hw[0], hw[1], in_c], "float32")
    if depthwise:
        wshape, qdim = [1, k[0], k[1], out_c], 3
    else:
        wshape, qdim = [out_c, k[0], k[1], in_c // groups], 0
    vals = [int(v) for v in rng.integers(-127, 128, int(np.prod(wshape)))]
    if scales == "per_tensor":
        quant = fb.q(0.011)
    elif scales == "equal":
        quant = fb.q_channels([0.011] * out_c, qdim)
    else:
        quant = fb.q_channels([float(s) for s in rng.uniform(0.003, 0.03, out_c)], qdim)
    w = g.const("w", wshape, "int8", vals, quant=quant)
    bvals = [round(float(v), 3) for v in rng.uniform(-1, 1, out_c)]
    if bias == "zeros":
        bvals = [0.0] * out_c
    b = g.const("b", [out_c], "float32", bvals) if bias else -1

    def out_size(n, kk):
        eff = (kk - 1) * dilation + 1
        return (n + stride - 1) // stride if padding == SAME else (n - eff + stride) // stride

    y = g.tensor("y", [batch, out_size(hw[0], k[0]), out_size(hw[1], k[1]), out_c], "float32")
    if depthwise:
        g.op("DEPTHWISE_CONV_2D", [x, w, b], [y],
             fb.options("DepthwiseConv2DOptions", padding=padding, stride_w=stride,
                        stride_h=stride, depth_multiplier=out_c // in_c,
                        fused_activation_function=act, dilation_w_factor=dilation,
                        dilation_h_factor=dilation), version=4)
    else:
        g.op("CONV_2D", [x, w, b], [y],
             fb.options("Conv2DOptions", padding=padding, stride_w=stride, stride_h=stride,
                        fused_activation_function=act, dilation_w_factor=dilation,
                        dilation_h_factor=dilation), version=2)
    g.output(y)
    return bytes(m.serialize()), [batch, hw[0], hw[1], in_c]


CONV_CASES = {
    "per_channel": dict(),
    "per_tensor": dict(scales="per_tensor"),
    "equal_scales": dict(scales="equal"),
    "valid_stride2": dict(padding=VALID, stride=2, hw=(9, 8)),
    "dilated": dict(dilation=2, hw=(8, 8)),
    "pointwise": dict(k=(1, 1), in_c=8, out_c=6, scales="per_tensor"),
    "relu": dict(act=RELU),
    "grouped": dict(in_c=4, out_c=6, groups=2),
    "one_batch_wide": dict(batch=1, in_c=16, out_c=24, hw=(7, 7)),
}

DW_CASES = {
    "per_channel": dict(in_c=4, out_c=4),
    "multiplier2": dict(in_c=3, out_c=6),
    "valid_stride2": dict(in_c=4, out_c=4, padding=VALID, stride=2, hw=(9, 8)),
    "dilated_relu": dict(in_c=2, out_c=4, dilation=2, hw=(8, 8), act=RELU),
    "five_channels": dict(in_c=5, out_c=5),
}


# Cases where LiteRT (ai-edge-litert 2.3.0) disagrees with its own reference
# algorithm, checked against the algorithm instead. (one_batch_wide was here
# until the input range was rounded to float as LiteRT's binary does: it
# agrees with LiteRT since.)
LITERT_CONV_WRONG = set()


def hybrid_conv_per_channel(x, w, scales, bias, stride, pad):
    """TFLite's reference HybridConvPerChannel (SAME or VALID pad amounts)."""
    n, h, wd, c = x.shape
    oc, kh, kw, _ = w.shape
    oh, ow = (h + 2 * pad[0] - kh) // stride + 1, (wd + 2 * pad[1] - kw) // stride + 1
    out = np.zeros((n, oh, ow, oc), np.float32)
    for b in range(n):
        q, sf, nz = asymmetric_quantize(x[b])
        qp = np.pad(q - nz, ((pad[0], pad[0]), (pad[1], pad[1]), (0, 0)))
        for oy in range(oh):
            for ox in range(ow):
                patch = qp[oy * stride:oy * stride + kh, ox * stride:ox * stride + kw]
                acc = np.tensordot(w.astype(np.int64), patch, axes=([1, 2, 3], [0, 1, 2]))
                out[b, oy, ox] = acc.astype(np.float32) * scales * sf + bias
    return out


@pytest.mark.parametrize("case", sorted(CONV_CASES))
def test_hybrid_conv_2d(case, tfl, litert, tmp_path):
    model, shape = conv_model(seed=len(case), **CONV_CASES[case])
    x = np.random.default_rng(list(case.encode())).uniform(-2, 3, shape).astype(np.float32)
    want, got = outputs(tfl, litert, tmp_path, model, [x], case)
    if case in LITERT_CONV_WRONG:
        ref = litert(tmp_path / f"{case}.tflite")
        ref.allocate_tensors()
        t = {d["name"]: d for d in ref.get_tensor_details()}
        w = ref.get_tensor(t["w"]["index"])
        scales = np.array(t["w"]["quantization_parameters"]["scales"], np.float32)
        want = hybrid_conv_per_channel(x, w, scales, ref.get_tensor(t["b"]["index"]), 1, (1, 1))
    check_close(got, want)


@pytest.mark.parametrize("case", sorted(DW_CASES))
def test_hybrid_depthwise_conv_2d(case, tfl, litert, tmp_path):
    model, shape = conv_model(depthwise=True, seed=len(case), **DW_CASES[case])
    x = np.random.default_rng(list(case.encode())).uniform(-2, 3, shape).astype(np.float32)
    want, got = outputs(tfl, litert, tmp_path, model, [x], case)
    check_close(got, want)


@pytest.mark.parametrize("depthwise", [False, True])
def test_hybrid_conv_without_bias(depthwise, tfl, litert, tmp_path):
    """LiteRT's hybrid convolutions require a bias (its prepare fails without
    one); tfl takes none as zeros: compared with LiteRT given zeros."""
    kw = dict(depthwise=depthwise, in_c=4, out_c=4, act=RELU, seed=9)
    model, shape = conv_model(bias=False, **kw)
    zeros, _ = conv_model(bias="zeros", **kw)
    x = np.random.default_rng(2).uniform(-2, 3, shape).astype(np.float32)
    want, _ = outputs(tfl, litert, tmp_path, zeros, [x], f"zeros{depthwise}")
    path = tmp_path / f"nobias{depthwise}.tflite"
    path.write_bytes(model)
    np.save(tmp_path / "x.npy", x)
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", tmp_path / f"o{depthwise}")
    assert p.returncode == 0, p.stderr
    check_close([np.load(tmp_path / f"o{depthwise}" / "output_0.npy")], want)


@pytest.mark.parametrize("depthwise", [False, True])
def test_hybrid_conv_zero_input(depthwise, tfl, litert, tmp_path):
    model, shape = conv_model(depthwise=depthwise, in_c=4, out_c=4)
    x = np.zeros(shape, np.float32)
    x[1] = 0.5  # one batch image all zero, the other not
    want, got = outputs(tfl, litert, tmp_path, model, [x], f"zero{depthwise}")
    check_close(got, want)


def test_hybrid_grouped_per_tensor_refused(tfl, tmp_path):
    model, _ = conv_model(in_c=4, out_c=6, groups=2, scales="per_tensor")
    path = tmp_path / "grouped.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode == 1 and "grouped hybrid convolution needs per-channel" in p.stderr, \
        p.stderr


def test_hybrid_depthwise_per_tensor_refused(tfl, tmp_path):
    model, _ = conv_model(depthwise=True, in_c=4, out_c=4, scales="per_tensor")
    path = tmp_path / "dw.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode == 1 and "one scale per output channel" in p.stderr, p.stderr
