"""Seed models of the model fuzzer for the ops gen_fuzz_models.py does not
build itself: matrix and recurrent ops, the float-only math, comparison and
selection, reductions, data movement and the dynamic-shape ops. Imported by
gen_fuzz_models.py, whose MODELS list they join (same builder, same rules:
one op on small shapes, constant weights and index tensors, realistic
options, integer types quantized as converters write them).

Shapes and options follow the op's conformance test (tests/conformance/),
which checks the same models against LiteRT. Where `tfl run`'s random
inputs (integers over the whole range, int32/int64 in [0, 100), floats in
[-1, 1)) would only reach an error, the input is a constant or an op
before it makes the value (SHAPE before BROADCAST_ARGS).
"""
import gen_fuzz_models as fb
from gen_fuzz_models import QUANTIZED, in_q, named, options, out_q, q, q_channels

SAME, VALID = fb.SAME, fb.VALID
NONE, RELU, RELU6, TANH = fb.NONE, fb.RELU, fb.RELU6, 4

# Every fixed-size type a data-movement op takes.
ANY_TYPE = ("float32", "uint8", "int8", "int16", "int32", "int64", "bool")


def same_q(dtype):
    """One quantization for the input and output of an op that moves values."""
    return in_q(dtype) if dtype in QUANTIZED else None


# Convolutions and matrix products ------------------------------------------------

BMM_Q = {"int8": (q(0.05, 3), q(0.04, -2), q(1.0, 1)),
         "int16": (q(0.01), q(0.02), q(0.2))}


def batch_matmul(g, v, dtype):
    """[2, 3, 5] x constant [5, 4] (the rhs broadcast over the batch)."""
    qa, qb, qo = BMM_Q.get(dtype, (None, None, None))
    a = g.input("a", [2, 3, 5], dtype, qa)
    if dtype == "float32":
        vals = v.floats(20, -0.5, 0.5)
    else:
        vals = v.ints(20, -127, 127) if dtype == "int8" else v.ints(20, -100, 100)
    b = g.const("b", [5, 4], dtype, vals, qb)
    y = g.tensor("y", [2, 3, 4], dtype, qo)
    g.op("BATCH_MATMUL", [a, b], [y], options("BatchMatMulOptions"))
    g.output(y)


def batch_matmul_adj(g, v, dtype):
    """Both operands fed, adj_x and adj_y, batch dimensions broadcast."""
    a = g.input("a", [2, 1, 5, 3], dtype)
    b = g.input("b", [3, 4, 5], dtype)
    y = g.tensor("y", [2, 3, 3, 4], dtype)
    g.op("BATCH_MATMUL", [a, b], [y], options("BatchMatMulOptions", adj_x=True, adj_y=True))
    g.output(y)


for _dt in ("float32", "int8", "int16"):
    fb.single("batch_matmul", _dt, batch_matmul)
named("batch_matmul_adj_float32", "float32", batch_matmul_adj)


def conv_3d(g, v, dtype):
    x = g.input("input", [1, 3, 4, 4, 2], dtype)
    w = g.const("filter", [2, 2, 2, 2, 3], dtype, v.floats(48, -0.5, 0.5))
    b = g.const("bias", [3], dtype, v.floats(3, -0.2, 0.2))
    y = g.tensor("output", [1, 3, 2, 4, 3], dtype)
    g.op("CONV_3D", [x, w, b], [y],
         options("Conv3DOptions", padding=SAME, stride_d=1, stride_h=2, stride_w=1,
                 fused_activation_function=RELU6))
    g.output(y)


fb.single("conv_3d", "float32", conv_3d)


def transpose_conv(per_channel=False):
    """[1, 3, 3, 2] -> [1, 6, 6, 3]: 3x3 filter, stride 2, SAME, bias."""
    def build(g, v, dtype):
        out_c, fshape = 3, [3, 3, 3, 2]
        n = 54
        if dtype == "float32":
            x = g.input("input", [1, 3, 3, 2], dtype)
            w = g.const("filter", fshape, dtype, v.floats(n, -0.5, 0.5))
            b = g.const("bias", [out_c], dtype, v.floats(out_c, -0.2, 0.2))
            y = g.tensor("output", [1, 6, 6, out_c], dtype)
        else:
            qin = {"uint8": q(0.05, 128), "int8": q(0.05, -3), "int16": q(0.01)}[dtype]
            qout = {"uint8": q(0.2, 120), "int8": q(0.2, 5), "int16": q(0.5)}[dtype]
            x = g.input("input", [1, 3, 3, 2], dtype, qin)
            if dtype == "uint8":
                w = g.const("filter", fshape, "uint8", v.ints(n, 0, 255), q(0.02, 130))
                bscales = [qin[0][0] * 0.02]
            else:
                scales = [0.01 + 0.005 * c for c in range(out_c)] if per_channel else [0.012]
                wq = q_channels(scales, 0) if per_channel else q(scales[0])
                w = g.const("filter", fshape, "int8", v.ints(n, -127, 127), wq)
                bscales = [qin[0][0] * s for s in scales]
            bq = q_channels(bscales, 0) if len(bscales) > 1 else q(bscales[0])
            b = g.const("bias", [out_c], "int64" if dtype == "int16" else "int32",
                        v.ints(out_c, -3000, 3000), bq)
            y = g.tensor("output", [1, 6, 6, out_c], dtype, qout)
        shape = g.const("output_shape", [4], "int32", [1, 6, 6, out_c])
        g.op("TRANSPOSE_CONV", [shape, w, x, b], [y],
             options("TransposeConvOptions", padding=SAME, stride_w=2, stride_h=2), version=3)
        g.output(y)
    return build


for _dt in ("float32", "uint8", "int8"):
    fb.single("transpose_conv", _dt, transpose_conv())
named("transpose_conv_int8_per_channel", "int8", transpose_conv(per_channel=True))
named("transpose_conv_int16", "int16", transpose_conv(per_channel=True))


# Float math and activations ------------------------------------------------------

def float_unary(op, table=None, shape=(2, 3, 8), **opts):
    def build(g, v, dtype):
        x = g.input("input", list(shape), dtype)
        y = g.tensor("output", list(shape), dtype)
        g.op(op, [x], [y], options(table, **opts) if table else None)
        g.output(y)
    return build


fb.single("l2_normalization", "float32", float_unary("L2_NORMALIZATION", "L2NormOptions"))
fb.single("log_softmax", "float32", float_unary("LOG_SOFTMAX", "LogSoftmaxOptions", (3, 10)))


def quantized_log_softmax(g, v, dtype):
    """uint8 / int8 with the output quantization TFLite requires."""
    x = g.input("input", [3, 10], dtype, q(0.1, 3 if dtype == "uint8" else -2))
    y = g.tensor("output", [3, 10], dtype, q(16 / 256, 255 if dtype == "uint8" else 127))
    g.op("LOG_SOFTMAX", [x], [y], options("LogSoftmaxOptions"), version=2)
    g.output(y)


for _dt in ("uint8", "int8"):
    fb.single("log_softmax", _dt, quantized_log_softmax)
fb.single("gelu", "float32", float_unary("GELU", "GeluOptions"))
named("gelu_approximate_float32", "float32",
      float_unary("GELU", "GeluOptions", approximate=True))
fb.single("local_response_normalization", "float32",
          float_unary("LOCAL_RESPONSE_NORMALIZATION", "LocalResponseNormalizationOptions",
                      (1, 3, 4, 9), radius=2, bias=1.0, alpha=0.1, beta=0.75))
