"""REVERSE_SEQUENCE (seq/batch dims either way round, int32 and int64
lengths, lengths 0, negative and full), MATRIX_DIAG and MATRIX_SET_DIAG
(every dtype, square and non-square matrices) against LiteRT's reference
kernels, byte for byte on 1 and 2 threads; errors with tfl's messages."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402


def model(op, ins, out, opts=None, consts=()):
    consts = dict(consts)
    m = fb.Model("tfl matrix and bit ops test")
    g = m.graph()
    idx = [g.const(n, s, t, consts[n]) if n in consts else g.input(n, s, t) for n, s, t in ins]
    y = g.tensor("y", out[0], out[1])
    g.op(op, idx, [y], opts)
    g.output(y)
    return bytes(m.serialize())


def rand(seed, dtype, shape):
    r = np.random.default_rng(seed)
    if dtype == "float32":
        x = r.uniform(-100, 100, shape).astype(np.float32)
        if x.size > 2:
            x.flat[:3] = [np.nan, -np.inf, -0.0]
        return x
    info = np.iinfo(dtype)
    return r.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)


RS_TYPES = ["float32", "uint8", "int16", "int32", "int64"]


@pytest.mark.parametrize("dims", [(1, 0, [3, 5, 2], [5, 0, -2]), (0, 1, [4, 3], [2, 4, 0]),
                                  (2, 0, [3, 2, 6, 2], [6, 1, 3]), (0, 2, [5, 3, 2], [1, 5])])
@pytest.mark.parametrize("ltype", ["int32", "int64"])
@pytest.mark.parametrize("dtype", RS_TYPES)
def test_reverse_sequence(dtype, ltype, dims, tfl, litert, tmp_path):
    seq, batch, shape, lens = dims
    x = rand(seq * 7 + batch, dtype, shape)
    opts = fb.options("ReverseSequenceOptions", seq_dim=seq, batch_dim=batch)
    m = model("REVERSE_SEQUENCE", [("x", shape, dtype), ("l", [len(lens)], ltype)],
              (shape, dtype), opts)
    compare(tfl, litert, tmp_path, m, [x, np.array(lens, ltype)], f"rs_{dtype}_{ltype}_{seq}{batch}")


def test_reverse_sequence_const_lengths(tfl, litert, tmp_path):
    shape = [2, 7, 3]
    opts = fb.options("ReverseSequenceOptions", seq_dim=1, batch_dim=0)
    m = model("REVERSE_SEQUENCE", [("x", shape, "int32"), ("l", [2], "int64")],
              (shape, "int32"), opts, {"l": [7, 3]})
    compare(tfl, litert, tmp_path, m, [rand(1, "int32", shape)], "rs_const")


@pytest.mark.parametrize("ltype", ["int32", "int64"])
def test_reverse_sequence_extreme_lengths(ltype, tfl, litert, tmp_path):
    """The type's lowest length leaves its batch as it is (LiteRT computes
    length - 1, which overflows there: checked against NumPy instead)."""
    shape = [3, 4]
    x = rand(4, "int16", shape)
    lens = np.array([np.iinfo(ltype).min, 4, -1], ltype)
    want = x.copy()
    want[1] = x[1, ::-1]
    m = model("REVERSE_SEQUENCE", [("x", shape, "int16"), ("l", [3], ltype)], (shape, "int16"),
              fb.options("ReverseSequenceOptions", seq_dim=1, batch_dim=0))
    compare(tfl, litert, tmp_path, m, [x, lens], f"rs_extreme_{ltype}", want=want)


MD_TYPES = ["float32", "int8", "uint8", "int16", "int32", "int64"]


@pytest.mark.parametrize("shape", [[1], [5], [2, 3], [2, 1, 4]])
@pytest.mark.parametrize("dtype", MD_TYPES)
def test_matrix_diag(dtype, shape, tfl, litert, tmp_path):
    m = model("MATRIX_DIAG", [("x", shape, dtype)], (shape + shape[-1:], dtype),
              fb.options("MatrixDiagOptions"))
    compare(tfl, litert, tmp_path, m, [rand(len(shape), dtype, shape)], f"md_{dtype}_{len(shape)}")


@pytest.mark.parametrize("shape", [[3, 3], [2, 5], [4, 2], [2, 3, 4, 3], [1, 1]])
@pytest.mark.parametrize("dtype", MD_TYPES)
def test_matrix_set_diag(dtype, shape, tfl, litert, tmp_path):
    dshape = shape[:-2] + [min(shape[-2:])]
    m = model("MATRIX_SET_DIAG", [("x", shape, dtype), ("d", dshape, dtype)], (shape, dtype),
              fb.options("MatrixSetDiagOptions"))
    compare(tfl, litert, tmp_path, m, [rand(1, dtype, shape), rand(2, dtype, dshape)],
            f"msd_{dtype}_{'x'.join(map(str, shape))}")


L2_CASES = [  # shape, padding, stride h/w, filter h/w, activation
    ([1, 5, 7, 3], fb.SAME, 2, 2, 3, 3, fb.NONE), ([2, 6, 5, 2], fb.VALID, 1, 2, 2, 3, fb.RELU),
    ([1, 4, 4, 1], fb.SAME, 1, 1, 1, 1, fb.RELU6), ([1, 3, 8, 70], fb.SAME, 3, 2, 2, 5, fb.NONE),
    ([1, 7, 3, 2], fb.VALID, 2, 1, 3, 2, fb.RELU_N1_TO_1), ([1, 2, 2, 1], fb.VALID, 1, 1, 3, 3, 0),
    ([1, 5, 5, 2], fb.SAME, 3, 3, 5, 5, fb.NONE),
]


@pytest.mark.parametrize("case", range(len(L2_CASES)))
def test_l2_pool_2d(case, tfl, litert, tmp_path):
    shape, pad, sh, sw, fh, fw, act = L2_CASES[case]
    x = np.random.default_rng(case).uniform(-3, 3, shape).astype(np.float32)
    x.flat[0] = np.nan
    x.flat[-1] = 3e19  # its square overflows to inf
    def size(n, f, s):
        return (n + s - 1) // s if pad == fb.SAME else max((n - f + s) // s, 0)
    oh, ow = size(shape[1], fh, sh), size(shape[2], fw, sw)
    if ow == 0:
        oh = 0
    out = [shape[0], oh, ow, shape[3]]
    opts = fb.options("Pool2DOptions", padding=pad, stride_h=sh, stride_w=sw, filter_height=fh,
                      filter_width=fw, fused_activation_function=act)
    m = model("L2_POOL_2D", [("x", shape, "float32")], (out, "float32"), opts)
    compare(tfl, litert, tmp_path, m, [x], f"l2pool_{case}")


BIT_TYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32"]
BCAST = [([7], [7]), ([2, 3, 5], [1, 3, 1]), ([4, 1], [1, 6]), ([3, 1, 2, 1, 2], [2, 1, 2]),
         ([5], [])]


@pytest.mark.parametrize("shapes", BCAST)
@pytest.mark.parametrize("dtype", BIT_TYPES)
def test_bitwise_xor(dtype, shapes, tfl, litert, tmp_path):
    sa, sb = shapes
    out = list(np.broadcast_shapes(tuple(sa), tuple(sb)))
    if len(out) > 4:
        pytest.skip("LiteRT broadcasts BITWISE_XOR in 4-D only")
    m = model("BITWISE_XOR", [("a", sa, dtype), ("b", sb, dtype)], (out, dtype),
              fb.options("BitwiseXorOptions"))
    compare(tfl, litert, tmp_path, m, [rand(1, dtype, sa), rand(2, dtype, sb)],
            f"xor_{dtype}_{len(sa)}{len(sb)}")


def shift_amounts(dtype, shape, seed):
    """Amounts from below 0 to above the width, the type's extremes too."""
    bits = np.iinfo(dtype).bits
    lo = max(np.iinfo(dtype).min, -3 * bits)
    hi = min(np.iinfo(dtype).max, 3 * bits)
    y = np.random.default_rng(seed).integers(lo, hi, shape, endpoint=True).astype(dtype)
    y.flat[:2] = [np.iinfo(dtype).min, np.iinfo(dtype).max][: min(2, y.size)]
    return y


