"""Writes the per-op seed models of the model fuzzer into tests/fuzz/models/:
one tiny .tflite per (op, dtype) for every op in src/ops/ops.def, plus a few
multi-op graphs, a two-subgraph model with signatures and a model with a
variable tensor. Deterministic (fixed seeds), every file under 4 KiB.

    pip install flatbuffers
    python3 tools/gen_fuzz_models.py [OUT_DIR]

Python 3 stdlib plus the `flatbuffers` package's generic Builder (and its
flexbuffers module for the custom op's options). No generated schema code:
the TFLite schema (schema.fbs) tables are written by field slot below.
"""
import os
import random
import struct
import sys

import flatbuffers
from flatbuffers import flexbuffers

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "tests", "fuzz", "models")
MAX_BYTES = 4096

# ---- schema ---------------------------------------------------------------

# TensorType: code, struct format.
DTYPES = {
    "float32": (0, "f"), "float16": (1, "e"), "int32": (2, "i"), "uint8": (3, "B"),
    "int64": (4, "q"), "bool": (6, "?"), "int16": (7, "h"), "complex64": (8, "ff"),
    "int8": (9, "b"), "resource": (13, "i"),
}
DTYPES.update({"uint32": (15, "I"), "uint16": (16, "H"), "float64": (10, "d")})

# BuiltinOperator codes of the ops used here.
BUILTIN = {
    "ADD": 0, "AVERAGE_POOL_2D": 1, "CONCATENATION": 2, "CONV_2D": 3, "DEPTHWISE_CONV_2D": 4,
    "DEQUANTIZE": 6, "FLOOR": 8, "FULLY_CONNECTED": 9, "LOGISTIC": 14, "MAX_POOL_2D": 17,
    "MUL": 18, "RELU": 19, "RELU_N1_TO_1": 20, "RELU6": 21, "RESHAPE": 22, "RESIZE_BILINEAR": 23,
    "SOFTMAX": 25, "TANH": 28, "CUSTOM": 32, "PAD": 34, "GATHER": 36, "BATCH_TO_SPACE_ND": 37,
    "SPACE_TO_BATCH_ND": 38, "TRANSPOSE": 39, "MEAN": 40, "SUB": 41, "DIV": 42, "SQUEEZE": 43,
    "STRIDED_SLICE": 45, "EXP": 47, "SPLIT": 49, "CAST": 53, "ARG_MAX": 56, "NEG": 59, "PADV2": 60,
    "SIN": 66, "TILE": 69, "EXPAND_DIMS": 70, "LOG": 73, "SUM": 74, "SQRT": 75, "RSQRT": 76,
    "SHAPE": 77, "ARG_MIN": 79, "PACK": 83, "UNPACK": 88, "FLOOR_DIV": 90, "SQUARE": 92,
    "FLOOR_MOD": 95, "RESIZE_NEAREST_NEIGHBOR": 97, "LEAKY_RELU": 98, "ABS": 101, "SPLIT_V": 102,
    "CEIL": 104, "GATHER_ND": 107, "COS": 108, "QUANTIZE": 114, "ROUND": 116, "HARD_SWISH": 117,
    "RFFT2D": 131, "IMAG": 133, "REAL": 134, "COMPLEX_ABS": 135, "RELU_0_TO_1": 152, "MAXIMUM": 55,
    "MINIMUM": 57, "LESS": 58, "GREATER": 61, "GREATER_EQUAL": 62, "LESS_EQUAL": 63, "SELECT": 64,
    "EQUAL": 71, "NOT_EQUAL": 72, "LOGICAL_OR": 84, "LOGICAL_AND": 86, "LOGICAL_NOT": 87,
    "SELECT_V2": 123, "SLICE": 65, "REVERSE_V2": 105, "POW": 78, "SQUARED_DIFFERENCE": 99,
    "ATAN2": 156, "SIGN": 158, "ZEROS_LIKE": 93, "FILL": 94, "RANGE": 96, "DEPTH_TO_SPACE": 5,
    "SPACE_TO_DEPTH": 26, "MIRROR_PAD": 100, "BROADCAST_TO": 130, "ELU": 111, "PRELU": 54,
    "LOG_SOFTMAX": 50, "L2_NORMALIZATION": 11, "GELU": 150, "CUMSUM": 128, "ONE_HOT": 85,
    "TOPK_V2": 48, "WHERE": 109, "TRANSPOSE_CONV": 67, "BATCH_MATMUL": 126,
    "UNIDIRECTIONAL_SEQUENCE_LSTM": 44, "SEGMENT_SUM": 125, "UNSORTED_SEGMENT_PROD": 153,
    "UNSORTED_SEGMENT_MAX": 154, "UNSORTED_SEGMENT_SUM": 155, "UNSORTED_SEGMENT_MIN": 157,
    "BROADCAST_ARGS": 145, "SCATTER_ND": 122, "LOCAL_RESPONSE_NORMALIZATION": 13, "UNIQUE": 103,
    "CONV_3D": 132, "REDUCE_PROD": 81, "REDUCE_MAX": 82, "REDUCE_MIN": 89, "REDUCE_ANY": 91,
    "REDUCE_ALL": 140, "SVDF": 27, "RNN": 24, "UNIDIRECTIONAL_SEQUENCE_RNN": 35,
    "BIDIRECTIONAL_SEQUENCE_LSTM": 52, "BIDIRECTIONAL_SEQUENCE_RNN": 46, "LSTM": 16,
    "IF": 118, "WHILE": 119, "CALL_ONCE": 129, "VAR_HANDLE": 142, "READ_VARIABLE": 143,
    "ASSIGN_VARIABLE": 144, "NON_MAX_SUPPRESSION_V4": 120, "NON_MAX_SUPPRESSION_V5": 121,
    "DENSIFY": 124,
    "EMBEDDING_LOOKUP": 7, "DYNAMIC_UPDATE_SLICE": 151, "ADD_N": 106, "RANK": 110,
    "SPARSE_TO_DENSE": 68, "HASHTABLE_LOOKUP": 10,
    "REVERSE_SEQUENCE": 112, "MATRIX_DIAG": 113, "MATRIX_SET_DIAG": 115, "L2_POOL_2D": 12,
    "BITWISE_XOR": 160, "RIGHT_SHIFT": 161, "BUCKETIZE": 147, "BITCAST": 159,
}