for _dt in ("float32", "int32"):
    fb.single("sign", _dt, float_unary("SIGN", shape=(3, 4)))
    fb.single("squared_difference", _dt,
              fb.binary("SQUARED_DIFFERENCE", None, quantized=False))
fb.single("squared_difference", "int8", fb.binary("SQUARED_DIFFERENCE", None))


def atan2(g, v, dtype):
    """TFLite's ATAN2 takes one shape for both inputs."""
    a = g.input("y", [2, 3, 4], dtype)
    b = g.input("x", [2, 3, 4], dtype)
    o = g.tensor("output", [2, 3, 4], dtype)
    g.op("ATAN2", [a, b], [o])
    g.output(o)


fb.single("atan2", "float32", atan2)


def pow_op(g, v, dtype):
    """A constant exponent per column (negative int32 ones fail at invoke)."""
    x = g.input("base", [2, 3, 4], dtype)
    e = g.const("exponent", [4], dtype, [2.0, 0.5, -1.5, 3.0] if dtype == "float32"
                else [0, 1, 2, 3])
    y = g.tensor("output", [2, 3, 4], dtype)
    g.op("POW", [x, e], [y])
    g.output(y)


for _dt in ("float32", "int32"):
    fb.single("pow", _dt, pow_op)


def cumsum(g, v, dtype):
    x = g.input("input", [3, 4, 5], dtype)
    axis = g.const("axis", [], "int32", [1])
    y = g.tensor("output", [3, 4, 5], dtype)
    g.op("CUMSUM", [x, axis], [y], options("CumsumOptions", exclusive=dtype == "int32",
                                           reverse=dtype == "int64"))
    g.output(y)


for _dt in ("float32", "int32", "int64"):
    fb.single("cumsum", _dt, cumsum)

ELU_PRELU_Q = {"uint8": (q(0.05, 130), q(0.02, 100)), "int8": (q(0.05, 3), q(0.03, -20))}


def elu(g, v, dtype):
    qi, qo = ELU_PRELU_Q.get(dtype, (None, None))
    x = g.input("input", [1, 3, 4, 2], dtype, qi)
    y = g.tensor("output", [1, 3, 4, 2], dtype, qo)
    g.op("ELU", [x], [y])
    g.output(y)


def prelu(g, v, dtype):
    """alpha per channel, broadcast over the rest."""
    qi, qo = ELU_PRELU_Q.get(dtype, (None, None))
    x = g.input("input", [1, 3, 4, 6], dtype, qi)
    if dtype == "float32":
        a = g.const("alpha", [1, 1, 6], dtype, v.floats(6, 0.0, 0.5))
    else:
        lo, hi = (0, 255) if dtype == "uint8" else (-128, 127)
        a = g.const("alpha", [1, 1, 6], dtype, v.ints(6, lo, hi),
                    q(0.01, 135 if dtype == "uint8" else 7))
    y = g.tensor("output", [1, 3, 4, 6], dtype, qo)
    g.op("PRELU", [x, a], [y])
    g.output(y)


for _dt in ("float32", "int8"):
    fb.single("elu", _dt, elu)
for _dt in ("float32", "uint8", "int8"):
    fb.single("prelu", _dt, prelu)


# Comparison, logic and selection ---------------------------------------------------

# TFLite's comparisons rescale quantized inputs with scales below 1.
CMP_Q = {"int8": (q(0.02, -7), q(0.07, 10)), "uint8": (q(0.02, 121), q(0.07, 138))}
CMP_TYPES = ("float32", "uint8", "int8", "int16", "int32", "int64")
# The int16 comparisons TFLite leaves out (tfl's own; LiteRT would not
# fill the output).
NOT_IN_TFLITE = {("not_equal", "int16"), ("greater", "int16"), ("less_equal", "int16")}


def compare(op):
    def build(g, v, dtype):
        qa, qb = CMP_Q.get(dtype, (None, None))
        a = g.input("a", [1, 2, 3, 4], dtype, qa)
        b = g.input("b", [1, 1, 3, 4], dtype, qb)
        y = g.tensor("output", [1, 2, 3, 4], "bool")
        g.op(op, [a, b], [y])
        g.output(y)
    return build


for _op in ("EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL"):
    for _dt in CMP_TYPES + (("bool",) if _op in ("EQUAL", "NOT_EQUAL") else ()):
        if (_op.lower(), _dt) not in NOT_IN_TFLITE:
            fb.single(_op.lower(), _dt, compare(_op))


def max_min(op):
    """Quantized types compare raw values: one quantization throughout."""
    def build(g, v, dtype):
        qq = same_q(dtype)
        a = g.input("a", [1, 2, 3, 4], dtype, qq)
        b = g.input("b", [1, 1, 3, 4], dtype, qq)
        y = g.tensor("output", [1, 2, 3, 4], dtype, qq)
        g.op(op, [a, b], [y])
        g.output(y)
    return build


for _dt in CMP_TYPES:
    fb.single("maximum", _dt, max_min("MAXIMUM"))
    fb.single("minimum", _dt, max_min("MINIMUM"))


def logical(op):
    def build(g, v, dtype):
        a = g.input("a", [1, 2, 3, 4], "bool")
        ins = [a]
        if op != "LOGICAL_NOT":
            ins.append(g.input("b", [1, 1, 3, 4], "bool"))
        y = g.tensor("output", [1, 2, 3, 4], "bool")
        g.op(op, ins, [y])
        g.output(y)
    return build


for _op in ("LOGICAL_AND", "LOGICAL_OR", "LOGICAL_NOT"):
    fb.single(_op.lower(), "bool", logical(_op))


def select(op, shapes):
    def build(g, v, dtype):
        qq = same_q(dtype)
        c = g.input("condition", shapes[0], "bool")
        x = g.input("x", shapes[1], dtype, qq)
        y = g.input("y", shapes[2], dtype, qq)
        o = g.tensor("output", shapes[3], dtype, qq)
        g.op(op, [c, x, y], [o])
        g.output(o)
    return build


for _dt in ("bool", "float32", "uint8", "int8", "int16", "int32", "int64"):
    fb.single("select", _dt, select("SELECT", ([2, 3, 4], [2, 3, 4], [2, 3, 4], [2, 3, 4])))
    fb.single("select_v2", _dt, select("SELECT_V2", ([2, 1, 3, 1], [1, 4, 1, 5], [4, 3, 1],
                                                     [2, 4, 3, 5])))
named("select_rows_float32", "float32", select("SELECT", ([3], [3, 2, 4], [3, 2, 4],
                                                          [3, 2, 4])))


# Reductions ------------------------------------------------------------------------------

def reducer(op, keep_dims):
    def build(g, v, dtype):
        qq = same_q(dtype)
        x = g.input("input", [1, 4, 3, 2], dtype, qq)
        axis = g.const("axis", [2], "int32", [1, -2])
        y = g.tensor("output", [1, 1, 1, 2] if keep_dims else [1, 2], dtype, qq)
        g.op(op, [x, axis], [y], options("ReducerOptions", keep_dims=keep_dims))
        g.output(y)
    return build


for _dt in ("float32", "uint8", "int8", "int16", "int32", "int64"):
    fb.single("reduce_max", _dt, reducer("REDUCE_MAX", _dt in ("float32", "int8")))
    fb.single("reduce_min", _dt, reducer("REDUCE_MIN", _dt in ("uint8", "int32")))
