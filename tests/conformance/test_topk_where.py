"""TOPK_V2 and WHERE against LiteRT's reference kernels, byte for byte:
TOPK_V2 over every value type (float32, uint8, int8, int16, int32, int64)
with many equal values (ties go to the lower index), k of 0, 1, some and the
whole row, rows of 1 to 3-D inputs, k constant and fed; WHERE over bool and
numeric inputs of rank 1 to 4, none true and all true. 1 and 2 threads.
Errors: k out of range (constant: at load; fed: at invoke), a bad index
output type."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402


def topk_model(dtype, shape, k, fed=False, index_type="int32"):
    m = fb.Model("tfl topk test")
    g = m.graph()
    x = g.input("x", shape, dtype)
    kt = g.input("k", [], "int32") if fed else g.const("k", [], "int32", [k])
    out = shape[:-1] + [k]
    v = g.tensor("values", out, dtype)
    i = g.tensor("indices", out, index_type)
    g.op("TOPK_V2", [x, kt], [v, i])
    g.output(v, i)
    return bytes(m.serialize())


def where_model(dtype, shape):
    m = fb.Model("tfl where test")
    g = m.graph()
    x = g.input("x", shape, dtype)
    y = g.tensor("y", [1, len(shape)], "int64")
    g.op("WHERE", [x], [y])
    g.output(y)
    return bytes(m.serialize())


def ints(rng, dtype, shape, lo=-3, hi=4):
    info = np.iinfo(dtype)
    return rng.integers(max(lo, info.min), min(hi, info.max) + 1, shape).astype(dtype)


@pytest.mark.parametrize("k_case", ["zero", "one", "some", "all"])
@pytest.mark.parametrize("dtype", ["float32", "uint8", "int8", "int16", "int32", "int64"])
def test_topk(dtype, k_case, tfl, litert, tmp_path):
    shape = [3, 2, 9]
    k = {"zero": 0, "one": 1, "some": 4, "all": 9}[k_case]
    rng = np.random.default_rng(k)
    x = (rng.integers(-3, 4, shape) * 0.5).astype(np.float32) if dtype == "float32" \
        else ints(rng, dtype, shape)  # few distinct values: many ties
    compare(tfl, litert, tmp_path, topk_model(dtype, shape, k), [x], f"topk_{dtype}_{k}")


def test_topk_fed_k(tfl, litert, tmp_path):
    x = np.random.default_rng(2).uniform(-1, 1, [4, 11]).astype(np.float32)
    compare(tfl, litert, tmp_path, topk_model("float32", [4, 11], 3, fed=True),
            [x, np.array(3, np.int32)], "topk_fed")


@pytest.mark.parametrize("case", ["some", "none", "all", "rank1", "rank4"])
@pytest.mark.parametrize("dtype", ["bool", "float32", "int32", "int64", "uint8", "int8"])
def test_where(dtype, case, tfl, litert, tmp_path):
    shape = {"rank1": [7], "rank4": [2, 3, 1, 4]}.get(case, [3, 5])
    rng = np.random.default_rng(len(shape))
    x = rng.random(shape) < 0.4
    if case == "none":
        x[:] = False
    if case == "all":
        x[:] = True
    x = x.astype(np.dtype(dtype) if dtype != "bool" else np.bool_)
    compare(tfl, litert, tmp_path, where_model(dtype, shape), [x], f"where_{dtype}_{case}")


@pytest.mark.parametrize("case", ["k_const", "k_fed", "index_type"])
def test_errors(case, tfl, tmp_path):
    path = tmp_path / f"{case}.tflite"
    args = []
    if case == "k_const":
        path.write_bytes(topk_model("float32", [5], 6))
        msg = "k 6 is outside [0, 5]"
    elif case == "k_fed":
        path.write_bytes(topk_model("float32", [5], 1, fed=True))
        np.save(tmp_path / "x.npy", np.zeros(5, np.float32))
        np.save(tmp_path / "k.npy", np.array(-1, np.int32))
        args = ["-i", tmp_path / "x.npy", "-i", tmp_path / "k.npy"]
        msg = "k -1 is outside"
    else:
        path.write_bytes(topk_model("float32", [5], 2, index_type="float32"))
        msg = "indices"
    p = tfl("run", path, *args)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