# Options tables: BuiltinOptions union type, then fields in schema order
# (slot = position) as (name, kind, default). Kinds: b bool, i8 byte/enum,
# i32 int, f32 float, vi32 [int].
OPTIONS = {
    "Conv2DOptions": (1, [("padding", "i8", 0), ("stride_w", "i32", 0), ("stride_h", "i32", 0),
                          ("fused_activation_function", "i8", 0),
                          ("dilation_w_factor", "i32", 1), ("dilation_h_factor", "i32", 1),
                          ("quantized_bias_type", "i8", 0)]),
    "DepthwiseConv2DOptions": (2, [("padding", "i8", 0), ("stride_w", "i32", 0),
                                   ("stride_h", "i32", 0), ("depth_multiplier", "i32", 0),
                                   ("fused_activation_function", "i8", 0),
                                   ("dilation_w_factor", "i32", 1),
                                   ("dilation_h_factor", "i32", 1)]),
    "Pool2DOptions": (5, [("padding", "i8", 0), ("stride_w", "i32", 0), ("stride_h", "i32", 0),
                          ("filter_width", "i32", 0), ("filter_height", "i32", 0),
                          ("fused_activation_function", "i8", 0)]),
    "FullyConnectedOptions": (8, [("fused_activation_function", "i8", 0),
                                  ("weights_format", "i8", 0), ("keep_num_dims", "b", False),
                                  ("asymmetric_quantize_inputs", "b", False),
                                  ("quantized_bias_type", "i8", 0)]),
    "SoftmaxOptions": (9, [("beta", "f32", 0.0)]),
    "ConcatenationOptions": (10, [("axis", "i32", 0), ("fused_activation_function", "i8", 0)]),
    "AddOptions": (11, [("fused_activation_function", "i8", 0),
                        ("pot_scale_int16", "b", True)]),
    "ResizeBilinearOptions": (15, [("new_height", "i32", 0), ("new_width", "i32", 0),
                                   ("align_corners", "b", False),
                                   ("half_pixel_centers", "b", False)]),
    "ReshapeOptions": (17, [("new_shape", "vi32", None)]),
    "MulOptions": (21, [("fused_activation_function", "i8", 0)]),
    "PadOptions": (22, []),
    "GatherOptions": (23, [("axis", "i32", 0), ("batch_dims", "i32", 0)]),
    "BatchToSpaceNDOptions": (24, []),
    "SpaceToBatchNDOptions": (25, []),
    "TransposeOptions": (26, []),
    "ReducerOptions": (27, [("keep_dims", "b", False)]),
    "SubOptions": (28, [("fused_activation_function", "i8", 0),
                        ("pot_scale_int16", "b", True)]),
    "DivOptions": (29, [("fused_activation_function", "i8", 0)]),
    "SqueezeOptions": (30, [("squeeze_dims", "vi32", None)]),
    "StridedSliceOptions": (32, [("begin_mask", "i32", 0), ("end_mask", "i32", 0),
                                 ("ellipsis_mask", "i32", 0), ("new_axis_mask", "i32", 0),
                                 ("shrink_axis_mask", "i32", 0), ("offset", "b", False)]),
    "ExpOptions": (33, []),
    "SplitOptions": (35, [("num_splits", "i32", 0)]),
    "CastOptions": (37, [("in_data_type", "i8", 0), ("out_data_type", "i8", 0)]),
    "DequantizeOptions": (38, []),
    "ArgMaxOptions": (40, [("output_type", "i8", 0)]),
    "NegOptions": (42, []),
    "PadV2Options": (43, []),
    "TileOptions": (51, []),
    "ExpandDimsOptions": (52, []),
    "ShapeOptions": (55, [("out_type", "i8", 0)]),
    "ArgMinOptions": (57, [("output_type", "i8", 0)]),
    "PackOptions": (59, [("values_count", "i32", 0), ("axis", "i32", 0)]),
    "UnpackOptions": (64, [("num", "i32", 0), ("axis", "i32", 0)]),
    "FloorDivOptions": (65, []),
    "SquareOptions": (66, []),
    "FloorModOptions": (72, []),
    "ResizeNearestNeighborOptions": (74, [("align_corners", "b", False),
                                          ("half_pixel_centers", "b", False)]),
    "LeakyReluOptions": (75, [("alpha", "f32", 0.0)]),
    "SpaceToDepthOptions": (19, [("block_size", "i32", 0)]),
    "DepthToSpaceOptions": (94, [("block_size", "i32", 0)]),
    "MirrorPadOptions": (77, [("mode", "i8", 0)]),
    "Conv3DOptions": (106, [("padding", "i8", 0), ("stride_d", "i32", 0), ("stride_w", "i32", 0),
                            ("stride_h", "i32", 0), ("fused_activation_function", "i8", 0),
                            ("dilation_d_factor", "i32", 1), ("dilation_w_factor", "i32", 1),
                            ("dilation_h_factor", "i32", 1)]),
    "UniqueOptions": (80, [("idx_out_type", "i8", 2)]),
    "L2NormOptions": (12, [("fused_activation_function", "i8", 0)]),
    "LocalResponseNormalizationOptions": (13, [("radius", "i32", 0), ("bias", "f32", 0.0),
                                               ("alpha", "f32", 0.0), ("beta", "f32", 0.0)]),
    "LogSoftmaxOptions": (36, []),
    "OneHotOptions": (61, [("axis", "i32", 0)]),
    "CumsumOptions": (102, [("exclusive", "b", False), ("reverse", "b", False)]),
    "GeluOptions": (116, [("approximate", "b", False)]),
    "BatchMatMulOptions": (101, [("adj_x", "b", False), ("adj_y", "b", False),
                                 ("asymmetric_quantize_inputs", "b", False)]),
    "IfOptions": (92, [("then_subgraph_index", "i32", 0), ("else_subgraph_index", "i32", 0)]),
    "WhileOptions": (93, [("cond_subgraph_index", "i32", 0), ("body_subgraph_index", "i32", 0)]),
    "CallOnceOptions": (103, [("init_subgraph_index", "i32", 0)]),
    "VarHandleOptions": (111, [("container", "str", None), ("shared_name", "str", None)]),
    "RNNOptions": (7, [("fused_activation_function", "i8", 0),
                       ("asymmetric_quantize_inputs", "b", False)]),
    "SequenceRNNOptions": (31, [("time_major", "b", False), ("fused_activation_function", "i8", 0),
                                ("asymmetric_quantize_inputs", "b", False)]),
    "BidirectionalSequenceRNNOptions": (70, [("time_major", "b", False),
                                             ("fused_activation_function", "i8", 0),
                                             ("merge_outputs", "b", False),
                                             ("asymmetric_quantize_inputs", "b", False)]),
    "LSTMOptions": (14, [("fused_activation_function", "i8", 0), ("cell_clip", "f32", 0.0),
                         ("proj_clip", "f32", 0.0), ("kernel_type", "i8", 0),
                         ("asymmetric_quantize_inputs", "b", False)]),
    "NonMaxSuppressionV4Options": (95, []),
    "NonMaxSuppressionV5Options": (96, []),
    "SVDFOptions": (6, [("rank", "i32", 0), ("fused_activation_function", "i8", 0),
                        ("asymmetric_quantize_inputs", "b", False)]),
    "UnidirectionalSequenceLSTMOptions": (71, [("fused_activation_function", "i8", 0),
                                               ("cell_clip", "f32", 0.0),
                                               ("proj_clip", "f32", 0.0),
                                               ("time_major", "b", False),
                                               ("asymmetric_quantize_inputs", "b", False),
                                               ("diagonal_recurrent_tensors", "b", False)]),
    "TransposeConvOptions": (49, [("padding", "i8", 0), ("stride_w", "i32", 0),
                                  ("stride_h", "i32", 0), ("fused_activation_function", "i8", 0),
                                  ("quantized_bias_type", "i8", 0)]),
    "AbsOptions": (78, []),
    "SplitVOptions": (79, [("num_splits", "i32", 0)]),
    "GatherNdOptions": (83, []),
    "CosOptions": (84, []),
    "QuantizeOptions": (89, []),
    "HardSwishOptions": (91, []),
    "Rfft2dOptions": (105, []),
    "BidirectionalSequenceLSTMOptions": (69, [("fused_activation_function", "i8", 0),
                                              ("cell_clip", "f32", 0.0),
                                              ("proj_clip", "f32", 0.0),
                                              ("merge_outputs", "b", False),
                                              ("time_major", "b", True),
                                              ("asymmetric_quantize_inputs", "b", False)]),
    "SparseToDenseOptions": (50, [("validate_indices", "b", False)]),
    "AddNOptions": (82, []),
    "RankOptions": (86, []),
    "DynamicUpdateSliceOptions": (117, []),
    "ReverseSequenceOptions": (87, [("seq_dim", "i32", 0), ("batch_dim", "i32", 0)]),
    "MatrixDiagOptions": (88, []),
    "MatrixSetDiagOptions": (90, []),
    "BucketizeOptions": (115, [("boundaries", "vf32", None)]),
    "BitcastOptions": (124, []),
    "BitwiseXorOptions": (125, []),
    "RightShiftOptions": (126, []),
}

SAME, VALID = 0, 1
NONE, RELU, RELU_N1_TO_1, RELU6 = 0, 1, 2, 3


def options(table, **values):
    union, fields = OPTIONS[table]
    names = [f[0] for f in fields]
    for k in values:
        if k not in names:
            raise KeyError("%s has no field %s" % (table, k))
    return union, [(slot, kind, values.get(name, default), default)
                   for slot, (name, kind, default) in enumerate(fields)]


# ---- FlatBuffers writing ----------------------------------------------------

def _vec(b, fmt, values, align=None):
    size = struct.calcsize("<" + fmt)
    b.StartVector(size, len(values), align or size)
    for v in reversed(values):
        b.head -= size
        struct.pack_into("<" + fmt, b.Bytes, b.head, v)
    return b.EndVector()


def _bytes(b, data, align=16):
    b.StartVector(1, len(data), align)
    b.head -= len(data)
    b.Bytes[b.head:b.head + len(data)] = data
    return b.EndVector()


def _offsets(b, offs):
    b.StartVector(4, len(offs), 4)
    for o in reversed(offs):
        b.PrependUOffsetTRelative(o)
    return b.EndVector()


def _table(b, n, scalars=(), refs=()):
    """scalars: (slot, prepend function, value, default); refs: (slot, offset)."""
    b.StartObject(n)
    for slot, off in refs:
        if off is not None:
            b.PrependUOffsetTRelativeSlot(slot, off, 0)
    for slot, fn, value, default in scalars:
        fn(slot, value, default)
    return b.EndObject()