for _dt in ("float32", "int32", "int64", "int8", "int16"):
    fb.single("reduce_prod", _dt, reducer("REDUCE_PROD", _dt == "int32"))
fb.single("reduce_any", "bool", reducer("REDUCE_ANY", False))
fb.single("reduce_all", "bool", reducer("REDUCE_ALL", True))


# Data movement ---------------------------------------------------------------------------

def broadcast_args(g, v, dtype):
    """SHAPE of a fed tensor broadcast with a constant shape, as converted
    graphs compute a broadcast's target."""
    x = g.input("input", [2, 1, 3], "float32")
    s = g.tensor("shape", [3], dtype)
    g.op("SHAPE", [x], [s], options("ShapeOptions", out_type=fb.DTYPES[dtype][0]))
    k = g.const("other", [2], dtype, [4, 1])
    y = g.tensor("output", [3], dtype)
    g.op("BROADCAST_ARGS", [s, k], [y])
    g.output(y)


for _dt in ("int32", "int64"):
    fb.single("broadcast_args", _dt, broadcast_args)


def broadcast_to(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [3, 1], dtype, qq)
    s = g.const("shape", [3], "int32", [2, 3, 4])
    y = g.tensor("output", [2, 3, 4], dtype, qq)
    g.op("BROADCAST_TO", [x, s], [y], version=2)
    g.output(y)


def depth_to_space(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [1, 2, 3, 8], dtype, qq)
    y = g.tensor("output", [1, 4, 6, 2], dtype, qq)
    g.op("DEPTH_TO_SPACE", [x], [y], options("DepthToSpaceOptions", block_size=2))
    g.output(y)


def space_to_depth(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [1, 4, 6, 2], dtype, qq)
    y = g.tensor("output", [1, 2, 3, 8], dtype, qq)
    g.op("SPACE_TO_DEPTH", [x], [y], options("SpaceToDepthOptions", block_size=2))
    g.output(y)


def mirror_pad(g, v, dtype):
    """REFLECT pads up to size - 1, SYMMETRIC up to the size."""
    qq = same_q(dtype)
    reflect = dtype in ("float32", "int8", "int32")
    x = g.input("input", [3, 4, 2], dtype, qq)
    pads = [2, 1, 0, 3, 1, 0] if reflect else [3, 1, 0, 4, 2, 0]
    p = g.const("paddings", [3, 2], "int32", pads)
    out = [3 + pads[0] + pads[1], 4 + pads[2] + pads[3], 2 + pads[4] + pads[5]]
    y = g.tensor("output", out, dtype, qq)
    g.op("MIRROR_PAD", [x, p], [y], options("MirrorPadOptions", mode=0 if reflect else 1))
    g.output(y)


def reverse_v2(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [3, 4, 2], dtype, qq)
    a = g.const("axis", [1], "int32", [1])
    y = g.tensor("output", [3, 4, 2], dtype, qq)
    g.op("REVERSE_V2", [x, a], [y])
    g.output(y)


def slice_op(index_type):
    def build(g, v, dtype):
        qq = same_q(dtype)
        x = g.input("input", [5, 4, 3], dtype, qq)
        b = g.const("begin", [3], index_type, [1, 0, 1])
        s = g.const("size", [3], index_type, [3, -1, 2])
        y = g.tensor("output", [3, 4, 2], dtype, qq)
        g.op("SLICE", [x, b, s], [y])
        g.output(y)
    return build


for _dt in ANY_TYPE:
    fb.single("broadcast_to", _dt, broadcast_to)
    fb.single("reverse_v2", _dt, reverse_v2)
    fb.single("slice", _dt, slice_op("int32"))
named("slice_int64_indices_float32", "float32", slice_op("int64"))
for _dt in ("float32", "uint8", "int8", "int32", "int64"):
    fb.single("depth_to_space", _dt, depth_to_space)
    fb.single("space_to_depth", _dt, space_to_depth)
    fb.single("mirror_pad", _dt, mirror_pad)


def fill(g, v, dtype):
    dims = g.const("dims", [3], "int32", [2, 3, 4])
    x = g.input("value", [], dtype)
    y = g.tensor("output", [2, 3, 4], dtype)
    g.op("FILL", [dims, x], [y])
    g.output(y)


for _dt in ("float32", "int32", "int64", "int8", "int16", "bool"):
    fb.single("fill", _dt, fill)


def zeros_like(g, v, dtype):
    x = g.input("input", [3, 5], dtype)
    y = g.tensor("output", [3, 5], dtype)
    g.op("ZEROS_LIKE", [x], [y])
    g.output(y)


for _dt in ("float32", "int32", "int64"):
    fb.single("zeros_like", _dt, zeros_like)


def one_hot(index_type):
    """Fed indices (those outside [0, depth) give an all-off row)."""
    def build(g, v, dtype):
        i = g.input("indices", [2, 3], index_type)
        d = g.const("depth", [], "int32", [10])
        on, off = {"bool": (True, False), "uint8": (3, 7),
                   "float32": (1.0, 0.0)}.get(dtype, (3, -1))
        a = g.const("on_value", [], dtype, [on])
        b = g.const("off_value", [], dtype, [off])
        y = g.tensor("output", [2, 3, 10], dtype)
        g.op("ONE_HOT", [i, d, a, b], [y], options("OneHotOptions", axis=-1))
        g.output(y)
    return build


for _dt in ("float32", "int32", "int64", "int8", "uint8", "bool"):
    fb.single("one_hot", _dt, one_hot("int32"))
named("one_hot_int64_indices_float32", "float32", one_hot("int64"))


def range_op(g, v, dtype):
    """Constant start and delta, fed limit: random limits never point away."""
    start, delta = ([-1.0], [0.125]) if dtype == "float32" else ([0], [3])
    s = g.const("start", [], dtype, start)
    lim = g.input("limit", [], dtype)
    d = g.const("delta", [], dtype, delta)
    y = g.tensor("output", [8], dtype)
    g.op("RANGE", [s, lim, d], [y])
    g.output(y)


for _dt in ("int32", "int64", "float32"):
    fb.single("range", _dt, range_op)


def scatter_nd(g, v, dtype):
    """Constant row indices (one repeated: the updates sum), fed updates."""
    i = g.const("indices", [3, 1], "int32", [1, 0, 1])
    u = g.input("updates", [3, 5], dtype)
    s = g.const("shape", [2], "int32", [3, 5])
    y = g.tensor("output", [3, 5], dtype)
    g.op("SCATTER_ND", [i, u, s], [y])
    g.output(y)


for _dt in ("float32", "uint8", "int8", "int32", "int64", "bool"):
    fb.single("scatter_nd", _dt, scatter_nd)


def segment_sum(g, v, dtype):
    x = g.input("data", [6, 3], dtype)
    ids = g.const("segment_ids", [6], "int32", [0, 0, 1, 1, 1, 2])
    y = g.tensor("output", [3, 3], dtype)
    g.op("SEGMENT_SUM", [x, ids], [y])
    g.output(y)


def unsorted_segment(op):
    """Matrix ids, unsorted with a gap and a negative (skipped) one."""
    def build(g, v, dtype):
        x = g.input("data", [2, 3, 4], dtype)
        ids = g.const("segment_ids", [2, 3], "int32", [1, 0, 3, 3, -1, 1])
        n = g.const("num_segments", [], "int32", [5])
        y = g.tensor("output", [5, 4], dtype)
        g.op(op, [x, ids, n], [y])
        g.output(y)
    return build


