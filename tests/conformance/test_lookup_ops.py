"""EMBEDDING_LOOKUP (plain copies of every fixed-size type; hybrid int8 /
uint8 tables to float32 with per-tensor and per-row scales), DYNAMIC_UPDATE_
SLICE (int32 and int64 starts, clamped), ADD_N (float32, int32, 2 to 5
inputs), RANK, SPARSE_TO_DENSE (scalar, vector and matrix indices, scalar or
vector values, constant or fed shape) and HASHTABLE_LOOKUP (hits, misses,
unsorted keys) against LiteRT's reference kernels, byte for byte on 1 and
2 threads. Errors: out-of-range ids and indices, bad shapes and types."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402

RNG = np.random.default_rng(7)


def model(op, ins, outs, opts=None, consts=(), quant=()):
    """ins: (name, shape, dtype); consts: name -> values; quant: name -> q;
    outs: (name, shape, dtype) or a list of them."""
    consts, quant = dict(consts), dict(quant)
    m = fb.Model("tfl lookup ops test")
    g = m.graph()
    idx = [g.const(n, s, t, list(consts[n]), quant.get(n)) if n in consts
           else g.input(n, s, t, quant.get(n)) for n, s, t in ins]
    outs = outs if isinstance(outs, list) else [outs]
    ys = [g.tensor(n, s, t, quant.get(n)) for n, s, t in outs]
    g.op(op, idx, ys, opts)
    g.output(*ys)
    return bytes(m.serialize())


def rand(shape, dtype):
    if dtype == "float32":
        return RNG.uniform(-10, 10, shape).astype(np.float32)
    if dtype == "bool":
        return RNG.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    return RNG.integers(info.min, info.max, shape, endpoint=True).astype(dtype)


def run_error(tfl, tmp_path, m, name, feeds=()):
    path = tmp_path / f"{name}.tflite"
    path.write_bytes(m)
    args = []
    for i, x in enumerate(feeds):
        np.save(tmp_path / f"{name}_{i}.npy", x)
        args += ["-i", tmp_path / f"{name}_{i}.npy"]
    p = tfl("run", path, *args)
    assert p.returncode != 0
    return p.stderr


# ---- EMBEDDING_LOOKUP ------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "int32", "int8", "uint8", "int16", "int64", "bool"])
@pytest.mark.parametrize("table_shape", [[5, 3], [7, 1], [4, 3, 2], [3, 2, 1, 5]])
def test_embedding_lookup(dtype, table_shape, tfl, litert, tmp_path):
    ids = np.array([0, table_shape[0] - 1, 1, 1, 0, 2 % table_shape[0]], np.int32)
    out = [len(ids)] + table_shape[1:]
    m = model("EMBEDDING_LOOKUP", [("ids", [len(ids)], "int32"), ("t", table_shape, dtype)],
              ("y", out, dtype))
    compare(tfl, litert, tmp_path, m, [ids, rand(table_shape, dtype)], f"el_{dtype}")


@pytest.mark.parametrize("dtype", ["int8", "uint8"])
@pytest.mark.parametrize("per_row", [False, True])
@pytest.mark.parametrize("table_shape", [[6, 5], [4, 3, 3]])
def test_embedding_lookup_hybrid(dtype, per_row, table_shape, tfl, litert, tmp_path):
    """Constant quantized table, float32 output; uint8 covers the whole range
    (TFLite reads it as int8)."""
    rows = table_shape[0]
    table = rand(table_shape, dtype)
    table.flat[:4] = [0, 127, 128, 255] if dtype == "uint8" else [0, 127, -128, -1]
    qt = (list(np.linspace(0.01, 3.5, rows)), [0] * rows, 0) if per_row else fb.q(0.37, 0)
    ids = np.array([rows - 1, 0, 2, 0, 1], np.int32)
    m = model("EMBEDDING_LOOKUP", [("ids", [5], "int32"), ("t", table_shape, dtype)],
              ("y", [5] + table_shape[1:], "float32"), consts={"t": table.reshape(-1).tolist()},
              quant={"t": qt})
    compare(tfl, litert, tmp_path, m, [ids], f"elh_{dtype}_{per_row}")


@pytest.mark.parametrize("dtype", ["int8", "uint8"])
@pytest.mark.parametrize("scale", [0.37, 1e-7, 3.1e-5, 600.0, 2e4])
def test_embedding_lookup_hybrid_float16(dtype, scale, tfl, litert, tmp_path):
    """float16 output: the float product rounded to nearest even, through
    half subnormals (tiny scales) and past 65504 to infinity (large ones)."""
    table = np.arange(-128, 128).astype(np.int8).view(dtype).reshape(32, 8)
    pc = (list(np.linspace(scale, 3 * scale, 32)), [0] * 32, 0)
    for qt in (fb.q(scale, 0), pc):
        ids = np.arange(31, -1, -1, dtype=np.int32)
        m = model("EMBEDDING_LOOKUP", [("ids", [32], "int32"), ("t", [32, 8], dtype)],
                  ("y", [32, 8], "float16"), consts={"t": table.reshape(-1).tolist()},
                  quant={"t": qt})
        compare(tfl, litert, tmp_path, m, [ids], f"elh16_{dtype}")


def test_embedding_lookup_quantized_copy(tfl, litert, tmp_path):
    """Quantized table and output of the same type: rows copied, no rescale."""
    m = model("EMBEDDING_LOOKUP", [("ids", [3], "int32"), ("t", [4, 6], "int8")],
              ("y", [3, 6], "int8"), quant={"t": fb.q(0.5, 3), "y": fb.q(0.25, -1)})
    compare(tfl, litert, tmp_path, m, [np.array([3, 0, 3], np.int32), rand([4, 6], "int8")],
            "el_q")


def test_embedding_lookup_empty_ids(tfl, litert, tmp_path):
    m = model("EMBEDDING_LOOKUP", [("ids", [0], "int32"), ("t", [4, 3], "float32")],
              ("y", [0, 3], "float32"))
    compare(tfl, litert, tmp_path, m, [np.zeros([0], np.int32), rand([4, 3], "float32")], "el0")


@pytest.mark.parametrize("bad", [-1, 4, 2**31 - 1, -2**31])
def test_embedding_lookup_bad_id(bad, tfl, tmp_path):
    m = model("EMBEDDING_LOOKUP", [("ids", [2], "int32"), ("t", [4, 3], "float32")],
              ("y", [2, 3], "float32"))
    err = run_error(tfl, tmp_path, m, "el_bad",
                    [np.array([0, bad], np.int32), rand([4, 3], "float32")])
    assert f"id {bad} (ids element 1) is out of range [0, 4)" in err, err


@pytest.mark.parametrize("case", ["ids_int64", "ids_matrix", "table_vector", "int16_to_f32",
                                  "f32_to_int8", "zero_point", "per_channel_dim",
                                  "per_channel_count", "per_channel_same_type"])
def test_embedding_lookup_errors(case, tfl, tmp_path):
    T = [("ids", [2], "int32"), ("t", [4, 3], "int8")]
    pc = ([0.1, 0.2, 0.3, 0.4], [0] * 4, 0)
    m, msg = {
        "ids_int64": (model("EMBEDDING_LOOKUP", [("ids", [2], "int64"), ("t", [4, 3], "float32")],
                            ("y", [2, 3], "float32")), "ids type int64, expected int32"),
        "ids_matrix": (model("EMBEDDING_LOOKUP", [("ids", [1, 2], "int32"),
                                                  ("t", [4, 3], "float32")],
                             ("y", [2, 3], "float32")), "ids must be a vector"),
        "table_vector": (model("EMBEDDING_LOOKUP", [("ids", [2], "int32"), ("t", [4], "float32")],
                               ("y", [2], "float32")), "table must have rank >= 2"),
        "int16_to_f32": (model("EMBEDDING_LOOKUP", [("ids", [2], "int32"), ("t", [4, 3], "int16")],
                               ("y", [2, 3], "float32")),
                         "table type int16 with output type float32 not supported"),
        "f32_to_int8": (model("EMBEDDING_LOOKUP", [("ids", [2], "int32"),
                                                   ("t", [4, 3], "float32")],
                              ("y", [2, 3], "int8")),
                        "table type float32 with output type int8 not supported"),
        "zero_point": (model("EMBEDDING_LOOKUP", T, ("y", [2, 3], "float32"),
                             quant={"t": fb.q(0.5, 1)}), "needs zero point 0, table has 1"),
        "per_channel_dim": (model("EMBEDDING_LOOKUP", [("ids", [2], "int32"),
                                                       ("t", [4, 4], "int8")],
                                  ("y", [2, 4], "float32"), quant={"t": (pc[0], pc[1], 1)}),
                            "one scale per row along dimension 0"),
        "per_channel_count": (model("EMBEDDING_LOOKUP", [("ids", [2], "int32"),
                                                         ("t", [5, 3], "int8")],
                                    ("y", [2, 3], "float32"), quant={"t": pc}),
                              "4 per-channel scales do not match dimension 0"),  # the loader
        "per_channel_same_type": (model("EMBEDDING_LOOKUP", T, ("y", [2, 3], "int8"),
                                        quant={"t": pc}),
                                  "a per-channel table needs a float32/float16 output"),
    }[case]
    err = run_error(tfl, tmp_path, m, case)
    assert msg in err and ("EMBEDDING_LOOKUP (node 0)" in err or case == "per_channel_count"), err


# ---- DYNAMIC_UPDATE_SLICE --------------------------------------------------

DUS_CASES = [
    ([5], [2], [1]), ([5], [2], [4]), ([5], [2], [-3]), ([4, 6], [2, 3], [1, 2]),
    ([4, 6], [2, 3], [9, -9]), ([4, 6], [4, 6], [1, 1]), ([3, 4, 5], [1, 2, 5], [2, 1, 0]),
    ([2, 3, 4, 5], [1, 3, 2, 2], [1, 0, 3, 7]), ([2, 3, 1, 2, 3], [1, 2, 1, 1, 2], [0, 1, 0, 1, 1]),
    ([4, 5], [0, 3], [1, 1]), ([3, 3], [3, 1], [0, 2]),
]


@pytest.mark.parametrize("dtype", ["float32", "int8", "uint8", "int16", "int32", "int64", "bool"])
@pytest.mark.parametrize("shapes", DUS_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_dynamic_update_slice(dtype, shapes, tfl, litert, tmp_path):
    shape, ushape, start = shapes
    m = model("DYNAMIC_UPDATE_SLICE", [("x", shape, dtype), ("u", ushape, dtype),
                                       ("s", [len(shape)], "int32")], ("y", shape, dtype),
              fb.options("DynamicUpdateSliceOptions"))
    compare(tfl, litert, tmp_path, m, [rand(shape, dtype), rand(ushape, dtype),
                                       np.array(start, np.int32)], f"dus_{dtype}")


@pytest.mark.parametrize("start", [[1, 2], [2**40, -2**40], [-1, 2**62]])
def test_dynamic_update_slice_int64(start, tfl, litert, tmp_path):
    m = model("DYNAMIC_UPDATE_SLICE", [("x", [4, 6], "float32"), ("u", [2, 3], "float32"),
                                       ("s", [2], "int64")], ("y", [4, 6], "float32"))
    compare(tfl, litert, tmp_path, m, [rand([4, 6], "float32"), rand([2, 3], "float32"),
                                       np.array(start, np.int64)], "dus64")


def test_dynamic_update_slice_const_start(tfl, litert, tmp_path):
    m = model("DYNAMIC_UPDATE_SLICE", [("x", [3, 7], "int16"), ("u", [2, 2], "int16"),
                                       ("s", [2], "int32")], ("y", [3, 7], "int16"),
              consts={"s": [1, 6]})
    compare(tfl, litert, tmp_path, m, [rand([3, 7], "int16"), rand([2, 2], "int16")], "dusc")


@pytest.mark.parametrize("case", ["bigger", "rank", "types", "starts_len", "starts_type"])
def test_dynamic_update_slice_errors(case, tfl, tmp_path):
    def dus(xs, us, ss, ut="float32", st="int32"):
        return model("DYNAMIC_UPDATE_SLICE", [("x", xs, "float32"), ("u", us, ut), ("s", ss, st)],
                     ("y", xs, "float32"))
    m, msg = {
        "bigger": (dus([4, 3], [2, 4], [2]), "is larger than operand float32[4,3] in dimension 1"),
        "rank": (dus([4, 3], [2], [2]), "must have the rank of operand"),
        "types": (dus([4, 3], [2, 2], [2], ut="int32"), "type"),
        "starts_len": (dus([4, 3], [2, 2], [3]), "start indices must be a vector of 2 values"),
        "starts_type": (dus([4, 3], [2, 2], [2], st="int16"), "start indices"),
    }[case]
    err = run_error(tfl, tmp_path, m, case)
    assert msg in err and "DYNAMIC_UPDATE_SLICE (node 0)" in err, err


# ---- ADD_N -----------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "int32"])
@pytest.mark.parametrize("n", [2, 3, 5])
@pytest.mark.parametrize("shape", [[7], [3, 5], [2, 1, 3, 3], []])
def test_add_n(dtype, n, shape, tfl, litert, tmp_path):
    xs = [rand(shape, dtype) for _ in range(n)]
    if dtype == "float32" and shape == [3, 5]:
        xs[0].flat[:7] = [-0.0, np.inf, np.nan, 3e38, np.inf, -3e38, 1e-45]
        xs[1].flat[:7] = [-0.0, -np.inf, 1.0, 3e38, 1.0, -3e38, -1e-45]
    m = model("ADD_N", [(f"x{i}", shape, dtype) for i in range(n)], ("y", shape, dtype),
              fb.options("AddNOptions"))
    compare(tfl, litert, tmp_path, m, xs, f"addn_{dtype}_{n}")


@pytest.mark.parametrize("case", ["one", "int8", "shape", "type"])
def test_add_n_errors(case, tfl, tmp_path):
    m, msg = {
        "one": (model("ADD_N", [("a", [3], "float32")], ("y", [3], "float32")),
                "expects at least 2 inputs, got 1"),
        "int8": (model("ADD_N", [("a", [3], "int8"), ("b", [3], "int8")], ("y", [3], "int8")),
                 "type int8 not supported (float32, int32)"),
        "shape": (model("ADD_N", [("a", [3], "float32"), ("b", [1, 3], "float32")],
                        ("y", [3], "float32")), "input 1 is float32[1,3], input 0 is float32[3]"),
        "type": (model("ADD_N", [("a", [3], "int32"), ("b", [3], "float32")],
                       ("y", [3], "int32")), "input 1 is float32[3], input 0 is int32[3]"),
    }[case]
    err = run_error(tfl, tmp_path, m, case)
    assert msg in err and "ADD_N (node 0)" in err, err


# ---- RANK ------------------------------------------------------------------

@pytest.mark.parametrize("shape", [[], [3], [2, 0], [1, 2, 3, 4, 5, 1]])
def test_rank(shape, tfl, litert, tmp_path):
    m = model("RANK", [("x", shape, "int8")], ("y", [], "int32"), fb.options("RankOptions"))
    compare(tfl, litert, tmp_path, m, [rand(shape, "int8")], "rank")


def test_rank_error(tfl, tmp_path):
    err = run_error(tfl, tmp_path, model("RANK", [("x", [3], "int8")], ("y", [], "int64")),
                    "rank_bad")
    assert "RANK (node 0): output type int64, expected int32" in err, err


# ---- SPARSE_TO_DENSE -------------------------------------------------------

STD_CASES = [
    # indices, output shape, values
    ([[1, 3], [0, 0], [2, 4]], [3, 5], [7, 8, 9]),
    ([[1, 3], [0, 0], [1, 3]], [3, 5], [7, 8, 9]),   # duplicate: the later wins
    ([[0, 1, 2], [1, 0, 0]], [2, 2, 3], 5),         # scalar value
    ([[0, 1, 2, 3], [1, 0, 0, 1]], [2, 2, 3, 4], [1, 2]),
    ([4, 0, 2], [6], [1, 2, 3]),
    (3, [5], 9),                                     # scalar index
    ([], [4], [])                                    # nothing to write
]


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "int8", "uint8"])
@pytest.mark.parametrize("itype", ["int32", "int64"])
@pytest.mark.parametrize("case", range(len(STD_CASES)))
def test_sparse_to_dense(dtype, itype, case, tfl, litert, tmp_path):
    idx, shape, vals = STD_CASES[case]
    idx, vals = np.array(idx, itype), np.array(vals, dtype)
    m = model("SPARSE_TO_DENSE", [("i", list(idx.shape), itype), ("s", [len(shape)], itype),
                                  ("v", list(vals.shape), dtype), ("d", [], dtype)],
              ("y", shape, dtype), fb.options("SparseToDenseOptions", validate_indices=True),
              consts={"s": shape})
    compare(tfl, litert, tmp_path, m, [idx, vals, np.array(-3 if dtype != "uint8" else 250, dtype)],
            f"std_{dtype}_{itype}")


def test_sparse_to_dense_fed_shape(tfl, litert, tmp_path):
    m = model("SPARSE_TO_DENSE", [("i", [2, 2], "int32"), ("s", [2], "int64"),
                                  ("v", [2], "float32"), ("d", [1], "float32")],
              ("y", [1, 1], "float32"))
    compare(tfl, litert, tmp_path, m, [np.array([[0, 1], [2, 0]], np.int32),
                                       np.array([3, 2], np.int64),
                                       np.array([1.5, -2.5], np.float32),
                                       np.array([0.25], np.float32)], "std_fed")


@pytest.mark.parametrize("bad", [[[0, 5]], [[-1, 0]], [[3, 0]]])
def test_sparse_to_dense_bad_index(bad, tfl, tmp_path):
    m = model("SPARSE_TO_DENSE", [("i", [1, 2], "int32"), ("s", [2], "int32"),
                                  ("v", [1], "float32"), ("d", [], "float32")],
              ("y", [3, 5], "float32"), consts={"s": [3, 5]})
    err = run_error(tfl, tmp_path, m, "std_bad", [np.array(bad, np.int32),
                                                 np.array([1], np.float32),
                                                 np.array(0, np.float32)])
    assert "is out of range" in err and "SPARSE_TO_DENSE (node 0)" in err, err


@pytest.mark.parametrize("case", ["rank5", "idx3d", "cols", "vec_shape", "values_count",
                                  "default_two", "default_type", "int16", "neg_shape"])
def test_sparse_to_dense_errors(case, tfl, tmp_path):
    def std(i, s, v, d=(), t="float32", dt=None, consts=None, it="int32"):
        return model("SPARSE_TO_DENSE", [("i", i, it), ("s", [len(s)], "int32"), ("v", v, t),
                                          ("d", list(d), dt or t)], ("y", [max(x, 0) for x in s], t),
                     consts={"s": s} if consts is None else consts)
    m, msg = {
        "rank5": (std([1, 5], [1, 1, 1, 1, 2], [1]), "output rank 5 not supported (at most 4)"),
        "idx3d": (std([1, 1, 2], [2, 2], [1]), "indices must be a scalar, vector or matrix"),
        "cols": (std([2, 3], [4, 4], [2]), "a matrix needs one column per output dimension"),
        "vec_shape": (std([2], [4, 4], [2]), "a scalar or vector of indices needs a 1-D output"),
        "values_count": (std([3, 2], [4, 4], [2]), "must have one value per index (3)"),
        "default_two": (std([2, 2], [4, 4], [2], d=[2]), "default_value must have one element"),
        "default_type": (std([2, 2], [4, 4], [2], dt="int32"), "default_value"),
        "int16": (std([2, 2], [4, 4], [2], t="int16"), "values type int16 not supported"),
        "neg_shape": (std([2, 2], [4, -1], [2]), "output_shape[1] is -1"),
    }[case]
    err = run_error(tfl, tmp_path, m, case)
    assert msg in err and "SPARSE_TO_DENSE (node 0)" in err, err


# ---- HASHTABLE_LOOKUP ------------------------------------------------------

def hashtable(keys, vshape, dtype, n, consts=True):
    return model("HASHTABLE_LOOKUP", [("l", [n], "int32"), ("k", [len(keys)], "int32"),
                                      ("v", vshape, dtype)],
                 [("y", [n] + vshape[1:], dtype), ("hits", [n], "uint8")],
                 consts={"k": keys} if consts else {})


@pytest.mark.parametrize("dtype", ["float32", "int32", "int8", "uint8", "int16", "int64", "bool"])
@pytest.mark.parametrize("vshape", [[6], [6, 3], [6, 2, 2]])
def test_hashtable_lookup(dtype, vshape, tfl, litert, tmp_path):
    keys = [-2**31, -7, 0, 3, 100, 2**31 - 1]
    look = np.array([3, 4, -7, 2**31 - 1, -2**31, 100, 0, 1, 3], np.int32)
    compare(tfl, litert, tmp_path, hashtable(keys, vshape, dtype, len(look)),
            [look, rand(vshape, dtype)], f"ht_{dtype}")


@pytest.mark.parametrize("keys", [[5, 1, 9, 3, 7], [2**31 - 1, -2**31, 0, 5, -5], [4, 4, 4, 4, 1]])
def test_hashtable_lookup_unsorted(keys, tfl, litert, tmp_path):
    """Keys out of order or far apart (the comparator's difference wraps):
    TFLite's bsearch finds some and misses others; so does tfl."""
    look = np.array(sorted(set(keys)) + [2, -2**31, 2**31 - 1], np.int32)
    compare(tfl, litert, tmp_path, hashtable(keys, [5, 2], "float32", len(look), consts=False),
            [look, np.array(keys, np.int32), rand([5, 2], "float32")], "ht_unsorted")


@pytest.mark.parametrize("case", ["hits_type", "keys_type", "rows", "empty", "lookup_matrix",
                                  "out_type"])
def test_hashtable_lookup_errors(case, tfl, tmp_path):
    def ht(lt="int32", kt="int32", ht_="uint8", ls=(2,), rows=3, keys=3, ot="float32"):
        return model("HASHTABLE_LOOKUP", [("l", list(ls), lt), ("k", [keys], kt),
                                          ("v", [rows, 2], "float32")],
                     [("y", [2, 2], ot), ("hits", [2], ht_)])
    m, msg = {
        "hits_type": (ht(ht_="int32"), "hits type int32, expected uint8"),
        "keys_type": (ht(kt="int64"), "keys type int64, expected int32"),
        "rows": (ht(rows=4), "must have one row per key"),
        "empty": (ht(rows=0, keys=0), "the table is empty"),
        "lookup_matrix": (ht(ls=(1, 2)), "lookup must be a vector"),
        "out_type": (ht(ot="int32"), "type"),
    }[case]
    err = run_error(tfl, tmp_path, m, case)
    assert msg in err and "HASHTABLE_LOOKUP (node 0)" in err, err