def _options_table(b, opts):
    _, fields = opts
    vecs = {slot: _vec(b, "i", value) for slot, kind, value, _ in fields
            if kind == "vi32" and value is not None}
    vecs.update({slot: b.CreateString(value) for slot, kind, value, _ in fields
                 if kind == "str" and value is not None})
    vecs.update({slot: _vec(b, "f", value) for slot, kind, value, _ in fields
                 if kind == "vf32" and value is not None})
    b.StartObject(len(fields))
    for slot, kind, value, default in fields:
        if kind in ("vi32", "str"):
            if slot in vecs:
                b.PrependUOffsetTRelativeSlot(slot, vecs[slot], 0)
        elif kind == "b":
            b.PrependBoolSlot(slot, bool(value), default)
        elif kind == "i8":
            b.PrependInt8Slot(slot, value, default)
        elif kind == "i32":
            b.PrependInt32Slot(slot, value, default)
        elif kind == "f32":
            # Written even when 0 so the value is explicit.
            b.PrependFloat32Slot(slot, value, None)
        elif kind == "vf32" and slot in vecs:
            b.PrependUOffsetTRelativeSlot(slot, vecs[slot], 0)
    return b.EndObject()


# ---- model description --------------------------------------------------------

class Tensor:
    def __init__(self, name, shape, dtype, buffer=0, quant=None, variable=False, sparsity=None):
        self.name, self.shape, self.dtype = name, list(shape), dtype
        self.buffer, self.quant, self.variable = buffer, quant, variable
        self.sparsity = sparsity  # see sparse_encode


# SparseIndexVector union kinds and their element formats.
INDEX_KINDS = {"int32": (1, "i"), "uint16": (2, "H"), "uint8": (3, "B")}


def sparse_encode(dense, traversal_order, block_map=(), block_sizes=(), formats=None,
                  index_type="uint8"):
    """TFLite's SparsityParameters for a dense NumPy array, and the values
    in storage order: the array is split into blocks (block_map[b]'s
    dimension by block_sizes[b]), its expanded dimensions walked in
    traversal_order, a DENSE level enumerating every position and a
    SPARSE_CSR level (format 1) only those whose subtree holds a nonzero.
    Returns (sparsity dict for Graph.sparse_const, values list)."""
    import numpy as np
    dense = np.asarray(dense)
    rank = dense.ndim
    split, blocked_axes, block_axes = [], [], [None] * len(block_map)
    for d in range(rank):
        if d in block_map:
            b = list(block_map).index(d)
            split += [dense.shape[d] // block_sizes[b], block_sizes[b]]
            blocked_axes.append(len(split) - 2)
            block_axes[b] = len(split) - 1
        else:
            split.append(dense.shape[d])
            blocked_axes.append(len(split) - 1)
    levels = dense.reshape(split).transpose(blocked_axes + block_axes).transpose(traversal_order)
    formats = list(formats or [0] * levels.ndim)
    meta = [{"format": f, "dense_size": levels.shape[i], "segments": [0], "indices": []}
            for i, f in enumerate(formats)]
    values = []

    def walk(sub, level):
        if level == len(formats):
            values.append(sub.item())
            return
        m = meta[level]
        for i in range(sub.shape[0]):
            if m["format"] == 0:
                walk(sub[i], level + 1)
            elif np.any(sub[i] != 0):
                m["indices"].append(i)
                walk(sub[i], level + 1)
        if m["format"] == 1:
            m["segments"].append(len(m["indices"]))

    walk(levels, 0)
    for m in meta:
        m["index_type"] = index_type
    return {"traversal_order": list(traversal_order), "block_map": list(block_map),
            "dim_metadata": meta}, values


def _sparsity(b, sp):
    metas = []
    for m in sp["dim_metadata"]:
        refs, scalars = [], [(0, b.PrependInt8Slot, m["format"], 0),
                             (1, b.PrependInt32Slot, m.get("dense_size", 0), 0)]
        if m["format"] == 1:
            kind, fmt = INDEX_KINDS[m.get("index_type", "int32")]
            for slot, key in ((2, "segments"), (4, "indices")):
                vec = _vec(b, fmt, m[key])
                refs.append((slot + 1, _table(b, 1, refs=[(0, vec)])))
                scalars.append((slot, b.PrependUint8Slot, kind, 0))
        metas.append(_table(b, 6, scalars=scalars, refs=refs))
    refs = [(0, _vec(b, "i", sp["traversal_order"])), (2, _offsets(b, metas))]
    if sp.get("block_map"):
        refs.append((1, _vec(b, "i", sp["block_map"])))
    return _table(b, 3, refs=refs)


def pack(dtype, values):
    fmt = DTYPES[dtype][1]
    if dtype == "complex64":
        flat = [x for v in values for x in (v.real, v.imag)]
        return struct.pack("<%df" % len(flat), *flat)
    return struct.pack("<%d%s" % (len(values), fmt), *values)


def count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


class Graph:
    def __init__(self, model, name):
        self.model, self.name = model, name
        self.tensors, self.inputs, self.outputs, self.ops = [], [], [], []

    def tensor(self, name, shape, dtype, quant=None, buffer=0, variable=False):
        self.tensors.append(Tensor(name, shape, dtype, buffer, quant, variable))
        return len(self.tensors) - 1

    def input(self, name, shape, dtype, quant=None):
        t = self.tensor(name, shape, dtype, quant)
        self.inputs.append(t)
        return t

    def const(self, name, shape, dtype, values, quant=None):
        assert len(values) == count(shape), (name, shape, len(values))
        return self.tensor(name, shape, dtype, quant, self.model.buffer(pack(dtype, values)))

    def sparse_const(self, name, shape, dtype, values, sparsity, quant=None):
        """A constant stored sparse: values in storage order (sparse_encode)."""
        t = self.tensor(name, shape, dtype, quant, self.model.buffer(pack(dtype, values)))
        self.tensors[t].sparsity = sparsity
        return t

    def op(self, opname, inputs, outputs, opts=None, custom=None, version=1, intermediates=None):
        self.ops.append((self.model.opcode(opname, version), list(inputs), list(outputs), opts,
                         custom, intermediates))

    def output(self, *ts):
        self.outputs.extend(ts)


class Model:
    def __init__(self, description):
        self.description = description
        self.opcodes, self.buffers, self.graphs, self.signatures = [], [b""], [], []

    def graph(self, name="main"):
        g = Graph(self, name)
        self.graphs.append(g)
        return g

    def buffer(self, data):
        self.buffers.append(data)
        return len(self.buffers) - 1

    def opcode(self, name, version):
        key = (name, version)
        if key not in self.opcodes:
            self.opcodes.append(key)
        return self.opcodes.index(key)

    def signature(self, key, graph_index, inputs, outputs):
        """inputs/outputs: lists of (alias, tensor index)."""
        self.signatures.append((key, graph_index, inputs, outputs))

    def serialize(self):
        b = flatbuffers.Builder(1024)
        # Buffers (the 0th is the empty sentinel).
        bufs = []
        for data in self.buffers:
            d = _bytes(b, data) if data else None
            bufs.append(_table(b, 3, refs=[(0, d)]))
        # Operator codes.
        codes = []
        for name, version in self.opcodes:
            custom = None
            code = BUILTIN.get(name, BUILTIN["CUSTOM"])
            if code == BUILTIN["CUSTOM"]:
                custom = b.CreateString(name)
            codes.append(_table(b, 4, scalars=[
                (0, b.PrependInt8Slot, min(code, 127), 0),
                (2, b.PrependInt32Slot, version, 1),
                (3, b.PrependInt32Slot, code, 0)], refs=[(1, custom)]))
        graphs = [self._graph(b, g) for g in self.graphs]
        sigs = []
        for key, gi, ins, outs in self.signatures:
            maps = []
            for lst in (ins, outs):
                entries = []
                for alias, ti in lst:
                    s = b.CreateString(alias)
                    entries.append(_table(b, 2, scalars=[(1, b.PrependUint32Slot, ti, 0)],
                                          refs=[(0, s)]))
                maps.append(_offsets(b, entries))
            k = b.CreateString(key)
            sigs.append(_table(b, 5, scalars=[(4, b.PrependUint32Slot, gi, 0)],
                               refs=[(0, maps[0]), (1, maps[1]), (2, k)]))
        desc = b.CreateString(self.description)
        refs = [(1, _offsets(b, codes)), (2, _offsets(b, graphs)), (3, desc),
                (4, _offsets(b, bufs))]
        if sigs:
            refs.append((7, _offsets(b, sigs)))
        root = _table(b, 8, scalars=[(0, b.PrependUint32Slot, 3, 0)], refs=refs)
        b.Finish(root, file_identifier=b"TFL3")
        return bytes(b.Output())

    def _graph(self, b, g):
        tensors = []
        for t in g.tensors:
            q = None
            if t.quant:
                scales, zps, dim = t.quant
                sv, zv = _vec(b, "f", scales), _vec(b, "q", zps)
                q = _table(b, 7, scalars=[(6, b.PrependInt32Slot, dim, 0)],
                           refs=[(2, sv), (3, zv)])
            sp = _sparsity(b, t.sparsity) if t.sparsity else None
            shape = _vec(b, "i", t.shape)
            name = b.CreateString(t.name)
            tensors.append(_table(b, 8, scalars=[
                (1, b.PrependInt8Slot, DTYPES[t.dtype][0], 0),
                (2, b.PrependUint32Slot, t.buffer, 0),
                (5, b.PrependBoolSlot, t.variable, False)],
                refs=[(0, shape), (3, name), (4, q), (6, sp)]))
        ops = []
        for opcode, ins, outs, opts, custom, inter in g.ops:
            iv, ov = _vec(b, "i", ins), _vec(b, "i", outs)
            ot = _options_table(b, opts) if opts else None
            cv = _bytes(b, custom, 1) if custom else None
            mv = _vec(b, "i", inter) if inter is not None else None
            scalars = [(0, b.PrependUint32Slot, opcode, 0)]
            if opts:
                scalars.append((3, b.PrependUint8Slot, opts[0], 0))
            ops.append(_table(b, 9 if mv else 6, scalars=scalars,
                              refs=[(1, iv), (2, ov), (4, ot), (5, cv)] + ([(8, mv)] if mv else [])))
        tv, opv = _offsets(b, tensors), _offsets(b, ops)
        inv, outv = _vec(b, "i", g.inputs), _vec(b, "i", g.outputs)
        name = b.CreateString(g.name)
        return _table(b, 5, refs=[(0, tv), (1, inv), (2, outv), (3, opv), (4, name)])


# ---- values and quantization -----------------------------------------------------

def q(scale, zero_point=0):
    return ([scale], [zero_point], 0)


def q_channels(scales, dim):
    return (list(scales), [0] * len(scales), dim)


# Activation quantization per dtype: (input, output).
ACT = {
    "int8": (q(0.05, 3), q(0.04, -10)),
    "uint8": (q(0.05, 128), q(0.04, 120)),
    "int16": (q(1.0 / 4096), q(1.0 / 2048)),
}
QUANTIZED = ("int8", "uint8", "int16")
INT_RANGE = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767),
             "int32": (-1000, 1000), "int64": (-1000, 1000)}