for _dt in ("float32", "int32"):
    fb.single("segment_sum", _dt, segment_sum)
    for _op in ("SUM", "PROD", "MAX", "MIN"):
        fb.single("unsorted_segment_" + _op.lower(), _dt,
                  unsorted_segment("UNSORTED_SEGMENT_" + _op))


def top_k(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [3, 9], dtype, qq)
    k = g.const("k", [], "int32", [4])
    vals = g.tensor("values", [3, 4], dtype, qq)
    idx = g.tensor("indices", [3, 4], "int32")
    g.op("TOPK_V2", [x, k], [vals, idx])
    g.output(vals, idx)


def unique(index_type):
    def build(g, v, dtype):
        qq = same_q(dtype)
        x = g.input("input", [12], dtype, qq)
        y = g.tensor("output", [12], dtype, qq)
        i = g.tensor("indices", [12], index_type)
        g.op("UNIQUE", [x], [y, i], options("UniqueOptions",
                                            idx_out_type=fb.DTYPES[index_type][0]))
        g.output(y, i)
    return build


def where(g, v, dtype):
    x = g.input("condition", [3, 5], dtype, same_q(dtype))
    y = g.tensor("index", [1, 2], "int64")
    g.op("WHERE", [x], [y])
    g.output(y)


for _dt in ("float32", "uint8", "int8", "int16", "int32", "int64"):
    fb.single("top_k_v2", _dt, top_k)
    fb.single("unique", _dt, unique("int32"))
named("unique_int64_indices_int32", "int32", unique("int64"))
for _dt in ("bool", "float32", "uint8", "int8", "int32", "int64"):
    fb.single("where", _dt, where)


# Recurrent ---------------------------------------------------------------------------------

def svdf(g, v, dtype):
    """float32: rank 2, 6 filters, memory 4, RELU. int8: int16 time weights
    and state, RELU (the only activation TFLite's integer SVDF takes)."""
    q8 = dtype == "int8"
    n_input, n_filter, rank, n_memory = 5, 6, 1 if q8 else 2, 4
    n_unit = n_filter // rank
    x = g.input("input", [1, n_input], dtype, q(1 / 32, 7) if q8 else None)
    if q8:
        wf = g.const("weights_feature", [n_filter, n_input], "int8",
                     v.ints(n_filter * n_input, -127, 127), q(1 / 128))
        wt = g.const("weights_time", [n_filter, n_memory], "int16",
                     v.ints(n_filter * n_memory, -20000, 20000), q(1 / 16384))
        b = g.const("bias", [n_unit], "int32", v.ints(n_unit, -5000, 5000), q(1e-4))
        st = g.tensor("state", [1, n_memory * n_filter], "int16", q(1 / 1024), variable=True)
        y = g.tensor("output", [1, n_unit], dtype, q(1 / 16, -20))
    else:
        wf = g.const("weights_feature", [n_filter, n_input], dtype,
                     v.floats(n_filter * n_input))
        wt = g.const("weights_time", [n_filter, n_memory], dtype, v.floats(n_filter * n_memory))
        b = g.const("bias", [n_unit], dtype, v.floats(n_unit, -0.5, 0.5))
        st = g.tensor("state", [1, n_memory * n_filter], dtype, variable=True)
        y = g.tensor("output", [1, n_unit], dtype)
    g.op("SVDF", [x, wf, wt, b, st], [y],
         options("SVDFOptions", rank=rank, fused_activation_function=RELU),
         version=3 if q8 else 1)
    g.output(y)


for _dt in ("float32", "int8"):
    fb.single("svdf", _dt, svdf)


def lstm(g, v, dtype):
    """Batch-major [1, 3, 3] input, 4 cells, no peephole or projection. int8
    as TensorFlow's converter writes it: int8 weights and hidden state, int16
    cell state (scale 2^-11), int32 biases, the 5 intermediates."""
    n_batch, n_time, n_input, n_cell = 1, 3, 3, 4
    q8 = dtype == "int8"

    def weights(name, shape, scale):
        n = fb.count(shape)
        if q8:
            return g.const(name, shape, "int8", v.ints(n, -127, 127), q(scale))
        return g.const(name, shape, dtype, v.floats(n, -0.5, 0.5))

    def bias(name):
        if q8:
            return g.const(name, [n_cell], "int32", v.ints(n_cell, -20000, 20000), q(1e-5))
        return g.const(name, [n_cell], dtype, v.floats(n_cell, -0.2, 0.2))

    x = g.input("input", [n_batch, n_time, n_input], dtype, q(1 / 64, -5) if q8 else None)
    ins = [x]
    ins += [weights("input_weights_%d" % k, [n_cell, n_input], 1 / 256 + k / 4096)
            for k in range(4)]
    ins += [weights("recurrent_weights_%d" % k, [n_cell, n_cell], 1 / 300 + k / 5000)
            for k in range(4)]
    ins += [-1, -1, -1]  # peepholes
    ins += [bias("bias_%d" % k) for k in range(4)]
    ins += [-1, -1]  # projection
    ins += [g.tensor("output_state", [n_batch, n_cell], dtype,
                     q(1 / 128, 3) if q8 else None, variable=True),
            g.tensor("cell_state", [n_batch, n_cell], "int16" if q8 else dtype,
                     q(2.0 ** -11) if q8 else None, variable=True)]
    ins += [-1, -1, -1, -1]  # layer norm
    inter = None
    if q8:
        inter = [g.tensor("gate_%d" % k, [1], "int16", q(1 / 4096 * (1 + k / 8)))
                 for k in range(4)]
        inter.append(g.tensor("hidden", [1], "int8", q(1 / 120, 1)))
    y = g.tensor("output", [n_batch, n_time, n_cell], dtype, q(1 / 128, 3) if q8 else None)
    g.op("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y],
         options("UnidirectionalSequenceLSTMOptions", fused_activation_function=TANH,
                 cell_clip=0.0, proj_clip=0.0, time_major=False),
         intermediates=inter)
    g.output(y)


for _dt in ("float32", "int8"):
    fb.single("unidirectional_sequence_lstm", _dt, lstm)


def rnn_weights(g, v, hybrid, name, shape):
    """float32 weights, or int8 ones with one scale (a hybrid RNN)."""
    n = fb.count(shape)
    if hybrid:
        return g.const(name, shape, "int8", v.ints(n, -127, 127), q(0.005))
    return g.const(name, shape, "float32", v.floats(n, -0.6, 0.6))


def rnn_seed(sequence):
    """RNN ([2, 4] input) or UNIDIRECTIONAL_SEQUENCE_RNN (batch-major
    [2, 3, 4]), 5 units, TANH; 'int8' names the hybrid form (int8 weights,
    float32 activations, asymmetric inputs)."""
    def build(g, v, dtype):
        hybrid = dtype == "int8"
        shape = [2, 3, 4] if sequence else [2, 4]
        x = g.input("input", shape, "float32")
        w = rnn_weights(g, v, hybrid, "weights", [5, 4])
        r = rnn_weights(g, v, hybrid, "recurrent_weights", [5, 5])
        b = g.const("bias", [5], "float32", v.floats(5, -0.3, 0.3))
        h = g.tensor("hidden_state", [2, 5], "float32", variable=True)
        y = g.tensor("output", shape[:-1] + [5], "float32")
        if sequence:
            opts = options("SequenceRNNOptions", fused_activation_function=TANH,
                           asymmetric_quantize_inputs=hybrid)
        else:
            opts = options("RNNOptions", fused_activation_function=TANH,
                           asymmetric_quantize_inputs=hybrid)
        g.op("UNIDIRECTIONAL_SEQUENCE_RNN" if sequence else "RNN", [x, w, r, b, h], [y], opts,
             version=3 if hybrid else 1)
        g.output(y)
    return build


