"""MediaPipe's custom ops (Convolution2DTransposeBias, MaxPoolingWithArgmax2D,
MaxUnpooling2D, TransformTensorBilinear, TransformLandmarks,
Landmarks2TransformMatrix) against NumPy references written here from the
ops' definitions in MediaPipe's CPU kernels. LiteRT has no kernels for them,
so NumPy is the oracle.

Exact: the max pool values and its argmax indices (window y * filter_w + x,
plus 0.1), the unpooled tensor (values only move) and the landmark z
components. Within float tolerance: the transposed convolution (1e-5
relative to the magnitude of the sums), the bilinear samples (sample points
are computed in float32 exactly as the kernel does, so the same neighbours
are chosen; the blend within 1e-5), transformed landmarks (1e-5 relative)
and the matrices (1e-4 relative to their largest entry). Each op also gets
its bad inputs: options bytes, ranks and shapes, out-of-range indices."""
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
from flatbuffers import flexbuffers

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import tfl_outputs, write_model  # noqa: E402

SAME, VALID = 1, 2
F32_LOWEST = np.float32(-np.finfo(np.float32).max)


def flex(d):
    return bytes(flexbuffers.Dumps(d))


def pool_options(padding, stride_hw, filter_hw, activation=0, size=40):
    raw = struct.pack("<6i", padding, stride_hw[1], stride_hw[0], filter_hw[1], filter_hw[0],
                      activation)
    return (raw + bytes(16))[:size]


def tconv_options(padding, stride_hw):
    return struct.pack("<4i", padding, stride_hw[1], stride_hw[0], 0)


def run(tfl, tmp_path, model, feeds, name, count):
    """tfl's outputs with 1 thread, after checking 2 threads give the same bytes."""
    path = write_model(tmp_path, model, name)
    got = tfl_outputs(tfl, path, feeds, tmp_path, name, count)
    for a, b in zip(got[1], got[2]):
        assert a.tobytes() == b.tobytes(), "1 and 2 threads differ"
    return got[1]


def run_error(tfl, tmp_path, model, name, feeds=()):
    path = write_model(tmp_path, model, name)
    args = []
    for i, x in enumerate(feeds):
        np.save(tmp_path / f"{name}_in{i}.npy", x)
        args += ["-i", tmp_path / f"{name}_in{i}.npy"]
    p = tfl("run", path, *args, "-o", tmp_path / f"{name}_out")
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    return p.stderr


# ---- MaxPoolingWithArgmax2D ---------------------------------------------------------------