class Values:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def floats(self, n, lo=-1.0, hi=1.0):
        return [round(self.r.uniform(lo, hi), 4) for _ in range(n)]

    def ints(self, n, lo, hi):
        return [self.r.randint(lo, hi) for _ in range(n)]

    def of(self, dtype, n):
        if dtype in ("float32", "float16"):
            return self.floats(n)
        if dtype == "bool":
            return [bool(self.r.getrandbits(1)) for _ in range(n)]
        return self.ints(n, *INT_RANGE[dtype])


def in_q(dtype):
    return ACT[dtype][0] if dtype in QUANTIZED else None


def out_q(dtype):
    return ACT[dtype][1] if dtype in QUANTIZED else None


# ---- the models --------------------------------------------------------------------

MODELS = []


def model(name):
    def register(fn):
        MODELS.append((name, fn))
        return fn
    return register


def named(name, dtype, build):
    """Registers a one-graph model: build(g, v, dtype) fills graph g."""
    def make():
        m = Model("tfl fuzz seed: " + name)
        build(m.graph(), Values(name), dtype)
        return m
    MODELS.append((name, make))


def single(op, dtype, build):
    """Registers <op>_<dtype>."""
    named("%s_%s" % (op, dtype), dtype, build)


# Convolutions and fully connected -------------------------------------------------

def conv_weights(g, v, dtype, shape, qdim, per_channel, in_scale, prefix="w"):
    """Filter and bias for CONV_2D (qdim 0), DEPTHWISE_CONV_2D (qdim 3) and
    FULLY_CONNECTED (qdim 0). Returns (filter, bias) tensor indices."""
    channels = shape[qdim]
    n = count(shape)
    if dtype == "float32":
        w = g.const(prefix, shape, "float32", v.floats(n, -0.5, 0.5))
        b = g.const(prefix + "_bias", [channels], "float32", v.floats(channels, -0.2, 0.2))
        return w, b
    if dtype == "uint8":
        wq = q(0.01, 130)
        w = g.const(prefix, shape, "uint8", v.ints(n, 0, 255), wq)
        b = g.const(prefix + "_bias", [channels], "int32", v.ints(channels, -300, 300),
                    q(in_scale * 0.01))
        return w, b
    if per_channel:
        scales = [0.004 + 0.002 * c for c in range(channels)]
        wq = q_channels(scales, qdim)
    else:
        scales = [0.006] * channels
        wq = q(0.006)
    w = g.const(prefix, shape, "int8", v.ints(n, -127, 127), wq)
    bias_type = "int64" if dtype == "int16" else "int32"
    bq = q_channels([in_scale * s for s in scales], 0) if per_channel else q(in_scale * scales[0])
    b = g.const(prefix + "_bias", [channels], bias_type, v.ints(channels, -300, 300), bq)
    return w, b


def conv_2d(per_channel=False, one_by_one=False):
    def build(g, v, dtype):
        k = 1 if one_by_one else 3
        iq, oq = in_q(dtype), out_q(dtype)
        x = g.input("input", [1, 5, 5, 3], dtype, iq)
        w, b = conv_weights(g, v, dtype, [4, k, k, 3], 0, per_channel, iq[0][0] if iq else 1.0)
        oh = 5 if one_by_one else 3
        y = g.tensor("output", [1, oh, oh, 4], dtype, oq)
        if one_by_one:
            opts = options("Conv2DOptions", padding=VALID, stride_w=1, stride_h=1)
        else:
            opts = options("Conv2DOptions", padding=SAME, stride_w=2, stride_h=2,
                           fused_activation_function=RELU6 if dtype == "float32" else RELU)
        g.op("CONV_2D", [x, w, b], [y], opts)
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8"):
    single("conv_2d", _dt, conv_2d())
named("conv_2d_int8_per_channel", "int8", conv_2d(per_channel=True))
named("conv_2d_1x1_int8", "int8", conv_2d(per_channel=True, one_by_one=True))


def dilated_conv(g, v):
    x = g.input("input", [1, 7, 7, 2], "float32")
    w, b = conv_weights(g, v, "float32", [3, 3, 3, 2], 0, False, 1.0)
    y = g.tensor("output", [1, 3, 3, 3], "float32")
    g.op("CONV_2D", [x, w, b], [y],
         options("Conv2DOptions", padding=VALID, stride_w=1, stride_h=1,
                 dilation_w_factor=2, dilation_h_factor=2))
    g.output(y)


named("conv_2d_dilated_float32", "float32", lambda g, v, dt: dilated_conv(g, v))


def depthwise(per_channel=False):
    def build(g, v, dtype):
        iq, oq = in_q(dtype), out_q(dtype)
        x = g.input("input", [1, 5, 5, 2], dtype, iq)
        w, b = conv_weights(g, v, dtype, [1, 3, 3, 4], 3, per_channel,
                            iq[0][0] if iq else 1.0)
        y = g.tensor("output", [1, 5, 5, 4], dtype, oq)
        g.op("DEPTHWISE_CONV_2D", [x, w, b], [y],
             options("DepthwiseConv2DOptions", padding=SAME, stride_w=1, stride_h=1,
                     depth_multiplier=2,
                     fused_activation_function=RELU6 if dtype == "float32" else RELU))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8"):
    single("depthwise_conv_2d", _dt, depthwise())
named("depthwise_conv_2d_int8_per_channel", "int8", depthwise(per_channel=True))