def bidirectional_rnn(g, v, dtype):
    """Time-major [3, 2, 4] input, 4 forward and 3 backward units, merged
    output, an auxiliary input with weights; 'int8' is the hybrid form,
    batch-major (LiteRT 2.3.0 crashes on a time-major hybrid one with an
    auxiliary input, so check_fuzz_models could not compare it)."""
    hybrid = dtype == "int8"
    seq = [2, 3] if hybrid else [3, 2]
    x = g.input("input", seq + [4], "float32")
    ins = [x]
    for tag, units in (("fw", 4), ("bw", 3)):
        ins += [rnn_weights(g, v, hybrid, tag + "_weights", [units, 4]),
                rnn_weights(g, v, hybrid, tag + "_recurrent_weights", [units, units]),
                g.const(tag + "_bias", [units], "float32", v.floats(units, -0.3, 0.3)),
                g.tensor(tag + "_hidden_state", [2, units], "float32", variable=True)]
    ins.append(g.input("aux_input", seq + [4], "float32"))
    ins += [rnn_weights(g, v, hybrid, "fw_aux_weights", [4, 4]),
            rnn_weights(g, v, hybrid, "bw_aux_weights", [3, 4])]
    y = g.tensor("output", seq + [7], "float32")
    g.op("BIDIRECTIONAL_SEQUENCE_RNN", ins, [y],
         options("BidirectionalSequenceRNNOptions", time_major=not hybrid,
                 fused_activation_function=TANH, merge_outputs=True),
         version=2 if hybrid else 1)
    g.output(y)


for _dt in ("float32", "int8"):
    fb.single("rnn", _dt, rnn_seed(False))
    fb.single("unidirectional_sequence_rnn", _dt, rnn_seed(True))
    fb.single("bidirectional_sequence_rnn", _dt, bidirectional_rnn)


def lstm_single_step(g, v, dtype):
    """LSTM (16): the unidirectional seed's cell for one step over [2, 3]."""
    q8 = dtype == "int8"
    n_batch, n_input, n_cell = 2, 3, 4

    def weights(name, shape, scale):
        n = fb.count(shape)
        if q8:
            return g.const(name, shape, "int8", v.ints(n, -127, 127), q(scale))
        return g.const(name, shape, dtype, v.floats(n, -0.5, 0.5))

    def bias(name):
        if q8:
            return g.const(name, [n_cell], "int32", v.ints(n_cell, -20000, 20000), q(1e-5))
        return g.const(name, [n_cell], dtype, v.floats(n_cell, -0.2, 0.2))

    x = g.input("input", [n_batch, n_input], dtype, q(1 / 64, -5) if q8 else None)
    ins = [x] + [weights("input_weights_%d" % k, [n_cell, n_input], 1 / 256) for k in range(4)]
    ins += [weights("recurrent_weights_%d" % k, [n_cell, n_cell], 1 / 300) for k in range(4)]
    ins += [-1, -1, -1] + [bias("bias_%d" % k) for k in range(4)] + [-1, -1]
    ins += [g.tensor("output_state", [n_batch, n_cell], dtype, q(1 / 128, 3) if q8 else None,
                     variable=True),
            g.tensor("cell_state", [n_batch, n_cell], "int16" if q8 else dtype,
                     q(2.0 ** -11) if q8 else None, variable=True)]
    ins += [-1, -1, -1, -1]
    inter = None
    if q8:
        inter = [g.tensor("gate_%d" % k, [1], "int16", q(1 / 4096)) for k in range(4)]
        inter.append(g.tensor("hidden", [1], "int8", q(1 / 120, 1)))
    y = g.tensor("output", [n_batch, n_cell], dtype, q(1 / 128, 3) if q8 else None)
    g.op("LSTM", ins, [y], options("LSTMOptions", fused_activation_function=TANH),
         intermediates=inter)
    g.output(y)


for _dt in ("float32", "int8"):
    fb.single("lstm", _dt, lstm_single_step)


def nms(version):
    """NON_MAX_SUPPRESSION_V4 / V5 over 8 fed boxes and scores, constant
    max_output_size 4 and thresholds (V5: soft, sigma 0.5)."""
    def build(g, v, dtype):
        boxes = g.input("boxes", [8, 4], "float32")
        scores = g.input("scores", [8], "float32")
        ins = [boxes, scores, g.const("max_output_size", [], "int32", [4]),
               g.const("iou_threshold", [], "float32", [0.5]),
               g.const("score_threshold", [], "float32", [0.0])]
        sel = g.tensor("selected_indices", [4], "int32")
        count = g.tensor("num_selected", [], "int32")
        if version == 4:
            g.op("NON_MAX_SUPPRESSION_V4", ins, [sel, count],
                 options("NonMaxSuppressionV4Options"))
            g.output(sel, count)
        else:
            ins.append(g.const("soft_nms_sigma", [], "float32", [0.5]))
            sc = g.tensor("selected_scores", [4], "float32")
            g.op("NON_MAX_SUPPRESSION_V5", ins, [sel, sc, count],
                 options("NonMaxSuppressionV5Options"))
            g.output(sel, sc, count)
    return build


fb.single("non_max_suppression_v4", "float32", nms(4))
fb.single("non_max_suppression_v5", "float32", nms(5))


# MediaPipe custom ops -------------------------------------------------------------------
# Options as MediaPipe's converter writes them: TfLitePoolParams /
# TfLiteTransposeConvParams as raw little-endian int32 fields, the others as
# FlexBuffers maps; matrices are constants so that the sample points land
# inside the input. TfLitePadding counts from 1 (SAME), unlike the schema's
# Padding enum.
MP_SAME = 1


def mp_pool_options(stride, size):
    return fb.struct.pack("<6i", MP_SAME, stride, stride, size, size, NONE) + bytes(16)


def mp_matrix(g):
    return g.const("matrix", [1, 4, 4], "float32",
                   [0.8, -0.3, 0.0, 1.5, 0.3, 0.8, 0.0, 0.5,
                    0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0])


def mp_transpose_conv_bias(g, v, dtype):
    """[1, 3, 3, 2] -> [1, 6, 6, 3], 3x3 OHWI weights, stride 2, SAME."""
    x = g.input("input", [1, 3, 3, 2], dtype)
    w = g.const("weights", [3, 3, 3, 2], dtype, v.floats(54, -0.5, 0.5))
    b = g.const("bias", [3], dtype, v.floats(3, -0.2, 0.2))
    y = g.tensor("output", [1, 6, 6, 3], dtype)
    g.op("Convolution2DTransposeBias", [x, w, b], [y],
         custom=fb.struct.pack("<4i", MP_SAME, 2, 2, NONE))
    g.output(y)


def mp_max_pool_argmax(g, v, dtype):
    """2x2 stride 2 SAME over [1, 5, 6, 2]: values and window indices."""
    x = g.input("input", [1, 5, 6, 2], dtype)
    y = g.tensor("output", [1, 3, 3, 2], dtype)
    i = g.tensor("indices", [1, 3, 3, 2], dtype)
    g.op("MaxPoolingWithArgmax2D", [x], [y, i], custom=mp_pool_options(2, 2))
    g.output(y, i)