@pytest.mark.parametrize("shapes", BCAST)
@pytest.mark.parametrize("dtype", BIT_TYPES)
def test_right_shift(dtype, shapes, tfl, litert, tmp_path):
    sa, sb = shapes
    out = list(np.broadcast_shapes(tuple(sa), tuple(sb)))
    if len(out) > 4:
        pytest.skip("LiteRT broadcasts RIGHT_SHIFT in 4-D only")
    x = rand(3, dtype, sa)
    x.flat[:2] = [np.iinfo(dtype).min, np.iinfo(dtype).max]
    y = shift_amounts(dtype, sb, 4) if sb else np.array(np.iinfo(dtype).bits - 1, dtype)
    m = model("RIGHT_SHIFT", [("a", sa, dtype), ("b", sb, dtype)], (out, dtype),
              fb.options("RightShiftOptions"))
    compare(tfl, litert, tmp_path, m, [x, y], f"shift_{dtype}_{len(sa)}{len(sb)}")


@pytest.mark.parametrize("dtype", BIT_TYPES)
def test_right_shift_every_amount(dtype, tfl, litert, tmp_path):
    """Every amount from -2 * bits to 2 * bits (clamped to the type) against
    negative, positive and extreme values, and a 5-D broadcast checked
    against NumPy (LiteRT's kernel is 4-D)."""
    info = np.iinfo(dtype)
    xs = np.array(sorted({info.min, info.min + 1, -7, -1, 0, 1, 7, info.max} & set(
        range(info.min, info.max + 1)) if info.bits < 32 else
        [info.min, info.min + 1, -7, -1, 0, 1, 7, info.max] if info.min < 0 else
        [0, 1, 7, info.max - 1, info.max]), dtype)
    amounts = np.arange(max(info.min, -2 * info.bits), 2 * info.bits + 1).astype(dtype)
    a = np.repeat(xs, amounts.size)
    b = np.tile(amounts, xs.size)
    m = model("RIGHT_SHIFT", [("a", [a.size], dtype), ("b", [b.size], dtype)], ([a.size], dtype),
              fb.options("RightShiftOptions"))
    compare(tfl, litert, tmp_path, m, [a, b], f"shift_all_{dtype}")
    sa, sb = [3, 1, 2, 1, 2], [2, 1, 2]
    x, y = rand(5, dtype, sa), shift_amounts(dtype, sb, 6)
    clamped = np.clip(y.astype(np.int64), 0, info.bits - 1)
    want = (x.astype(np.int64) >> clamped).astype(dtype)
    m = model("RIGHT_SHIFT", [("a", sa, dtype), ("b", sb, dtype)], (list(want.shape), dtype),
              fb.options("RightShiftOptions"))
    compare(tfl, litert, tmp_path, m, [x, y], f"shift_5d_{dtype}", want=want)