def fully_connected(per_channel=False, keep_dims=False):
    def build(g, v, dtype):
        iq, oq = in_q(dtype), out_q(dtype)
        shape = [2, 3, 8] if keep_dims else [2, 8]
        x = g.input("input", shape, dtype, iq)
        w, b = conv_weights(g, v, dtype, [4, 8], 0, per_channel, iq[0][0] if iq else 1.0)
        y = g.tensor("output", shape[:-1] + [4], dtype, oq)
        g.op("FULLY_CONNECTED", [x, w, b], [y],
             options("FullyConnectedOptions", keep_num_dims=keep_dims,
                     fused_activation_function=RELU if dtype != "int16" else NONE))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int16"):
    single("fully_connected", _dt, fully_connected())
named("fully_connected_int8_per_channel", "int8", fully_connected(per_channel=True))
named("fully_connected_keep_dims_float32", "float32", fully_connected(keep_dims=True))


# Elementwise binary ------------------------------------------------------------------

def binary(op, table, activation=NONE, const_rhs=False, nonzero=False, pot=None,
           quantized=True):
    def build(g, v, dtype):
        iq = in_q(dtype) if quantized else None
        oq = out_q(dtype) if quantized else None
        if dtype in QUANTIZED and quantized:
            rq = q(0.03, -2) if dtype == "int8" else q(0.03, 125) if dtype == "uint8" \
                else q(1.0 / 8192)
        else:
            rq = None
        a = g.input("a", [1, 2, 3, 4], dtype, iq)
        if const_rhs:
            vals = v.of(dtype, 12)
            if nonzero:
                zp = rq[1][0] if rq else 0
                lo, hi = INT_RANGE.get(dtype, (0, 0))
                if dtype == "float32":
                    vals = [x if abs(x) > 0.1 else 0.5 for x in vals]
                else:
                    vals = [x if x != zp else (zp + 1 if zp + 1 <= hi else zp - 1) for x in vals]
                    if dtype in ("int32", "int64"):
                        vals = [x if x != 0 else 7 for x in vals]
            rhs = g.const("b", [1, 1, 3, 4], dtype, vals, rq)
        else:
            rhs = g.input("b", [1, 1, 3, 4], dtype, rq)
        y = g.tensor("output", [1, 2, 3, 4], dtype, oq)
        kw = {}
        if activation:
            kw["fused_activation_function"] = activation
        if pot is not None:
            kw["pot_scale_int16"] = pot
        g.op(op, [a, rhs], [y], options(table, **kw) if table else None)
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int16", "int32", "int64"):
    single("add", _dt, binary("ADD", "AddOptions", RELU if _dt == "float32" else NONE,
                              pot=False if _dt == "int16" else None))
    single("sub", _dt, binary("SUB", "SubOptions", RELU6 if _dt == "float32" else NONE,
                              pot=False if _dt == "int16" else None))
    single("mul", _dt, binary("MUL", "MulOptions", RELU if _dt == "int8" else NONE))
for _dt in ("float32", "int32", "uint8", "int8", "int16"):
    single("div", _dt, binary("DIV", "DivOptions", const_rhs=True, nonzero=True))
for _dt in ("float32", "int32", "int16", "int8"):
    single("floor_div", _dt, binary("FLOOR_DIV", "FloorDivOptions", const_rhs=True,
                                    nonzero=True, quantized=False))
for _dt in ("float32", "int32", "int64", "int16", "int8"):
    single("floor_mod", _dt, binary("FLOOR_MOD", "FloorModOptions", const_rhs=True,
                                    nonzero=True, quantized=False))


# Elementwise unary ------------------------------------------------------------------------

def unary(op, table=None, opts=None, iq=None, oq=None, shape=(1, 3, 4, 2), out_type=None,
          same_q=False, pre=None):
    """One-input op. iq/oq: quantization (None = the dtype's defaults);
    same_q: output quantized like the input. pre: an op placed before it
    (ABS, to feed square roots non-negative int16)."""
    def build(g, v, dtype):
        iqq = iq if iq is not None else in_q(dtype)
        oqq = iqq if same_q else (oq if oq is not None else out_q(dtype))
        x = g.input("input", list(shape), dtype, iqq)
        if pre:
            t = g.tensor(pre.lower(), list(shape), dtype, iqq)
            g.op(pre, [x], [t], options("AbsOptions"))
            x = t
        y = g.tensor("output", list(shape), out_type or dtype, oqq)
        o = opts if opts is not None else (options(table) if table else None)
        g.op(op, [x], [y], o)
        g.output(y)
    return build


for _op in ("CEIL", "COS", "FLOOR", "ROUND", "SIN", "SQUARE"):
    _tbl = {"COS": "CosOptions", "SQUARE": "SquareOptions"}.get(_op)
    single(_op.lower(), "float32", unary(_op, _tbl))
for _dt in ("float32", "int8", "int16"):
    single("exp", _dt, unary("EXP", "ExpOptions"))
    single("log", _dt, unary("LOG", iq=q(0.05, -128) if _dt == "int8" else None))
    single("sqrt", _dt, unary("SQRT", iq=q(0.05, -128) if _dt == "int8" else None,
                              pre="ABS" if _dt == "int16" else None))
    single("rsqrt", _dt, unary("RSQRT", iq=q(0.05, -128) if _dt == "int8" else None,
                               oq=q(0.1, -128) if _dt == "int8" else None,
                               pre="ABS" if _dt == "int16" else None))
for _dt in ("float32", "int8", "int16", "int32"):
    single("abs", _dt, unary("ABS", "AbsOptions"))
for _dt in ("float32", "int8", "int16", "int32", "int64"):
    single("neg", _dt, unary("NEG", "NegOptions", same_q=True))

for _dt in ("float32", "int8", "uint8", "int16"):
    single("relu", _dt, unary("RELU"))
    single("relu6", _dt, unary("RELU6"))
    single("leaky_relu", _dt, unary("LEAKY_RELU", opts=options("LeakyReluOptions", alpha=0.2)))
    single("logistic", _dt, unary(
        "LOGISTIC", oq={"int8": q(1 / 256, -128), "uint8": q(1 / 256, 0),
                        "int16": q(1 / 32768)}.get(_dt)))
    single("tanh", _dt, unary(
        "TANH", oq={"int8": q(1 / 128, 0), "uint8": q(1 / 128, 128),
                    "int16": q(1 / 32768)}.get(_dt)))
for _dt in ("float32", "int8", "uint8"):
    single("relu_n1_to_1", _dt, unary("RELU_N1_TO_1"))
    single("relu_0_to_1", _dt, unary("RELU_0_TO_1"))
    single("hard_swish", _dt, unary("HARD_SWISH", "HardSwishOptions"))


def softmax(out_type=None, oq=None):
    def build(g, v, dtype):
        shape = [2, 10]
        x = g.input("input", shape, dtype, in_q(dtype))
        ot = out_type or dtype
        o = oq or {"int8": q(1 / 256, -128), "uint8": q(1 / 256, 0),
                   "int16": q(1 / 32768)}.get(ot)
        y = g.tensor("output", shape, ot, o)
        g.op("SOFTMAX", [x], [y], options("SoftmaxOptions", beta=1.0))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int16"):
    single("softmax", _dt, softmax())
named("softmax_int8_to_int16", "int8", softmax(out_type="int16"))


def quantize(out_type, oq):
    def build(g, v, dtype):
        x = g.input("input", [2, 3, 4], dtype, in_q(dtype))
        y = g.tensor("output", [2, 3, 4], out_type, oq)
        g.op("QUANTIZE", [x], [y], options("QuantizeOptions"))
        g.output(y)
    return build


single("quantize", "float32", quantize("int8", q(0.01, -5)))
named("quantize_float32_to_uint8", "float32", quantize("uint8", q(0.01, 128)))
named("quantize_float32_to_int16", "float32", quantize("int16", q(1.0 / 16384)))
single("quantize", "int8", quantize("int8", q(0.03, 7)))
single("quantize", "uint8", quantize("int8", q(0.05, 0)))
single("quantize", "int16", quantize("int16", q(1.0 / 1024)))
named("quantize_int16_to_int8", "int16", quantize("int8", q(0.004, 0)))
named("quantize_int8_to_int16", "int8", quantize("int16", q(1.0 / 256)))


def dequantize(g, v, dtype):
    x = g.input("input", [2, 3, 4], dtype, in_q(dtype) if dtype != "float16" else None)
    y = g.tensor("output", [2, 3, 4], "float32")
    g.op("DEQUANTIZE", [x], [y], options("DequantizeOptions"))
    g.output(y)


for _dt in ("int8", "uint8", "int16", "float16"):
    single("dequantize", _dt, dequantize)