def mp_max_unpool(g, v, dtype):
    """MaxUnpooling2D fed by MaxPoolingWithArgmax2D (valid indices), as in
    selfie segmentation."""
    x = g.input("input", [1, 4, 6, 2], dtype)
    y = g.tensor("pooled", [1, 2, 3, 2], dtype)
    i = g.tensor("indices", [1, 2, 3, 2], dtype)
    z = g.tensor("output", [1, 4, 6, 2], dtype)
    g.op("MaxPoolingWithArgmax2D", [x], [y, i], custom=mp_pool_options(2, 2))
    g.op("MaxUnpooling2D", [y, i], [z], custom=mp_pool_options(2, 2))
    g.output(z)


def mp_transform_tensor_bilinear(g, v, dtype):
    """Version 2: [1, 6, 6, 2] sampled into 4x4 through a rotation."""
    x = g.input("input", [1, 6, 6, 2], dtype)
    y = g.tensor("output", [1, 4, 4, 2], dtype)
    g.op("TransformTensorBilinear", [x, mp_matrix(g)], [y], version=2,
         custom=bytes(fb.flexbuffers.Dumps({"output_height": 4, "output_width": 4})))
    g.output(y)


def mp_transform_landmarks(g, v, dtype):
    """Version 2: six (x, y, z) landmarks."""
    x = g.input("landmarks", [1, 6, 3], dtype)
    y = g.tensor("output", [1, 6, 3], dtype)
    g.op("TransformLandmarks", [x, mp_matrix(g)], [y], version=2)
    g.output(y)


def mp_landmarks_to_matrix(g, v, dtype):
    """Version 2 over eight landmarks, a five-index subset."""
    x = g.input("landmarks", [1, 8, 3], dtype)
    y = g.tensor("matrix", [1, 4, 4], dtype)
    opts = {"subset_idxs": [0, 2, 4, 6, 7], "left_rotation_idx": 1, "right_rotation_idx": 5,
            "target_rotation_radians": 0.0, "output_height": 16, "output_width": 16,
            "scale_x": 1.5, "scale_y": 1.5}
    g.op("Landmarks2TransformMatrix", [x], [y], version=2,
         custom=bytes(fb.flexbuffers.Dumps(opts)))
    g.output(y)


fb.single("convolution_2d_transpose_bias", "float32", mp_transpose_conv_bias)
fb.single("max_pooling_with_argmax_2d", "float32", mp_max_pool_argmax)
fb.single("max_unpooling_2d", "float32", mp_max_unpool)
fb.single("transform_tensor_bilinear", "float32", mp_transform_tensor_bilinear)
fb.single("transform_landmarks", "float32", mp_transform_landmarks)
fb.single("landmarks_2_transform_matrix", "float32", mp_landmarks_to_matrix)


def bidirectional_lstm(g, v, dtype):
    """BIDIRECTIONAL_SEQUENCE_LSTM: time-major [3, 2, 2] input, 3 cells and a
    projection to 2 outputs (with bias) in each direction, forward peepholes,
    merged output, an auxiliary input of 1 feature with weights, cell clip,
    TANH (short names: the model must stay within the seed budget)."""
    ins = [g.input("x", [3, 2, 2], dtype)]

    def const(name, shape, lo=-0.5, hi=0.5):
        return g.const(name, shape, dtype, v.floats(fb.count(shape), lo, hi))

    for t in ("f", "b"):
        ins += [const("%sw%d" % (t, k), [3, 2]) for k in range(4)]
        ins += [const("%sr%d" % (t, k), [3, 2]) for k in range(4)]
        ins += [const("%sp%d" % (t, k), [3]) if t == "f" else -1 for k in range(3)]
        ins += [const("%sb%d" % (t, k), [3], -0.2, 0.2) for k in range(4)]
        ins += [const(t + "pw", [2, 3]), const(t + "pb", [2], -0.2, 0.2)]
    for t in ("f", "b"):
        ins += [g.tensor(t + "h", [2, 2], dtype, variable=True),
                g.tensor(t + "c", [2, 3], dtype, variable=True)]
    ins.append(g.input("aux", [3, 2, 1], dtype))
    for t in ("f", "b"):
        ins += [const("%sa%d" % (t, k), [3, 1]) for k in range(4)]
    y = g.tensor("y", [3, 2, 4], dtype)
    g.op("BIDIRECTIONAL_SEQUENCE_LSTM", ins, [y],
         options("BidirectionalSequenceLSTMOptions", fused_activation_function=TANH,
                 cell_clip=3.0, merge_outputs=True, time_major=True))
    g.output(y)


fb.single("bidirectional_sequence_lstm", "float32", bidirectional_lstm)


# Hybrid (dynamic-range) BATCH_MATMUL and SVDF ---------------------------------------
# The float activation comes from a DEQUANTIZE of an int8 input, so that every
# fed value is finite: with NaN or infinity in a row, LiteRT's hybrid input
# quantization gives results its documented algorithm does not explain.

def hybrid_activation(g, name, shape):
    x = g.input(name, shape, "int8", q(0.02, -3))
    f = g.tensor(name + "_float", shape, "float32")
    g.op("DEQUANTIZE", [x], [f], options("DequantizeOptions"))
    return f


def batch_matmul_hybrid(g, v, dtype):
    """float32 [2, 3, 5] x constant int8 [5, 4] with one scale per output
    column, asymmetric per-row input quantization."""
    a = hybrid_activation(g, "a", [2, 3, 5])
    b = g.const("b", [5, 4], "int8", v.ints(20, -127, 127),
                q_channels([0.01, 0.02, 0.015, 0.03], 1))
    y = g.tensor("y", [2, 3, 4], dtype)
    g.op("BATCH_MATMUL", [a, b], [y],
         options("BatchMatMulOptions", asymmetric_quantize_inputs=True))
    g.output(y)