BOUNDS = {"plain": [-1.5, 0.0, 0.0, 2.5, 16777216.0, 1e10], "empty": [],
          "nan": [0.0, float("nan"), 1.0, 3.0], "one": [0.5]}


def bucket_input(dtype, shape):
    r = np.random.default_rng(11)
    if dtype in ("float32", "float64"):
        x = r.uniform(-4, 4, shape).astype(dtype)
        x.flat[:8] = [np.nan, -np.inf, np.inf, 0.0, -0.0, 2.5, -1.5, 1e10]
        if dtype == "float64":
            x.flat[8:10] = [2.5000000001, 16777217.0]
        return x
    x = r.integers(-5, 5, shape).astype(dtype)
    info = np.iinfo(dtype)
    x.flat[:6] = [info.min, info.max, 16777217, 16777216, 0, -1]
    return x


@pytest.mark.parametrize("bounds", sorted(BOUNDS))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_bucketize(dtype, bounds, tfl, litert, tmp_path):
    shape = [3, 5, 2]
    m = model("BUCKETIZE", [("x", shape, dtype)], (shape, "int32"),
              fb.options("BucketizeOptions", boundaries=BOUNDS[bounds]))
    compare(tfl, litert, tmp_path, m, [bucket_input(dtype, shape)], f"bucketize_{dtype}_{bounds}")