# Pooling, shapes and data movement ---------------------------------------------------------

def pool(op, padding, stride, size):
    def build(g, v, dtype):
        iq = in_q(dtype)
        x = g.input("input", [1, 6, 6, 2], dtype, iq)
        if padding == SAME:
            oh = (6 + stride - 1) // stride
        else:
            oh = (6 - size) // stride + 1
        y = g.tensor("output", [1, oh, oh, 2], dtype, iq)
        g.op(op, [x], [y], options("Pool2DOptions", padding=padding, stride_w=stride,
                                   stride_h=stride, filter_width=size, filter_height=size,
                                   fused_activation_function=RELU if dtype == "float32"
                                   else NONE))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int16"):
    single("average_pool_2d", _dt, pool("AVERAGE_POOL_2D", SAME, 2, 3))
    single("max_pool_2d", _dt, pool("MAX_POOL_2D", VALID, 2, 2))


def arg(op, table, out_type="int32"):
    def build(g, v, dtype):
        x = g.input("input", [2, 3, 5], dtype, in_q(dtype))
        axis = g.const("axis", [1], "int32", [2])
        y = g.tensor("output", [2, 3], out_type)
        g.op(op, [x, axis], [y], options(table, output_type=DTYPES[out_type][0]))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int32"):
    single("arg_max", _dt, arg("ARG_MAX", "ArgMaxOptions"))
    single("arg_min", _dt, arg("ARG_MIN", "ArgMinOptions"))
named("arg_max_int64_output_float32", "float32", arg("ARG_MAX", "ArgMaxOptions", "int64"))


MOVE_TYPES = ("float32", "int8", "uint8", "int16", "int32", "int64")


def batch_to_space(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [4, 2, 2, 1], dtype, iq)
    block = g.const("block_shape", [2], "int32", [2, 2])
    crops = g.const("crops", [2, 2], "int32", [0, 0, 0, 1])
    y = g.tensor("output", [1, 4, 3, 1], dtype, iq)
    g.op("BATCH_TO_SPACE_ND", [x, block, crops], [y], options("BatchToSpaceNDOptions"))
    g.output(y)


def space_to_batch(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [1, 4, 3, 2], dtype, iq)
    block = g.const("block_shape", [2], "int32", [2, 2])
    pads = g.const("paddings", [2, 2], "int32", [0, 0, 0, 1])
    y = g.tensor("output", [4, 2, 2, 2], dtype, iq)
    g.op("SPACE_TO_BATCH_ND", [x, block, pads], [y], options("SpaceToBatchNDOptions"))
    g.output(y)


for _dt in MOVE_TYPES:
    single("batch_to_space_nd", _dt, batch_to_space)
    single("space_to_batch_nd", _dt, space_to_batch)


def cast(out_type):
    def build(g, v, dtype):
        x = g.input("input", [2, 3, 4], dtype)
        y = g.tensor("output", [2, 3, 4], out_type)
        g.op("CAST", [x], [y], options("CastOptions", in_data_type=DTYPES[dtype][0],
                                       out_data_type=DTYPES[out_type][0]))
        g.output(y)
    return build


single("cast", "float32", cast("int32"))
single("cast", "int32", cast("float32"))
single("cast", "uint8", cast("int32"))
single("cast", "int8", cast("float32"))
single("cast", "int16", cast("int32"))
single("cast", "int64", cast("int32"))
single("cast", "bool", cast("float32"))
named("cast_float32_to_bool", "float32", cast("bool"))
named("cast_int32_to_int64", "int32", cast("int64"))


def concatenation(axis=3):
    def build(g, v, dtype):
        # TFLite requantizes uint8 inputs; int8 and int16 ones must share
        # the output's quantization.
        iq = in_q(dtype)
        q2 = q(0.03, 100) if dtype == "uint8" else iq
        oq = out_q(dtype) if dtype == "uint8" else iq
        a = g.input("a", [1, 2, 2, 3], dtype, iq)
        b = g.input("b", [1, 2, 2, 2], dtype, q2)
        y = g.tensor("output", [1, 2, 2, 5], dtype, oq)
        g.op("CONCATENATION", [a, b], [y],
             options("ConcatenationOptions", axis=axis))
        g.output(y)
    return build


for _dt in MOVE_TYPES + ("bool",):
    single("concatenation", _dt, concatenation(axis=3 if _dt != "int32" else -1))


def expand_dims(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [2, 3, 4], dtype, iq)
    axis = g.const("axis", [1], "int32", [1])
    y = g.tensor("output", [2, 1, 3, 4], dtype, iq)
    g.op("EXPAND_DIMS", [x, axis], [y], options("ExpandDimsOptions"))
    g.output(y)


for _dt in MOVE_TYPES + ("bool",):
    single("expand_dims", _dt, expand_dims)


def gather(index_type="int32"):
    def build(g, v, dtype):
        iq = in_q(dtype)
        x = g.input("params", [3, 5, 2], dtype, iq)
        idx = g.const("indices", [4], index_type, [4, 0, 2, 2])
        y = g.tensor("output", [3, 4, 2], dtype, iq)
        g.op("GATHER", [x, idx], [y], options("GatherOptions", axis=1))
        g.output(y)
    return build


for _dt in MOVE_TYPES + ("bool",):
    single("gather", _dt, gather())
named("gather_int64_indices_float32", "float32", gather("int64"))