def svdf_hybrid(g, v, dtype):
    """float32 input, bias and state with int8 feature and time weights
    (one scale each): rank 2, 6 filters, memory 4, RELU, asymmetric inputs."""
    n_batch, n_input, n_filter, rank, n_memory = 2, 5, 6, 2, 4
    x = hybrid_activation(g, "input", [n_batch, n_input])
    wf = g.const("weights_feature", [n_filter, n_input], "int8",
                 v.ints(n_filter * n_input, -127, 127), q(0.0125))
    wt = g.const("weights_time", [n_filter, n_memory], "int8",
                 v.ints(n_filter * n_memory, -127, 127), q(0.0078))
    b = g.const("bias", [n_filter // rank], dtype, v.floats(n_filter // rank, -0.5, 0.5))
    st = g.tensor("state", [n_batch, n_memory * n_filter], dtype, variable=True)
    y = g.tensor("output", [n_batch, n_filter // rank], dtype)
    g.op("SVDF", [x, wf, wt, b, st], [y],
         options("SVDFOptions", rank=rank, fused_activation_function=RELU,
                 asymmetric_quantize_inputs=True), version=4)
    g.output(y)


named("batch_matmul_hybrid_float32", "float32", batch_matmul_hybrid)
named("svdf_hybrid_float32", "float32", svdf_hybrid)


def sparse_fully_connected(g, v, dtype):
    """x + DENSIFY(w) into FULLY_CONNECTED with a second, 1x4-block-sparse
    weight read directly: both ways TensorFlow's converter writes sparse
    weights (uint8 segment and index vectors the fuzzer can corrupt)."""
    import numpy as np
    rng = np.random.default_rng(5)
    dense = rng.uniform(-1, 1, (4, 8)).astype(np.float32)
    dense[rng.uniform(0, 1, (4, 8)) < 0.6] = 0
    dense[0, 0] = 0.5
    sp, vals = fb.sparse_encode(dense, traversal_order=[0, 1], formats=[0, 1])
    w = g.sparse_const("w_csr", [4, 8], dtype, [float(x) for x in vals], sp)
    d = g.tensor("w_dense", [4, 8], dtype)
    g.op("DENSIFY", [w], [d])
    x = g.input("x", [4, 8], dtype)
    s = g.tensor("sum", [4, 8], dtype)
    g.op("ADD", [x, d], [s], options("AddOptions"))
    blocks = np.kron(rng.uniform(0, 1, (3, 2)) < 0.5, np.ones((1, 4))).astype(np.float32)
    wb = (rng.uniform(-1, 1, (3, 8)) * blocks).astype(np.float32)
    wb[0, :4] = 0.25
    sp, vals = fb.sparse_encode(wb, traversal_order=[0, 1, 2], block_map=[1], block_sizes=[4],
                                formats=[0, 1, 0])
    w2 = g.sparse_const("w_block", [3, 8], dtype, [float(x) for x in vals], sp)
    y = g.tensor("y", [4, 3], dtype)
    g.op("FULLY_CONNECTED", [s, w2, -1], [y], options("FullyConnectedOptions"))
    g.output(y)


named("densify_sparse_fully_connected_float32", "float32", sparse_fully_connected)


def bidirectional_lstm_hybrid(g, v, dtype):
    """Hybrid BIDIRECTIONAL_SEQUENCE_LSTM: the float seed's sizes (without
    peepholes and projection bias) with int8 weights of one scale each, which
    the backward cell shares (to stay within the seed budget), batch-major,
    separate outputs, asymmetric inputs; the input and the auxiliary input
    come through a DEQUANTIZE so that they stay finite."""
    ins = [hybrid_activation(g, "x", [2, 3, 2])]

    def w(name, shape):
        return g.const(name, shape, "int8", v.ints(fb.count(shape), -127, 127), q(0.004))

    cell = [w("w%d" % k, [3, 2]) for k in range(4)] + [w("r%d" % k, [3, 2]) for k in range(4)]
    cell += [-1, -1, -1]
    cell += [g.const("b%d" % k, [3], dtype, v.floats(3, -0.2, 0.2)) for k in range(4)]
    cell += [w("pw", [2, 3]), -1]
    ins += cell + cell
    for t in ("f", "b"):
        ins += [g.tensor(t + "h", [2, 2], dtype, variable=True),
                g.tensor(t + "c", [2, 3], dtype, variable=True)]
    ins.append(hybrid_activation(g, "aux", [2, 3, 1]))
    aux_w = [w("a%d" % k, [3, 1]) for k in range(4)]
    ins += aux_w + aux_w
    ys = [g.tensor("yf", [2, 3, 2], dtype), g.tensor("yb", [2, 3, 2], dtype)]
    g.op("BIDIRECTIONAL_SEQUENCE_LSTM", ins, ys,
         options("BidirectionalSequenceLSTMOptions", fused_activation_function=TANH,
                 time_major=False, asymmetric_quantize_inputs=True), version=3)
    g.output(*ys)


named("bidirectional_sequence_lstm_hybrid_float32", "float32", bidirectional_lstm_hybrid)


def unidirectional_lstm_hybrid(g, v, dtype):
    """Hybrid UNIDIRECTIONAL_SEQUENCE_LSTM: time-major [3, 2, 3] input
    through a DEQUANTIZE (so that it stays finite), 4 cells with int8
    input, recurrent, peephole and projection weights of one scale each,
    float32 biases, layer norm and projection bias, 2 outputs, cell and
    projection clips, asymmetric inputs."""
    n_time, n_batch, n_input, n_cell, n_output = 3, 2, 3, 4, 2

    def w(name, shape, scale):
        return g.const(name, shape, "int8", v.ints(fb.count(shape), -127, 127), q(scale))

    def floats(name, n, lo, hi):
        return g.const(name, [n], dtype, v.floats(n, lo, hi))

    ins = [hybrid_activation(g, "x", [n_time, n_batch, n_input])]
    ins += [w("w%d" % k, [n_cell, n_input], 0.004 + k / 4000) for k in range(4)]
    ins += [w("r%d" % k, [n_cell, n_output], 0.003 + k / 5000) for k in range(4)]
    ins += [w("p%d" % k, [n_cell], 0.002) for k in range(3)]
    ins += [floats("b%d" % k, n_cell, -0.2, 0.2) for k in range(4)]
    ins += [w("pw", [n_output, n_cell], 0.005), floats("pb", n_output, -0.1, 0.1)]
    ins += [g.tensor("h", [n_batch, n_output], dtype, variable=True),
            g.tensor("c", [n_batch, n_cell], dtype, variable=True)]
    ins += [floats("ln%d" % k, n_cell, 0.5, 1.5) for k in range(4)]
    y = g.tensor("y", [n_time, n_batch, n_output], dtype)
    g.op("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y],
         options("UnidirectionalSequenceLSTMOptions", fused_activation_function=TANH,
                 cell_clip=3.0, proj_clip=0.8, time_major=True,
                 asymmetric_quantize_inputs=True), version=3)
    g.output(y)


named("unidirectional_sequence_lstm_hybrid_float32", "float32", unidirectional_lstm_hybrid)


def reverse_sequence(g, v, dtype):
    """seq_dim 1 after batch_dim 0, int64 lengths: full, partial and none."""
    qq = same_q(dtype)
    x = g.input("input", [3, 4, 2], dtype, qq)
    n = g.const("seq_lengths", [3], "int64", [4, 2, 0])
    y = g.tensor("output", [3, 4, 2], dtype, qq)
    g.op("REVERSE_SEQUENCE", [x, n], [y],
         options("ReverseSequenceOptions", seq_dim=1, batch_dim=0))
    g.output(y)


def matrix_diag(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [2, 3], dtype, qq)
    y = g.tensor("output", [2, 3, 3], dtype, qq)
    g.op("MATRIX_DIAG", [x], [y], options("MatrixDiagOptions"))
    g.output(y)


def matrix_set_diag(g, v, dtype):
    qq = same_q(dtype)
    x = g.input("input", [2, 3, 4], dtype, qq)
    d = g.input("diagonal", [2, 3], dtype, qq)
    y = g.tensor("output", [2, 3, 4], dtype, qq)
    g.op("MATRIX_SET_DIAG", [x, d], [y], options("MatrixSetDiagOptions"))
    g.output(y)


for _dt in ("float32", "uint8", "int16", "int32", "int64"):
    fb.single("reverse_sequence", _dt, reverse_sequence)
for _dt in ("float32", "int8", "uint8", "int16", "int32", "int64"):
    fb.single("matrix_diag", _dt, matrix_diag)
    fb.single("matrix_set_diag", _dt, matrix_set_diag)


def transpose_conv_hybrid(g, v, dtype):
    """Hybrid: float32 [2, 3, 4, 3] (a DEQUANTIZE of int8, so edge values
    stay finite) -> [2, 6, 8, 4] with an int8 filter, one scale per output
    channel, float32 bias; 3x3, stride 2, SAME; asymmetric per-image input
    quantization."""
    x = hybrid_activation(g, "input", [2, 3, 4, 3])
    w = g.const("filter", [4, 3, 3, 3], "int8", v.ints(108, -127, 127),
                q_channels([0.01, 0.02, 0.015, 0.03], 0))
    b = g.const("bias", [4], "float32", v.floats(4, -0.2, 0.2))
    shape = g.const("output_shape", [4], "int32", [2, 6, 8, 4])
    y = g.tensor("output", [2, 6, 8, 4], dtype)
    g.op("TRANSPOSE_CONV", [shape, w, x, b], [y],
         options("TransposeConvOptions", padding=SAME, stride_w=2, stride_h=2), version=3)
    g.output(y)


named("transpose_conv_hybrid_float32", "float32", transpose_conv_hybrid)


def l2_pool_2d(g, v, dtype):
    """SAME 3x3 window, strides 2x1, fused RELU6."""
    x = g.input("input", [1, 5, 4, 3], dtype)
    y = g.tensor("output", [1, 3, 4, 3], dtype)
    g.op("L2_POOL_2D", [x], [y],
         options("Pool2DOptions", padding=SAME, stride_h=2, stride_w=1, filter_height=3,
                 filter_width=3, fused_activation_function=RELU6))
    g.output(y)


fb.single("l2_pool_2d", "float32", l2_pool_2d)


# Lookups: EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE, ADD_N, RANK, SPARSE_TO_DENSE,
# HASHTABLE_LOOKUP (tests/conformance/test_lookup_ops.py) -----------------------

def embedding_lookup(g, v, dtype):
    """Constant ids [3, 0, 3, 1] into a fed [5, 2, 3] table."""
    qq = same_q(dtype)
    ids = g.const("ids", [4], "int32", [3, 0, 3, 1])
    t = g.input("table", [5, 2, 3], dtype, qq)
    y = g.tensor("output", [4, 2, 3], dtype, qq)
    g.op("EMBEDDING_LOOKUP", [ids, t], [y])
    g.output(y)


def embedding_lookup_hybrid(g, v, dtype):
    """Constant ids into a constant int8 [6, 4] table with one scale per
    row, float32 output."""
    ids = g.const("ids", [3], "int32", [1, 5, 3])
    t = g.const("table", [6, 4], "int8", v.ints(24, -128, 127),
                q_channels([0.1, 0.02, 0.5, 1.5, 0.003, 0.25], 0))
    y = g.tensor("output", [3, 4], dtype)
    g.op("EMBEDDING_LOOKUP", [ids, t], [y])
    g.output(y)


def embedding_lookup_hybrid_const(g, v, dtype):
    """As above with constant ids and a per-tensor uint8 scale."""
    ids = g.const("ids", [3], "int32", [5, 0, 2])
    t = g.const("table", [6, 4], "uint8", v.ints(24, 0, 255), q(0.37, 0))
    y = g.tensor("output", [3, 4], dtype)
    g.op("EMBEDDING_LOOKUP", [ids, t], [y])
    g.output(y)


def dynamic_update_slice(g, v, dtype):
    """A [2, 2] update into [3, 4] at constant start [2, -1] (clamped to [1, 0])."""
    qq = same_q(dtype)
    x = g.input("operand", [3, 4], dtype, qq)
    u = g.input("update", [2, 2], dtype, qq)
    s = g.const("start", [2], "int32", [2, -1])
    y = g.tensor("output", [3, 4], dtype, qq)
    g.op("DYNAMIC_UPDATE_SLICE", [x, u, s], [y], options("DynamicUpdateSliceOptions"))
    g.output(y)


def add_n(g, v, dtype):
    """Three [2, 5] inputs."""
    xs = [g.input("x%d" % i, [2, 5], dtype) for i in range(3)]
    y = g.tensor("output", [2, 5], dtype)
    g.op("ADD_N", xs, [y], options("AddNOptions"))
    g.output(y)


def rank(g, v, dtype):
    x = g.input("input", [2, 1, 3], dtype)
    y = g.tensor("output", [], "int32")
    g.op("RANK", [x], [y], options("RankOptions"))
    g.output(y)


def sparse_to_dense(g, v, dtype):
    """Constant [3, 2] indices (one duplicate) into [3, 4], fed values and default."""
    i = g.const("indices", [3, 2], "int32", [0, 1, 2, 3, 0, 1])
    s = g.const("output_shape", [2], "int32", [3, 4])
    val = g.input("values", [3], dtype)
    d = g.input("default_value", [], dtype)
    y = g.tensor("output", [3, 4], dtype)
    g.op("SPARSE_TO_DENSE", [i, s, val, d], [y],
         options("SparseToDenseOptions", validate_indices=True))
    g.output(y)


def hashtable_lookup(g, v, dtype):
    """Fed keys looked up in constant sorted keys [0, 7, 42, 99] over fed rows."""
    qq = same_q(dtype)
    look = g.input("lookup", [5], "int32")
    k = g.const("keys", [4], "int32", [0, 7, 42, 99])
    val = g.input("values", [4, 3], dtype, qq)
    y = g.tensor("output", [5, 3], dtype, qq)
    hits = g.tensor("hits", [5], "uint8")
    g.op("HASHTABLE_LOOKUP", [look, k, val], [y, hits])
    g.output(y, hits)


for _dt in ANY_TYPE:
    fb.single("embedding_lookup", _dt, embedding_lookup)
    fb.single("dynamic_update_slice", _dt, dynamic_update_slice)
    fb.single("hashtable_lookup", _dt, hashtable_lookup)
named("embedding_lookup_hybrid_float32", "float32", embedding_lookup_hybrid)
named("embedding_lookup_hybrid_uint8_float32", "float32", embedding_lookup_hybrid_const)
for _dt in ("float32", "int32"):
    fb.single("add_n", _dt, add_n)
fb.single("rank", "float32", rank)
for _dt in ("float32", "int32", "int64", "int8", "uint8"):
    fb.single("sparse_to_dense", _dt, sparse_to_dense)


def bitwise_binary(op, table):
    """[2, 3, 4] against a broadcast [3, 1], both fed."""
    def build(g, v, dtype):
        a = g.input("a", [2, 3, 4], dtype)
        b = g.input("b", [3, 1], dtype)
        y = g.tensor("output", [2, 3, 4], dtype)
        g.op(op, [a, b], [y], options(table))
        g.output(y)
    return build


for _dt in ("int8", "uint8", "int16", "uint16", "int32", "uint32"):
    fb.single("bitwise_xor", _dt, bitwise_binary("BITWISE_XOR", "BitwiseXorOptions"))
    fb.single("right_shift", _dt, bitwise_binary("RIGHT_SHIFT", "RightShiftOptions"))


def bucketize(g, v, dtype):
    """Five boundaries, one repeated, spanning the random inputs' range."""
    x = g.input("input", [2, 3, 4], dtype)
    y = g.tensor("output", [2, 3, 4], "int32")
    g.op("BUCKETIZE", [x], [y],
         options("BucketizeOptions", boundaries=[-0.5, 0.0, 0.0, 0.25, 50.0]))
    g.output(y)


for _dt in ("float32", "float64", "int32", "int64"):
    fb.single("bucketize", _dt, bucketize)


def bitcast(out_type, shape, out_shape):
    def build(g, v, dtype):
        x = g.input("input", shape, dtype)
        y = g.tensor("output", out_shape, out_type)
        g.op("BITCAST", [x], [y], options("BitcastOptions"))
        g.output(y)
    return build


named("bitcast_float32_int32", "float32", bitcast("int32", [2, 3], [2, 3]))
named("bitcast_int32_uint8", "int32", bitcast("uint8", [2, 3], [2, 3, 4]))
named("bitcast_int8_int16", "int8", bitcast("int16", [3, 2], [3]))