def test_bucketize_no_options(tfl, litert, tmp_path):
    m = model("BUCKETIZE", [("x", [4], "float32")], ([4], "int32"))
    compare(tfl, litert, tmp_path, m, [np.array([-1, 0, 1, np.nan], np.float32)], "bucketize_none")


CAST_PAIRS = [("float32", "int32"), ("int32", "uint32"), ("float32", "uint8"), ("int64", "int16"),
              ("uint8", "float32"), ("int16", "int64"), ("int8", "float64"), ("float64", "int32"),
              ("bool", "uint8"), ("uint16", "int8"), ("float16", "uint16"), ("int8", "int16")]


@pytest.mark.parametrize("pair", CAST_PAIRS, ids=["-".join(p) for p in CAST_PAIRS])
def test_bitcast(pair, tfl, litert, tmp_path):
    src, dst = pair
    si, di = np.dtype(src).itemsize, np.dtype(dst).itemsize
    shape = [3, 2, max(1, di // si)] if di > si else [3, 5]
    raw = np.random.default_rng(si * 16 + di).integers(0, 256, int(np.prod(shape)) * si,
                                                       dtype=np.uint8)
    if src == "bool":
        raw &= 1
    x = raw.view(src).reshape(shape)
    want = x.view(dst).reshape(shape[:-1] if di > si else shape + ([si // di] if si > di else []))
    m = model("BITCAST", [("x", shape, src)], (list(want.shape), dst), fb.options("BitcastOptions"))
    compare(tfl, litert, tmp_path, m, [x], f"bitcast_{src}_{dst}")


RS = "REVERSE_SEQUENCE"
ERRORS = {
    "bitcast_last_dim": (model("BITCAST", [("x", [3, 2], "int8")], ([3], "int32")),
                         "int8 to int32 needs a last dimension of 4, the input has size 2"),
    "bitcast_scalar": (model("BITCAST", [("x", [], "int8")], ([], "int16")),
                       "int8 to int16 needs a last dimension of 2, the input has rank 0"),
    "bitcast_rank": (model("BITCAST", [("x", [1] * 8, "int32")], ([1] * 8, "int8")),
                     "int32 to int8 adds a dimension to rank 8 (max 8)"),
    "bucketize_unsorted": (model("BUCKETIZE", [("x", [2], "float32")], ([2], "int32"),
                                 fb.options("BucketizeOptions", boundaries=[0.0, 2.0, 1.0])),
                           "expected sorted boundaries: 1 after 2"),
    "bucketize_no_vector": (model("BUCKETIZE", [("x", [2], "float32")], ([2], "int32"),
                                  fb.options("BucketizeOptions")), "boundaries array not provided"),
    "bucketize_int8": (model("BUCKETIZE", [("x", [2], "int8")], ([2], "int32"),
                             fb.options("BucketizeOptions", boundaries=[0.0])),
                       "type int8 not supported (float32, float64, int32, int64)"),
    "bucketize_int64_out": (model("BUCKETIZE", [("x", [2], "float32")], ([2], "int64"),
                                  fb.options("BucketizeOptions", boundaries=[0.0])), "int32"),
    "xor_float": (model("BITWISE_XOR", [("a", [2], "float32"), ("b", [2], "float32")],
                        ([2], "float32")),
                  "type float32 not supported (int8, uint8, int16, uint16, int32, uint32)"),
    "shift_int64": (model("RIGHT_SHIFT", [("a", [2], "int64"), ("b", [2], "int64")],
                          ([2], "int64")),
                    "type int64 not supported (int8, uint8, int16, uint16, int32, uint32)"),
    "shift_mixed": (model("RIGHT_SHIFT", [("a", [2], "int32"), ("b", [2], "int8")],
                          ([2], "int32")), "int8"),
    "xor_bcast": (model("BITWISE_XOR", [("a", [2, 3], "int32"), ("b", [2], "int32")],
                        ([2, 3], "int32")), "broadcast"),
    "l2_int8": (model("L2_POOL_2D", [("x", [1, 2, 2, 1], "int8")], ([1, 1, 1, 1], "int8"),
                      fb.options("Pool2DOptions", stride_h=1, stride_w=1, filter_height=2,
                                 filter_width=2)), "input type int8 not supported (expected float32)"),
    "l2_zero_filter": (model("L2_POOL_2D", [("x", [1, 2, 2, 1], "float32")],
                             ([1, 2, 2, 1], "float32"),
                             fb.options("Pool2DOptions", stride_h=1, stride_w=1)),
                       "filter size must be > 0, got 0x0"),
    "l2_rank3": (model("L2_POOL_2D", [("x", [2, 2, 1], "float32")], ([2, 2, 1], "float32"),
                       fb.options("Pool2DOptions", stride_h=1, stride_w=1, filter_height=1,
                                  filter_width=1)), "must have rank 4"),
    "rs_int8": (model(RS, [("x", [2, 2], "int8"), ("l", [2], "int32")], ([2, 2], "int8"),
                      fb.options("ReverseSequenceOptions", seq_dim=1)),
                "type int8 not supported (float32, uint8, int16, int32, int64)"),
    "rs_same_dims": (model(RS, [("x", [2, 2], "int32"), ("l", [2], "int32")], ([2, 2], "int32"),
                           fb.options("ReverseSequenceOptions", seq_dim=0)),
                     "seq_dim 0 and batch_dim 0 must be distinct dimensions in [0, 2)"),
    "rs_negative_dim": (model(RS, [("x", [2, 2], "int32"), ("l", [2], "int32")],
                              ([2, 2], "int32"),
                              fb.options("ReverseSequenceOptions", seq_dim=-1)),
                        "seq_dim -1 and batch_dim 0 must be distinct"),
    "rs_batch_size": (model(RS, [("x", [2, 3], "int32"), ("l", [3], "int32")], ([2, 3], "int32"),
                            fb.options("ReverseSequenceOptions", seq_dim=1)),
                      "seq_lengths has 3 elements, batch_dim has size 2"),
    "rs_const_too_long": (model(RS, [("x", [2, 3], "int32"), ("l", [2], "int32")],
                                ([2, 3], "int32"), fb.options("ReverseSequenceOptions", seq_dim=1),
                                {"l": [1, 4]}),
                          "seq_lengths[1] = 4 exceeds the size 3 of seq_dim"),
    "rs_float_lengths": (model(RS, [("x", [2, 3], "int32"), ("l", [2], "float32")],
                               ([2, 3], "int32"), fb.options("ReverseSequenceOptions", seq_dim=1)),
                         "seq_lengths"),
    "md_bool": (model("MATRIX_DIAG", [("x", [2], "bool")], ([2, 2], "bool")),
                "type bool not supported (float32, int8, uint8, int16, int32, int64)"),
    "md_scalar": (model("MATRIX_DIAG", [("x", [], "int32")], ([1], "int32")),
                  "input rank 0 not in [1, 7]"),
    "msd_rank1": (model("MATRIX_SET_DIAG", [("x", [3], "int32"), ("d", [3], "int32")],
                        ([3], "int32")), "input rank 1 is below 2"),
    "msd_short_diag": (model("MATRIX_SET_DIAG", [("x", [2, 3, 4], "int32"), ("d", [2, 2], "int32")],
                             ([2, 3, 4], "int32")),
                       "diagonal shape must be the input's batch dims and min(3, 4)"),
    "msd_diag_type": (model("MATRIX_SET_DIAG", [("x", [3, 3], "int32"), ("d", [3], "int8")],
                            ([3, 3], "int32")), "diagonal"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors(case, tfl, tmp_path):
    m, msg = ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(m)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr


def test_reverse_sequence_fed_too_long(tfl, tmp_path):
    m = model(RS, [("x", [2, 3], "int32"), ("l", [2], "int64")], ([2, 3], "int32"),
              fb.options("ReverseSequenceOptions", seq_dim=1))
    path = tmp_path / "rs_fed.tflite"
    path.write_bytes(m)
    np.save(tmp_path / "x.npy", np.zeros([2, 3], np.int32))
    np.save(tmp_path / "l.npy", np.array([2, 1 << 40], np.int64))
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-i", tmp_path / "l.npy")
    assert p.returncode != 0
    assert "seq_lengths[1] = 1099511627776 exceeds the size 3 of seq_dim" in p.stderr, p.stderr