def gather_nd(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("params", [3, 4, 2], dtype, iq)
    idx = g.const("indices", [3, 2], "int32", [0, 1, 2, 3, 1, 0])
    y = g.tensor("output", [3, 2], dtype, iq)
    g.op("GATHER_ND", [x, idx], [y], options("GatherNdOptions"))
    g.output(y)


for _dt in MOVE_TYPES:
    single("gather_nd", _dt, gather_nd)


def reduce(op, keep_dims):
    def build(g, v, dtype):
        iq, oq = in_q(dtype), out_q(dtype)
        if dtype == "int16":
            oq = q(1.0 / 4096)
        elif op == "SUM" and dtype in ("int8", "uint8"):
            # Wide enough for the sum of the 12 reduced values.
            oq = q(0.5, oq[1][0])
        x = g.input("input", [1, 4, 3, 2], dtype, iq)
        axis = g.const("axis", [2], "int32", [1, 2])
        y = g.tensor("output", [1, 1, 1, 2] if keep_dims else [1, 2], dtype, oq)
        g.op(op, [x, axis], [y], options("ReducerOptions", keep_dims=keep_dims))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int16", "int32", "int64"):
    single("mean", _dt, reduce("MEAN", True))
    single("sum", _dt, reduce("SUM", False))


def pack_op(g, v, dtype):
    iq = in_q(dtype)
    xs = [g.input("x%d" % i, [2, 3], dtype, iq) for i in range(3)]
    y = g.tensor("output", [2, 3, 3], dtype, iq)
    g.op("PACK", xs, [y], options("PackOptions", values_count=3, axis=1))
    g.output(y)


def unpack_op(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [3, 2, 4], dtype, iq)
    ys = [g.tensor("y%d" % i, [2, 4], dtype, iq) for i in range(3)]
    g.op("UNPACK", [x], ys, options("UnpackOptions", num=3, axis=0))
    g.output(*ys)


# TFLite packs no bool and unpacks no int64.
for _dt in MOVE_TYPES:
    single("pack", _dt, pack_op)
    if _dt != "int64":
        single("unpack", _dt, unpack_op)
single("unpack", "bool", unpack_op)


def pad(v2):
    def build(g, v, dtype):
        iq = in_q(dtype)
        x = g.input("input", [1, 3, 3, 2], dtype, iq)
        pads = g.const("paddings", [4, 2], "int32", [0, 0, 1, 2, 2, 1, 0, 0])
        ins = [x, pads]
        if v2:
            val = {"float32": [0.25], "int8": [-20], "uint8": [200], "int16": [100]}.get(
                dtype, [7])
            ins.append(g.const("constant_values", [1], dtype, val, iq))
        y = g.tensor("output", [1, 6, 6, 2], dtype, iq)
        g.op("PADV2" if v2 else "PAD", ins, [y],
             options("PadV2Options" if v2 else "PadOptions"))
        g.output(y)
    return build


for _dt in MOVE_TYPES:
    single("pad", _dt, pad(False))
    single("padv2", _dt, pad(True))


def reshape(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [2, 3, 4], dtype, iq)
    shape = g.const("shape", [2], "int32", [-1, 6])
    y = g.tensor("output", [4, 6], dtype, iq)
    g.op("RESHAPE", [x, shape], [y], options("ReshapeOptions", new_shape=[-1, 6]))
    g.output(y)


for _dt in MOVE_TYPES + ("bool",):
    single("reshape", _dt, reshape)


def resize(op, table, **kw):
    def build(g, v, dtype):
        iq = in_q(dtype)
        x = g.input("input", [1, 3, 4, 2], dtype, iq)
        size = g.const("size", [2], "int32", [5, 7])
        y = g.tensor("output", [1, 5, 7, 2], dtype, iq)
        g.op(op, [x, size], [y], options(table, **kw))
        g.output(y)
    return build


for _dt in ("float32", "int8", "uint8", "int16"):
    single("resize_bilinear", _dt, resize("RESIZE_BILINEAR", "ResizeBilinearOptions",
                                          half_pixel_centers=True))
for _dt in ("float32", "int8", "uint8", "int16", "int32"):
    single("resize_nearest_neighbor", _dt,
           resize("RESIZE_NEAREST_NEIGHBOR", "ResizeNearestNeighborOptions",
                  align_corners=_dt == "int8"))


def shape_op(out_type):
    def build(g, v, dtype):
        x = g.input("input", [2, 3, 4], dtype, in_q(dtype))
        y = g.tensor("output", [3], out_type)
        g.op("SHAPE", [x], [y], options("ShapeOptions", out_type=DTYPES[out_type][0]))
        g.output(y)
    return build


single("shape", "float32", shape_op("int32"))
single("shape", "int8", shape_op("int64"))


def split(g, v, dtype):
    iq = in_q(dtype)
    axis = g.const("axis", [], "int32", [2])
    x = g.input("input", [2, 3, 4], dtype, iq)
    ys = [g.tensor("y%d" % i, [2, 3, 2], dtype, iq) for i in range(2)]
    g.op("SPLIT", [axis, x], ys, options("SplitOptions", num_splits=2))
    g.output(*ys)


def split_v(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [2, 6, 3], dtype, iq)
    sizes = g.const("size_splits", [3], "int32", [1, -1, 2])
    axis = g.const("axis", [], "int32", [1])
    ys = [g.tensor("y%d" % i, [2, n, 3], dtype, iq) for i, n in enumerate((1, 3, 2))]
    g.op("SPLIT_V", [x, sizes, axis], ys, options("SplitVOptions", num_splits=3))
    g.output(*ys)


def squeeze(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [1, 3, 1, 4], dtype, iq)
    y = g.tensor("output", [3, 4], dtype, iq)
    g.op("SQUEEZE", [x], [y], options("SqueezeOptions", squeeze_dims=[0, 2]))
    g.output(y)


def strided_slice(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [1, 4, 6, 3], dtype, iq)
    begin = g.const("begin", [4], "int32", [0, 1, 5, 0])
    end = g.const("end", [4], "int32", [1, 4, 0, 2])
    strides = g.const("strides", [4], "int32", [1, 2, -2, 1])
    # Shrinks axis 0, end mask on axis 3: output [2, 3, 2].
    y = g.tensor("output", [2, 3, 2], dtype, iq)
    g.op("STRIDED_SLICE", [x, begin, end, strides], [y],
         options("StridedSliceOptions", shrink_axis_mask=1, end_mask=8))
    g.output(y)


def tile(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [2, 1, 3], dtype, iq)
    mult = g.const("multiples", [3], "int32", [2, 3, 1])
    y = g.tensor("output", [4, 3, 3], dtype, iq)
    g.op("TILE", [x, mult], [y], options("TileOptions"))
    g.output(y)


def transpose(g, v, dtype):
    iq = in_q(dtype)
    x = g.input("input", [1, 2, 3, 4], dtype, iq)
    perm = g.const("perm", [4], "int32", [0, 3, 1, 2])
    y = g.tensor("output", [1, 4, 2, 3], dtype, iq)
    g.op("TRANSPOSE", [x, perm], [y], options("TransposeOptions"))
    g.output(y)


for _dt in MOVE_TYPES + ("bool",):
    if _dt != "bool":  # TFLite splits no bool
        single("split", _dt, split)
        single("split_v", _dt, split_v)
    single("squeeze", _dt, squeeze)
    single("strided_slice", _dt, strided_slice)
    single("tile", _dt, tile)
    single("transpose", _dt, transpose)


# Signal processing and complex numbers ---------------------------------------------------

def rfft2d(g, x):
    """Adds RFFT2D of float32 x [1, 4, 8]; returns the complex64 [1, 4, 5] tensor."""
    n = g.const("fft_length", [2], "int32", [4, 8])
    y = g.tensor("spectrum", [1, 4, 5], "complex64")
    g.op("RFFT2D", [x, n], [y], options("Rfft2dOptions"))
    return y


def rfft2d_only(g, v, dtype):
    x = g.input("input", [1, 4, 8], "float32")
    g.output(rfft2d(g, x))


def complex_part(op):
    def build(g, v, dtype):
        x = g.input("input", [1, 4, 8], "float32")
        c = rfft2d(g, x)
        y = g.tensor("output", [1, 4, 5], "float32")
        g.op(op, [c], [y])
        g.output(y)
    return build


single("rfft2d", "float32", rfft2d_only)
single("complex_abs", "complex64", complex_part("COMPLEX_ABS"))
single("imag", "complex64", complex_part("IMAG"))
single("real", "complex64", complex_part("REAL"))


# Custom op: SSD detection post-processing ---------------------------------------------------

def detection_postprocess(regular_nms):
    def build(g, v, dtype):
        boxes_n, classes = 8, 2
        quant = dtype in ("uint8", "int8")
        bq = (q(0.05, 128) if dtype == "uint8" else q(0.05, 0)) if quant else None
        sq = (q(1 / 256, 0) if dtype == "uint8" else q(1 / 256, -128)) if quant else None
        boxes = g.input("raw_boxes", [1, boxes_n, 4], dtype, bq)
        scores = g.input("raw_scores", [1, boxes_n, classes + 1], dtype, sq)
        anchors = []
        for i in range(boxes_n):
            cy, cx = 0.125 + 0.25 * (i % 4), 0.25 + 0.5 * (i // 4)
            anchors += [cy, cx, 0.3, 0.4]
        if quant:
            # Quantized models carry quantized anchors (TFLite dequantizes
            # them with the boxes' type).
            aq = q(1 / 255, 0) if dtype == "uint8" else q(1 / 255, -128)
            zp = aq[1][0]
            a = g.const("anchors", [boxes_n, 4], dtype,
                        [int(round(x * 255)) + zp for x in anchors], aq)
        else:
            a = g.const("anchors", [boxes_n, 4], "float32", anchors)
        max_det = 3
        outs = [g.tensor("detection_boxes", [1, max_det, 4], "float32"),
                g.tensor("detection_classes", [1, max_det], "float32"),
                g.tensor("detection_scores", [1, max_det], "float32"),
                g.tensor("num_detections", [1], "float32")]
        opts = bytes(flexbuffers.Dumps({
            "max_detections": max_det,
            "max_classes_per_detection": 1,
            "detections_per_class": 2,
            "use_regular_nms": regular_nms,
            "nms_score_threshold": 0.3,
            "nms_iou_threshold": 0.6,
            "num_classes": classes,
            "y_scale": 10.0,
            "x_scale": 10.0,
            "h_scale": 5.0,
            "w_scale": 5.0,
        }))
        g.op("TFLite_Detection_PostProcess", [boxes, scores, a], outs, custom=opts)
        g.output(*outs)
    return build


for _dt in ("float32", "uint8", "int8"):
    single("detection_postprocess", _dt, detection_postprocess(False))
named("detection_postprocess_regular_nms_float32", "float32", detection_postprocess(True))


# Multi-op graphs ---------------------------------------------------------------------------

@model("graph_conv_pool_fc_int8")
def graph_conv_pool_fc_int8():
    """conv -> relu -> max pool -> reshape -> fully connected -> softmax, int8."""
    m = Model("tfl fuzz seed: int8 classifier")
    g = m.graph()
    v = Values("graph_conv_pool_fc_int8")
    iq = q(1 / 255, -128)
    x = g.input("image", [1, 8, 8, 1], "int8", iq)
    w, b = conv_weights(g, v, "int8", [4, 3, 3, 1], 0, True, iq[0][0], "conv")
    cq = q(0.02, -5)
    c = g.tensor("conv", [1, 8, 8, 4], "int8", cq)
    g.op("CONV_2D", [x, w, b], [c], options("Conv2DOptions", padding=SAME, stride_w=1,
                                            stride_h=1))
    rq = q(0.02, -128)
    r = g.tensor("relu", [1, 8, 8, 4], "int8", rq)
    g.op("RELU", [c], [r])
    p = g.tensor("pool", [1, 4, 4, 4], "int8", rq)
    g.op("MAX_POOL_2D", [r], [p], options("Pool2DOptions", padding=VALID, stride_w=2,
                                          stride_h=2, filter_width=2, filter_height=2))
    shape = g.const("shape", [2], "int32", [1, 64])
    f = g.tensor("flat", [1, 64], "int8", rq)
    g.op("RESHAPE", [p, shape], [f], options("ReshapeOptions", new_shape=[1, 64]))
    fw, fb = conv_weights(g, v, "int8", [10, 64], 0, False, rq[0][0], "fc")
    logits = g.tensor("logits", [1, 10], "int8", q(0.1, 4))
    g.op("FULLY_CONNECTED", [f, fw, fb], [logits], options("FullyConnectedOptions"))
    y = g.tensor("probs", [1, 10], "int8", q(1 / 256, -128))
    g.op("SOFTMAX", [logits], [y], options("SoftmaxOptions", beta=1.0))
    g.output(y)
    return m


@model("graph_residual_float32")
def graph_residual_float32():
    """conv -> depthwise -> add (residual) -> mean -> fully connected -> logistic."""
    m = Model("tfl fuzz seed: float residual block")
    g = m.graph()
    v = Values("graph_residual_float32")
    x = g.input("input", [1, 6, 6, 3], "float32")
    w, b = conv_weights(g, v, "float32", [4, 3, 3, 3], 0, False, 1.0, "conv")
    c = g.tensor("conv", [1, 6, 6, 4], "float32")
    g.op("CONV_2D", [x, w, b], [c], options("Conv2DOptions", padding=SAME, stride_w=1,
                                            stride_h=1, fused_activation_function=RELU))
    dw, db = conv_weights(g, v, "float32", [1, 3, 3, 4], 3, False, 1.0, "dw")
    d = g.tensor("dw", [1, 6, 6, 4], "float32")
    g.op("DEPTHWISE_CONV_2D", [c, dw, db], [d],
         options("DepthwiseConv2DOptions", padding=SAME, stride_w=1, stride_h=1,
                 depth_multiplier=1, fused_activation_function=RELU6))
    s = g.tensor("sum", [1, 6, 6, 4], "float32")
    g.op("ADD", [c, d], [s], options("AddOptions"))
    axis = g.const("axis", [2], "int32", [1, 2])
    mn = g.tensor("mean", [1, 4], "float32")
    g.op("MEAN", [s, axis], [mn], options("ReducerOptions", keep_dims=False))
    fw, fb = conv_weights(g, v, "float32", [2, 4], 0, False, 1.0, "fc")
    f = g.tensor("fc", [1, 2], "float32")
    g.op("FULLY_CONNECTED", [mn, fw, fb], [f], options("FullyConnectedOptions"))
    y = g.tensor("output", [1, 2], "float32")
    g.op("LOGISTIC", [f], [y])
    g.output(y)
    return m


@model("graph_quantize_conv_dequantize")
def graph_quantize_conv_dequantize():
    """float in -> QUANTIZE -> int8 conv -> int8 hard swish -> DEQUANTIZE -> float out."""
    m = Model("tfl fuzz seed: quantized island")
    g = m.graph()
    v = Values("graph_quantize_conv_dequantize")
    x = g.input("input", [1, 4, 4, 2], "float32")
    iq = q(1 / 128, 0)
    xq = g.tensor("input_q", [1, 4, 4, 2], "int8", iq)
    g.op("QUANTIZE", [x], [xq], options("QuantizeOptions"))
    w, b = conv_weights(g, v, "int8", [3, 3, 3, 2], 0, True, iq[0][0])
    c = g.tensor("conv", [1, 2, 2, 3], "int8", q(0.01, 2))
    g.op("CONV_2D", [xq, w, b], [c], options("Conv2DOptions", padding=VALID, stride_w=1,
                                             stride_h=1))
    h = g.tensor("hard_swish", [1, 2, 2, 3], "int8", q(0.008, -3))
    g.op("HARD_SWISH", [c], [h], options("HardSwishOptions"))
    y = g.tensor("output", [1, 2, 2, 3], "float32")
    g.op("DEQUANTIZE", [h], [y], options("DequantizeOptions"))
    g.output(y)
    return m


@model("graph_split_concat_int8")
def graph_split_concat_int8():
    """split -> (tanh, relu) -> concatenation, int8."""
    m = Model("tfl fuzz seed: split and concat")
    g = m.graph()
    iq = q(0.05, 0)
    axis = g.const("axis", [], "int32", [1])
    x = g.input("input", [2, 6], "int8", iq)
    a = g.tensor("a", [2, 3], "int8", iq)
    b = g.tensor("b", [2, 3], "int8", iq)
    g.op("SPLIT", [axis, x], [a, b], options("SplitOptions", num_splits=2))
    ta = g.tensor("tanh", [2, 3], "int8", q(1 / 128, 0))
    g.op("TANH", [a], [ta])
    lb = g.tensor("relu", [2, 3], "int8", q(1 / 128, 0))
    g.op("RELU", [b], [lb])
    y = g.tensor("output", [2, 6], "int8", q(1 / 128, 0))
    g.op("CONCATENATION", [ta, lb], [y], options("ConcatenationOptions", axis=1))
    g.output(y)
    return m


@model("two_subgraphs_signatures")
def two_subgraphs_signatures():
    """Subgraph 0 adds, subgraph 1 multiplies; one signature for each."""
    m = Model("tfl fuzz seed: two subgraphs")
    for i, (name, op, table) in enumerate((("add", "ADD", "AddOptions"),
                                           ("mul", "MUL", "MulOptions"))):
        g = m.graph(name)
        a = g.input("x", [2, 3], "float32")
        b = g.const("k", [3], "float32", [0.5, -1.5, 2.0])
        y = g.tensor("y", [2, 3], "float32")
        g.op(op, [a, b], [y], options(table))
        g.output(y)
        m.signature(name, i, [("x", a)], [("y", y)])
    return m


@model("variable_int8")
def variable_int8():
    """ADD of an input and a variable (state) tensor, which starts at its zero point."""
    m = Model("tfl fuzz seed: variable tensor")
    g = m.graph()
    iq = q(0.05, 3)
    x = g.input("input", [1, 8], "int8", iq)
    s = g.tensor("state", [1, 8], "int8", q(0.05, -7), variable=True)
    y = g.tensor("output", [1, 8], "int8", q(0.1, 0))
    g.op("ADD", [x, s], [y], options("AddOptions"))
    g.output(y)
    return m


# The other ops' seeds live in fuzz_seed_ops.py, which imports this module by
# name and adds to MODELS (the same module object when run as a script).
sys.modules.setdefault("gen_fuzz_models", sys.modules[__name__])
import fuzz_seed_ops  # noqa: E402,F401
import control_flow_models  # noqa: E402,F401  (IF, WHILE, CALL_ONCE, resource variables)


# ---- main ----------------------------------------------------------------------------------

def ops_def_names():
    """The ops tfl registers (src/ops/ops.def), as lower-case file stems."""
    names = []
    with open(os.path.join(ROOT, "src", "ops", "ops.def")) as f:
        for line in f:
            line = line.strip()
            if line.startswith("TFL_OP("):
                names.append(line[len("TFL_OP("):].split(",")[2].strip(" )"))
            elif line.startswith("TFL_CUSTOM_OP("):
                names.append(line.split(",")[1].strip(" )"))
    return names


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    names = set()
    for name, make in MODELS:
        assert name not in names, name
        names.add(name)
        data = make().serialize()
        if len(data) >= MAX_BYTES:
            sys.exit("%s: %d bytes, over the %d-byte budget" % (name, len(data), MAX_BYTES))
        with open(os.path.join(out, name + ".tflite"), "wb") as f:
            f.write(data)
    missing = [op for op in ops_def_names()
               if not any(n.startswith(op + "_") for n in names)]
    if missing:
        sys.exit("no seed model for: " + ", ".join(missing))
    print("wrote %d models to %s" % (len(names), out))


if __name__ == "__main__":
    main()