def pool_geometry(size, f, s, padding):
    out = (size + s - 1) // s if padding == SAME else (size - f + s) // s
    pad = max(0, ((out - 1) * s + f - size) // 2)
    return out, pad


def ref_max_pool_argmax(x, f, s, padding, activation=0):
    n, h, w, c = x.shape
    oh, ph = pool_geometry(h, f[0], s[0], padding)
    ow, pw = pool_geometry(w, f[1], s[1], padding)
    out = np.zeros((n, oh, ow, c), np.float32)
    idx = np.zeros((n, oh, ow, c), np.float32)
    lo, hi = {0: (F32_LOWEST, -F32_LOWEST), 1: (0, -F32_LOWEST), 2: (-1, 1), 3: (0, 6)}[activation]
    for b in range(n):
        for oy in range(oh):
            for ox in range(ow):
                best = np.full(c, F32_LOWEST, np.float32)
                at = np.zeros(c, np.int64)
                for fy in range(f[0]):
                    iy = oy * s[0] - ph + fy
                    if not 0 <= iy < h:
                        continue
                    for fx in range(f[1]):
                        ix = ox * s[1] - pw + fx
                        if not 0 <= ix < w:
                            continue
                        v = x[b, iy, ix]
                        better = v > best
                        best = np.where(better, v, best)
                        at = np.where(better, fy * f[1] + fx, at)
                out[b, oy, ox] = np.clip(best, lo, hi)
                idx[b, oy, ox] = at.astype(np.float32) + np.float32(0.1)
    return out, idx


def max_pool_model(in_shape, f, s, padding, activation=0, options=None, out_types=("float32",) * 2,
                   in_type="float32"):
    m = fb.Model("mediapipe max pool with argmax")
    g = m.graph()
    x = g.input("x", list(in_shape), in_type)
    y = g.tensor("y", [1], out_types[0])
    i = g.tensor("indices", [1], out_types[1])
    g.op("MaxPoolingWithArgmax2D", [x], [y, i],
         custom=options if options is not None else pool_options(padding, s, f, activation))
    g.output(y, i)
    return m.serialize()


MAX_POOL_CASES = {
    "same_2x2_s2_odd": ((1, 5, 7, 3), (2, 2), (2, 2), SAME, 0),
    "valid_2x2_s2_batch2": ((2, 6, 6, 2), (2, 2), (2, 2), VALID, 0),
    "same_3x3_s1_relu6_ties": ((1, 7, 5, 1), (3, 3), (1, 1), SAME, 3),
    "same_3x2_s2x1_relu": ((1, 4, 5, 4), (3, 2), (2, 1), SAME, 1),
    "valid_1x1_s3": ((1, 7, 8, 2), (1, 1), (3, 3), VALID, 0),
    "valid_3x3_s2_n1to1": ((1, 9, 7, 3), (3, 3), (2, 2), VALID, 2),
    "same_filter_bigger_than_input": ((1, 2, 3, 2), (4, 4), (1, 1), SAME, 0),
}


@pytest.mark.parametrize("case", sorted(MAX_POOL_CASES))
def test_max_pooling_with_argmax(case, tfl, tmp_path):
    shape, f, s, padding, act = MAX_POOL_CASES[case]
    rng = np.random.default_rng(len(case))
    x = rng.uniform(-8, 8, shape).astype(np.float32)
    if "ties" in case:
        x = np.round(x / 4).astype(np.float32)  # many equal maxima: the first wins
    got = run(tfl, tmp_path, max_pool_model(shape, f, s, padding, act), [x], case, 2)
    want = ref_max_pool_argmax(x, f, s, padding, act)
    for g, w, what in zip(got, want, ("values", "indices")):
        assert g.dtype == np.float32 and g.shape == w.shape, (what, g.shape, w.shape)
        assert np.array_equal(g, w), (what, g.ravel()[:12], w.ravel()[:12])


def test_max_pooling_with_argmax_edge_values(tfl, tmp_path):
    """-inf and NaN never beat the running maximum (which starts at the lowest
    float): a window of only those gives -FLT_MAX and index 0.1; +inf wins and
    is clamped to FLT_MAX by the activation range, as TFLite clamps."""
    x = np.zeros((1, 4, 4, 2), np.float32)
    x[0, :2, :2, 0] = -np.inf
    x[0, :2, :2, 1] = np.nan
    x[0, 2, 3, 0] = np.inf
    x[0, 3, 2, 1] = -np.inf
    x[0, 3, 3, 1] = np.nan
    got = run(tfl, tmp_path, max_pool_model(x.shape, (2, 2), (2, 2), SAME), [x], "edge", 2)
    want = ref_max_pool_argmax(x, (2, 2), (2, 2), SAME)
    assert got[0][0, 0, 0, 0] == F32_LOWEST and got[0][0, 0, 0, 1] == F32_LOWEST
    assert got[1][0, 0, 0, 0] == np.float32(0.1)
    assert got[0][0, 1, 1, 0] == -F32_LOWEST and got[1][0, 1, 1, 0] == np.float32(1.1)
    for g, w in zip(got, want):
        assert np.array_equal(g, w, equal_nan=True), (g.ravel(), w.ravel())


@pytest.mark.parametrize("case,kw,msg", [
    ("short_options", dict(options=bytes(20)), "at least 24 bytes), got 20 bytes"),
    ("no_options", dict(options=b""), "got 0 bytes"),
    ("bad_padding", dict(padding=7), "padding 7 is not SAME (1) or VALID (2)"),
    ("zero_stride", dict(s=(0, 1)), "strides must be >= 1, got 0 x 1"),
    ("zero_filter", dict(f=(2, 0)), "filter size must be >= 1, got 2 x 0"),
    ("tanh", dict(activation=4), "fused activation 4 not supported"),
    ("rank3", dict(in_shape=(4, 4, 2)), "input must have rank 4, got float32[4,4,2]"),
    ("int8_input", dict(in_type="int8"), "input type int8, expected float32"),
    ("int32_indices", dict(out_types=("float32", "int32")),
     "indices output type int32, expected float32"),
    ("valid_too_small", dict(in_shape=(1, 2, 2, 1), f=(3, 3), padding=VALID),
     "is smaller than the 3 x 3 filter"),
])
def test_max_pooling_with_argmax_errors(case, kw, msg, tfl, tmp_path):
    args = dict(in_shape=(1, 4, 4, 2), f=(2, 2), s=(2, 2), padding=SAME)
    args.update(kw)
    err = run_error(tfl, tmp_path, max_pool_model(**args), case)
    assert msg in err and "MaxPoolingWithArgmax2D" in err, err


# ---- MaxUnpooling2D -------------------------------------------------------------------------

def ref_max_unpool(x, idx, f, s):
    n, h, w, c = x.shape
    oh, ow = h * f[0], w * f[1]
    ph = max(0, ((h - 1) * s[0] + f[0] - oh) // 2)
    pw = max(0, ((w - 1) * s[1] + f[1] - ow) // 2)
    out = np.zeros((n, oh, ow, c), np.float32)
    for b in range(n):
        for y in range(h):
            for xx in range(w):
                for ch in range(c):
                    k = int(np.trunc(idx[b, y, xx, ch]))
                    oy = y * s[0] - ph + k // f[1]
                    ox = xx * s[1] - pw + k % f[1]
                    if 0 <= oy < oh and 0 <= ox < ow:
                        out[b, oy, ox, ch] = x[b, y, xx, ch]
    return out


def max_unpool_model(in_shape, f, s, idx_shape=None, options=None):
    m = fb.Model("mediapipe max unpooling")
    g = m.graph()
    x = g.input("x", list(in_shape), "float32")
    i = g.input("indices", list(idx_shape or in_shape), "float32")
    y = g.tensor("y", [1], "float32")
    g.op("MaxUnpooling2D", [x, i], [y],
         custom=options if options is not None else pool_options(SAME, s, f))
    g.output(y)
    return m.serialize()


MAX_UNPOOL_CASES = {
    "2x2_s2": ((1, 3, 4, 2), (2, 2), (2, 2)),
    "2x2_s2_batch2": ((2, 5, 3, 3), (2, 2), (2, 2)),
    "3x2_s3x2": ((1, 4, 3, 1), (3, 2), (3, 2)),
    "2x2_s3_skips_outside": ((1, 3, 3, 2), (2, 2), (3, 3)),
    "3x3_s2_overlap_later_wins": ((1, 4, 4, 1), (3, 3), (2, 2)),
}


@pytest.mark.parametrize("case", sorted(MAX_UNPOOL_CASES))
def test_max_unpooling(case, tfl, tmp_path):
    shape, f, s = MAX_UNPOOL_CASES[case]
    rng = np.random.default_rng(len(case) + 7)
    x = rng.uniform(-5, 5, shape).astype(np.float32)
    k = rng.integers(0, f[0] * f[1], shape)
    idx = (k.astype(np.float32) + np.float32(0.1)).astype(np.float32)
    idx.ravel()[::5] = k.ravel()[::5].astype(np.float32) + np.float32(0.9)  # truncated, not rounded
    got = run(tfl, tmp_path, max_unpool_model(shape, f, s), [x, idx], case, 1)[0]
    want = ref_max_unpool(x, idx, f, s)
    assert got.shape == want.shape and np.array_equal(got, want), (got.ravel()[:16],
                                                                     want.ravel()[:16])


def test_max_unpooling_inverts_max_pooling(tfl, tmp_path):
    """The two ops as selfie segmentation chains them: each window keeps its
    maximum in place and zeros elsewhere."""
    m = fb.Model("mediapipe pool then unpool")
    g = m.graph()
    x = g.input("x", [1, 6, 8, 3], "float32")
    y, i, z = (g.tensor(n, [1], "float32") for n in ("y", "i", "z"))
    opts = pool_options(SAME, (2, 2), (2, 2))
    g.op("MaxPoolingWithArgmax2D", [x], [y, i], custom=opts)
    g.op("MaxUnpooling2D", [y, i], [z], custom=opts)
    g.output(z)
    xv = np.random.default_rng(3).uniform(-1, 1, (1, 6, 8, 3)).astype(np.float32)
    got = run(tfl, tmp_path, m.serialize(), [xv], "roundtrip", 1)[0]
    win = xv.reshape(1, 3, 2, 4, 2, 3).transpose(0, 1, 3, 5, 2, 4).reshape(1, 3, 4, 3, 4)
    keep = win == win.max(axis=-1, keepdims=True)
    want = np.where(keep, win, 0).reshape(1, 3, 4, 3, 2, 2).transpose(0, 1, 4, 2, 5, 3)
    assert np.array_equal(got, want.reshape(1, 6, 8, 3))


@pytest.mark.parametrize("case,value,msg", [
    ("too_large", 4.1, "index 4.1 at element 5 is outside the 2 x 2 window [0, 4)"),
    ("negative", -1.0, "index -1 at element 5 is outside"),
    ("nan", np.nan, "index nan at element 5 is outside"),
    ("huge", 3e38, "is outside the 2 x 2 window"),
])
def test_max_unpooling_bad_index(case, value, msg, tfl, tmp_path):
    x = np.ones((1, 2, 3, 2), np.float32)
    idx = np.full((1, 2, 3, 2), 1.1, np.float32)
    idx.ravel()[5] = value
    err = run_error(tfl, tmp_path, max_unpool_model(x.shape, (2, 2), (2, 2)), case, [x, idx])
    assert msg in err and "MaxUnpooling2D" in err, err


@pytest.mark.parametrize("case,kw,msg", [
    ("short_options", dict(options=bytes(12)), "at least 24 bytes), got 12 bytes"),
    ("zero_stride", dict(s=(2, 0)), "strides must be >= 1, got 2 x 0"),
    ("shape_mismatch", dict(idx_shape=(1, 2, 2, 2)),
     "indices float32[1,2,2,2] must have the input's shape float32[1,2,3,2]"),
    ("rank3", dict(in_shape=(2, 3, 2), idx_shape=(2, 3, 2)), "input must have rank 4"),
    ("huge_output", dict(f=(1 << 30, 2)), "is too large"),
])
def test_max_unpooling_errors(case, kw, msg, tfl, tmp_path):
    args = dict(in_shape=(1, 2, 3, 2), f=(2, 2), s=(2, 2))
    args.update(kw)
    err = run_error(tfl, tmp_path, max_unpool_model(**args), case)
    assert msg in err and "MaxUnpooling2D" in err, err


# ---- Convolution2DTransposeBias -----------------------------------------------------------

def ref_transpose_conv_bias(x, w, bias, s, padding):
    n, h, wd, _ = x.shape
    oc, fh, fw, _ = w.shape
    pads = []
    for size, f, st in ((h, fh, s[0]), (wd, fw, s[1])):
        pads.append(max(0, f - (size - 1) % st - 1) if padding == SAME else 0)
    oh = s[0] * (h - 1) + fh - pads[0]
    ow = s[1] * (wd - 1) + fw - pads[1]
    # Scatter onto a canvas with room for every tap, then crop.
    canvas = np.zeros((n, s[0] * (h - 1) + fh, s[1] * (wd - 1) + fw, oc), np.float64)
    xd, wdd = x.astype(np.float64), w.astype(np.float64)
    for iy in range(h):
        for ix in range(wd):
            contrib = np.einsum("nc,ohwc->nhwo", xd[:, iy, ix], wdd)
            canvas[:, iy * s[0]:iy * s[0] + fh, ix * s[1]:ix * s[1] + fw] += contrib
    top, left = pads[0] // 2, pads[1] // 2
    return canvas[:, top:top + oh, left:left + ow] + bias.astype(np.float64)


def tconv_model(in_shape, w_shape, s, padding, bias_len=None, options=None, w_values=None):
    rng = np.random.default_rng(sum(w_shape))
    m = fb.Model("mediapipe transpose conv bias")
    g = m.graph()
    x = g.input("x", list(in_shape), "float32")
    wv = w_values if w_values is not None else rng.uniform(-1, 1, w_shape).astype(np.float32)
    w = g.const("w", list(w_shape), "float32", [float(v) for v in wv.ravel()])
    nb = w_shape[0] if bias_len is None else bias_len
    bv = rng.uniform(-1, 1, nb).astype(np.float32)
    b = g.const("bias", [nb], "float32", [float(v) for v in bv])
    y = g.tensor("y", [1], "float32")
    g.op("Convolution2DTransposeBias", [x, w, b], [y],
         custom=options if options is not None else tconv_options(padding, s))
    g.output(y)
    return m.serialize(), wv, bv


TCONV_CASES = {
    "same_3x3_s2": ((1, 3, 4, 2), (3, 3, 3, 2), (2, 2), SAME),
    "same_4x4_s2_segmentation": ((1, 4, 4, 3), (2, 4, 4, 3), (2, 2), SAME),
    "valid_2x2_s1": ((1, 4, 3, 1), (2, 2, 2, 1), (1, 1), VALID),
    "valid_3x2_s2x3_batch2": ((2, 3, 3, 2), (4, 3, 2, 2), (2, 3), VALID),
    "same_2x2_s3_gaps": ((1, 3, 2, 2), (1, 2, 2, 2), (3, 3), SAME),
    "same_5x1_s1_odd": ((1, 5, 3, 3), (2, 5, 1, 3), (1, 1), SAME),
}


@pytest.mark.parametrize("case", sorted(TCONV_CASES))
def test_transpose_conv_bias(case, tfl, tmp_path):
    in_shape, w_shape, s, padding = TCONV_CASES[case]
    model, w, b = tconv_model(in_shape, w_shape, s, padding)
    x = np.random.default_rng(len(case)).uniform(-2, 2, in_shape).astype(np.float32)
    got = run(tfl, tmp_path, model, [x], case, 1)[0]
    want = ref_transpose_conv_bias(x, w, b, s, padding)
    assert got.dtype == np.float32 and got.shape == want.shape, (got.shape, want.shape)
    scale = np.abs(x).max() * np.abs(w).max() * w_shape[1] * w_shape[2] * w_shape[3] + 1
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * scale)


@pytest.mark.parametrize("case,kw,msg", [
    ("short_options", dict(options=bytes(8)), "at least 12 bytes), got 8 bytes"),
    ("padding_unknown", dict(padding=0), "padding 0 is not SAME (1) or VALID (2)"),
    ("zero_stride", dict(s=(1, 0)), "strides must be >= 1, got 1 x 0"),
    ("bias_length", dict(bias_len=2), "bias float32[2] must have one value per output channel (3)"),
    ("channels", dict(w_shape=(3, 2, 2, 4)), "must be [out channels, h, w, 2]"),
    ("rank3_weights", dict(w_shape=(3, 2, 2)), "weights must have rank 4"),
    ("huge_stride", dict(s=(1 << 30, 1)), "output size"),
])
def test_transpose_conv_bias_errors(case, kw, msg, tfl, tmp_path):
    args = dict(in_shape=(1, 3, 3, 2), w_shape=(3, 2, 2, 2), s=(2, 2), padding=SAME)
    args.update(kw)
    err = run_error(tfl, tmp_path, tconv_model(**args)[0], case)
    assert msg in err and "Convolution2DTransposeBias" in err, err


# ---- TransformTensorBilinear --------------------------------------------------------------

def ref_transform_tensor_bilinear(x, m, oh, ow, align_corners):
    f = np.float32
    _, h, w, c = x.shape
    mx = m.reshape(-1)[0:4].astype(f).copy()
    my = m.reshape(-1)[4:8].astype(f).copy()
    if align_corners:
        mx[3] = f(float(mx[3]) + (float(mx[0]) * 0.5 + float(mx[1]) * 0.5 - 0.5))
        my[3] = f(float(my[3]) + (float(my[0]) * 0.5 + float(my[1]) * 0.5 - 0.5))
    out = np.zeros((1, oh, ow, c), np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        for oy in range(oh):
            for ox in range(ow):
                p = np.array([ox, oy, 0, 1], f)
                # float32 dot product, summed left to right as the kernel does
                sx = ((mx[0] * p[0] + mx[1] * p[1]) + mx[2] * p[2]) + mx[3] * p[3]
                sy = ((my[0] * p[0] + my[1] * p[1]) + my[2] * p[2]) + my[3] * p[3]
                if not (0 <= sx <= w - 1 and 0 <= sy <= h - 1):
                    continue
                x0, y0 = int(np.floor(sx)), int(np.floor(sy))
                rx, ry = float(sx - np.floor(sx)), float(sy - np.floor(sy))

                def at(yy, xx):
                    return x[0, yy, xx].astype(np.float64) if yy < h and xx < w else 0.0

                upper = (1 - rx) * at(y0, x0) + rx * at(y0, x0 + 1)
                lower = (1 - rx) * at(y0 + 1, x0) + rx * at(y0 + 1, x0 + 1)
                out[0, oy, ox] = ry * lower + (1 - ry) * upper
    return out


def ttb_model(in_shape, options, version=2, m_shape=(1, 4, 4)):
    m = fb.Model("mediapipe transform tensor bilinear")
    g = m.graph()
    x = g.input("x", list(in_shape), "float32")
    mat = g.input("matrix", list(m_shape), "float32")
    y = g.tensor("y", [1], "float32")
    g.op("TransformTensorBilinear", [x, mat], [y], custom=options, version=version)
    g.output(y)
    return m.serialize()


def affine(scale, angle, tx, ty):
    c, s = np.cos(angle) * scale, np.sin(angle) * scale
    return np.array([[c, -s, 0, tx], [s, c, 0, ty], [0, 0, 1, 0], [0, 0, 0, 1]], np.float32)


TTB_CASES = {
    "v2_rotate_scale": ((1, 9, 11, 3), 6, 5, affine(1.3, 0.4, 2.0, -1.0), 2),
    "v2_identity_upsized": ((1, 4, 5, 2), 7, 8, affine(1.0, 0.0, 0.0, 0.0), 2),
    "v2_half_scale_crop": ((1, 16, 12, 1), 8, 6, affine(2.0, 0.0, 1.0, 3.0), 2),
    "v2_integer_steps": ((1, 5, 5, 2), 5, 5, affine(1.0, 0.0, 0.5, 0.5), 2),
    "v2_flip": ((1, 6, 6, 4), 6, 6, np.array([[-1, 0, 0, 6], [0, 1, 0, 0], [0, 0, 1, 0],
                                             [0, 0, 0, 1]], np.float32), 2),
    "v1_rotate": ((1, 7, 9, 3), 5, 7, affine(0.9, -0.7, 3.0, 2.0), 1),
    "v1_exact_border": ((1, 4, 4, 1), 4, 4, affine(1.0, 0.0, 0.0, 0.0), 1),
}


@pytest.mark.parametrize("case", sorted(TTB_CASES))
def test_transform_tensor_bilinear(case, tfl, tmp_path):
    shape, oh, ow, mat, version = TTB_CASES[case]
    opts = (flex({"output_height": oh, "output_width": ow}) if version == 2
            else flex({"mode": "bilinear", "output_size": [oh, ow]}))
    x = np.random.default_rng(len(case)).uniform(-1, 1, shape).astype(np.float32)
    got = run(tfl, tmp_path, ttb_model(shape, opts, version), [x, mat], case, 1)[0]
    want = ref_transform_tensor_bilinear(x, mat, oh, ow, version == 2)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert np.count_nonzero(got) > 0


def test_transform_tensor_bilinear_nan_matrix(tfl, tmp_path):
    """Sample points that are not numbers (or infinite) read nothing: zeros."""
    mat = affine(1.0, 0.0, 0.0, 0.0)
    mat[0, 3] = np.nan
    mat[1, 0] = np.inf
    x = np.ones((1, 3, 3, 2), np.float32)
    opts = flex({"output_height": 3, "output_width": 3})
    got = run(tfl, tmp_path, ttb_model(x.shape, opts), [x, mat], "nan", 1)[0]
    assert np.array_equal(got, np.zeros((1, 3, 3, 2), np.float32))


@pytest.mark.parametrize("case,kw,msg", [
    ("no_options", dict(options=b""), "custom options are missing"),
    ("not_flex", dict(options=b"\x01\x02\x03"), "not a valid FlexBuffers map"),
    ("missing_width", dict(options=flex({"output_height": 4})),
     "custom option 'output_width' is missing"),
    ("zero_height", dict(options=flex({"output_height": 0, "output_width": 4})),
     "output size must be at least 1 x 1, got 0 x 4"),
    ("string_height", dict(options=flex({"output_height": "4", "output_width": 4})),
     "custom option 'output_height' is not a valid number"),
    ("v1_nearest", dict(version=1, options=flex({"mode": "nearest", "output_size": [4, 4]})),
     "mode 'nearest' not supported"),
    ("v1_size", dict(version=1, options=flex({"output_size": [4]})),
     "'output_size' must be [height, width]"),
    ("batch2", dict(in_shape=(2, 4, 4, 1)), "must have batch 1"),
    ("matrix_3x3", dict(m_shape=(1, 3, 3)), "transform matrix must hold 16 floats"),
    ("rank3", dict(in_shape=(4, 4, 1)), "input must have rank 4"),
    ("huge_output", dict(options=flex({"output_height": 1 << 30, "output_width": 1 << 30})),
     "is too large"),
])
def test_transform_tensor_bilinear_errors(case, kw, msg, tfl, tmp_path):
    args = dict(in_shape=(1, 4, 4, 1), options=flex({"output_height": 4, "output_width": 4}))
    args.update(kw)
    err = run_error(tfl, tmp_path, ttb_model(**args), case)
    assert msg in err and "TransformTensorBilinear" in err, err


# ---- TransformLandmarks -------------------------------------------------------------------

def ref_transform_landmarks(lm, m, dims, scale=1.0):
    m = m.reshape(4, 4).astype(np.float64)
    p = lm.reshape(-1, dims).astype(np.float64)
    out = p.copy()
    out[:, 0] = m[0, 0] * p[:, 0] + m[0, 1] * p[:, 1] + m[0, 3] * scale
    out[:, 1] = m[1, 0] * p[:, 0] + m[1, 1] * p[:, 1] + m[1, 3] * scale
    return out.reshape(lm.shape)


def tl_model(in_shape, version=2, options=None, m_shape=(1, 4, 4)):
    m = fb.Model("mediapipe transform landmarks")
    g = m.graph()
    x = g.input("landmarks", list(in_shape), "float32")
    mat = g.input("matrix", list(m_shape), "float32")
    y = g.tensor("y", [1], "float32")
    g.op("TransformLandmarks", [x, mat], [y], custom=options, version=version)
    g.output(y)
    return m.serialize()


TL_CASES = {
    "v2_xyz": ((1, 11, 3), 2, None, 3, 1.0),
    "v2_xy": ((1, 5, 2), 2, None, 2, 1.0),
    "v2_two_rows": ((2, 4, 3), 2, None, 3, 1.0),
    "v1_xyz_scale": ((1, 1, 2, 6), 1, {"dimensions": 3, "scale": 2.5}, 3, 2.5),
    "v1_xy": ((1, 2, 1, 4), 1, {"dimensions": 2}, 2, 1.0),
    "v1_defaults": ((1, 1, 1, 9), 1, None, 3, 1.0),
}


@pytest.mark.parametrize("case", sorted(TL_CASES))
def test_transform_landmarks(case, tfl, tmp_path):
    shape, version, opts, dims, scale = TL_CASES[case]
    rng = np.random.default_rng(len(case))
    lm = rng.uniform(-50, 200, shape).astype(np.float32)
    mat = affine(1.7, 0.3, 12.5, -40.0)
    mat[0, 2] = 5.0  # multiplies z = 0: no effect
    model = tl_model(shape, version, flex(opts) if opts else None)
    got = run(tfl, tmp_path, model, [lm, mat], case, 1)[0]
    want = ref_transform_landmarks(lm, mat, dims, scale)
    assert got.shape == lm.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)
    if dims == 3:
        assert np.array_equal(got.reshape(-1, 3)[:, 2], lm.reshape(-1, 3)[:, 2])


@pytest.mark.parametrize("case,kw,msg", [
    ("v2_four_components", dict(in_shape=(1, 5, 4)), "must be [n, landmarks, 2 or 3]"),
    ("v2_rank4", dict(in_shape=(1, 1, 5, 3)), "landmarks must have rank 3"),
    ("v1_dims5", dict(version=1, in_shape=(1, 1, 1, 10), options=flex({"dimensions": 5})),
     "'dimensions' must be 2 or 3, got 5"),
    ("v1_scale0", dict(version=1, in_shape=(1, 1, 1, 9), options=flex({"scale": 0.0})),
     "'scale' must not be 0"),
    ("v1_not_multiple", dict(version=1, in_shape=(1, 1, 1, 10)), "not a multiple of 3"),
    ("v1_bad_flex", dict(version=1, in_shape=(1, 1, 1, 9), options=b"\xff\xff"),
     "not a valid FlexBuffers map"),
    ("matrix_8", dict(m_shape=(2, 4)), "transform matrix must hold 16 floats (4x4), got"),
])
def test_transform_landmarks_errors(case, kw, msg, tfl, tmp_path):
    args = dict(in_shape=(1, 5, 3))
    args.update(kw)
    err = run_error(tfl, tmp_path, tl_model(**args), case)
    assert msg in err and "TransformLandmarks" in err, err


# ---- Landmarks2TransformMatrix ------------------------------------------------------------

def rot3(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def ref_l2t_v2(lm, o):
    p = lm.reshape(-1, 3).astype(np.float64)
    left, right = p[o["left_rotation_idx"]], p[o["right_rotation_idx"]]
    r = o.get("target_rotation_radians", 0.0) - np.arctan2(right[1] - left[1],
                                                            right[0] - left[0])
    pts = p[o["subset_idxs"], :2]
    rotated = (rot3(r)[:2, :2] @ pts.T).T
    lo, hi = rotated.min(axis=0), rotated.max(axis=0)
    cx, cy = rot3(-r)[:2, :2] @ ((lo + hi) / 2)
    w, h = hi - lo
    ow, oh = o["output_width"], o["output_height"]

    def t4(x, y):
        m = np.eye(4)
        m[0, 3], m[1, 3] = x, y
        return m

    r4 = np.eye(4)
    r4[:2, :2] = rot3(-r)[:2, :2]
    s4 = np.diag([o["scale_x"] * w / ow, o["scale_y"] * h / oh, 1, 1])
    return (t4(cx, cy) @ r4 @ s4 @ t4(-ow / 2, -oh / 2)).reshape(1, 4, 4)


def ref_l2t_v1(lm, o):
    p = lm.reshape(-1, 3).astype(np.float64)
    left, right = p[o["left_rotation_idx"]], p[o["right_rotation_idx"]]
    a = -np.arctan((right[1] - left[1]) / (right[0] - left[0]))
    pts = p[o["subset"], :2]
    rotated = (rot3(a)[:2, :2] @ pts.T).T
    lo = np.minimum(rotated.min(axis=0), 100000)
    hi = np.maximum(rotated.max(axis=0), -100000)
    rng = o["landmarks_range"]
    bw, bh = (hi - lo) * o["bbox_size_multiplier"]
    mid = rot3(-a)[:2, :2] @ ((hi + lo) / 2)
    rot = rot3(-a)
    rot[0, 2], rot[1, 2] = mid[0] / rng * 2 - 1, mid[1] / rng * 2 - 1
    scale = np.diag([bw / rng, bh / rng, 1])
    (ih, iw), (oh, ow) = o["input_hw"], o["output_hw"]
    rel = np.array([[2 / (ow - 1), 0, -1], [0, 2 / (oh - 1), -1], [0, 0, 1]])
    to_abs = np.array([[(iw - 1) / 2, 0, (iw - 1) / 2], [0, (ih - 1) / 2, (ih - 1) / 2],
                       [0, 0, 1]])
    m = to_abs @ rot @ scale @ rel
    out = np.zeros((4, 4))
    out[0] = [m[0, 0], m[0, 1], 0, m[0, 2]]
    out[1] = [m[1, 0], m[1, 1], 0, m[1, 2]]
    out[2] = [m[2, 0], m[2, 1], m[2, 2], 0]
    out[3] = [0, 0, 0, 1]
    return out.reshape(1, 4, 4)


def l2t_model(in_shape, options, version=2):
    m = fb.Model("mediapipe landmarks to transform matrix")
    g = m.graph()
    x = g.input("landmarks", list(in_shape), "float32")
    y = g.tensor("matrix", [1, 4, 4], "float32")
    g.op("Landmarks2TransformMatrix", [x], [y], custom=options, version=version)
    g.output(y)
    return m.serialize()


V2_OPTS = {"subset_idxs": [0, 3, 5, 7, 9, 11, 13, 2, 4], "left_rotation_idx": 3,
           "right_rotation_idx": 7, "target_rotation_radians": 0.0, "output_height": 48,
           "output_width": 64, "scale_x": 1.5, "scale_y": 1.5}
V1_OPTS = {"subset": [1, 2, 4, 6, 8, 10], "left_rotation_idx": 1, "right_rotation_idx": 6,
           "input_hw": [192, 192], "output_hw": [32, 48], "dimensions": 3,
           "landmarks_range": 192, "bbox_size_multiplier": 1.5}

L2T_CASES = {
    "v2_face": ((1, 16, 3), dict(V2_OPTS), 2),
    "v2_target_rotation": ((1, 16, 3), dict(V2_OPTS, target_rotation_radians=1.2,
                                             scale_x=1.1, scale_y=0.8), 2),
    "v2_flat_input": ((1, 1, 45), dict(V2_OPTS, subset_idxs=[14, 0, 2]), 2),
    "v2_left_of_right_flipped": ((1, 16, 3), dict(V2_OPTS, left_rotation_idx=7,
                                                   right_rotation_idx=3), 2),
    "v1_face": ((1, 1, 1, 36), dict(V1_OPTS), 1),
    "v1_odd_subset": ((1, 1, 1, 36), dict(V1_OPTS, subset=[0, 5, 11], output_hw=[20, 20]), 1),
}


@pytest.mark.parametrize("case", sorted(L2T_CASES))
def test_landmarks_to_transform_matrix(case, tfl, tmp_path):
    shape, opts, version = L2T_CASES[case]
    lm = np.random.default_rng(len(case)).uniform(10, 180, shape).astype(np.float32)
    got = run(tfl, tmp_path, l2t_model(shape, flex(opts), version), [lm], case, 1)[0]
    want = ref_l2t_v2(lm, opts) if version == 2 else ref_l2t_v1(lm, opts)
    assert got.shape == (1, 4, 4)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * max(1, np.abs(want).max()))


def test_landmarks_to_transform_matrix_feeds_transform_landmarks(tfl, tmp_path):
    """Face mesh's chain: the matrix maps the output crop's centre to the box
    centre of the subset."""
    m = fb.Model("mediapipe matrix then landmarks")
    g = m.graph()
    x = g.input("landmarks", [1, 16, 3], "float32")
    pts = g.input("points", [1, 1, 2], "float32")
    mat, y = g.tensor("matrix", [1, 4, 4], "float32"), g.tensor("y", [1, 1, 2], "float32")
    g.op("Landmarks2TransformMatrix", [x], [mat], custom=flex(V2_OPTS), version=2)
    g.op("TransformLandmarks", [pts, mat], [y], version=2)
    g.output(y)
    lm = np.random.default_rng(5).uniform(10, 180, (1, 16, 3)).astype(np.float32)
    centre = np.array([[[32, 24]]], np.float32)
    got = run(tfl, tmp_path, m.serialize(), [lm, centre], "chain", 1)[0]
    want = ref_transform_landmarks(centre, ref_l2t_v2(lm, V2_OPTS), 2)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("case,shape,opts,version,msg", [
    ("index_out_of_range", (1, 5, 3), V2_OPTS, 2,
     "landmark index 13 is out of range: landmarks float32[1,5,3] hold 5"),
    ("empty_subset", (1, 16, 3), dict(V2_OPTS, subset_idxs=[]), 2,
     "'subset_idxs' is missing or empty"),
    ("negative_subset", (1, 16, 3), dict(V2_OPTS, subset_idxs=[1, -2]), 2,
     "'subset_idxs' entry 1 = -2 is negative"),
    ("negative_rotation_idx", (1, 16, 3), dict(V2_OPTS, left_rotation_idx=-1), 2,
     "rotation landmark indices must be >= 0"),
    ("zero_scale", (1, 16, 3), dict(V2_OPTS, scale_y=0.0), 2, "scale_x and scale_y must be > 0"),
    ("missing_height", (1, 16, 3), {k: v for k, v in V2_OPTS.items() if k != "output_height"},
     2, "custom option 'output_height' is missing"),
    ("rank4_v2", (1, 1, 16, 3), V2_OPTS, 2, "landmarks must have rank 3"),
    ("v1_dimensions", (1, 1, 1, 36), dict(V1_OPTS, dimensions=2), 1,
     "'dimensions' must be 3, got 2"),
    ("v1_output_hw", (1, 1, 1, 36), dict(V1_OPTS, output_hw=[1, 32]), 1,
     "'output_hw' = [1, 32] must be at least 2"),
    ("v1_range", (1, 1, 1, 36), dict(V1_OPTS, landmarks_range=0), 1,
     "'landmarks_range' must be > 0"),
    ("v1_subset_too_long", (1, 1, 1, 36), dict(V1_OPTS, subset=list(range(5000))), 1,
     "has 5000 entries (at most 4096)"),
])
def test_landmarks_to_transform_matrix_errors(case, shape, opts, version, msg, tfl, tmp_path):
    err = run_error(tfl, tmp_path, l2t_model(shape, flex(opts), version), case)
    assert msg in err and "Landmarks2TransformMatrix" in err, err
