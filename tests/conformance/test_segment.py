"""SEGMENT_SUM and UNSORTED_SEGMENT_SUM / _PROD / _MAX / _MIN against
LiteRT, byte for byte (its default resolver: the reference one has none of
them; with one thread they run TFLite's builtin kernels): float32 and int32 data of rank 1
to 3, repeated ids, unsorted ids with gaps for the unsorted ops (empty
segments hold the fold's start) and negative ids skipped, multi-dimensional ids for the unsorted ones, ids constant and
fed. Errors: SEGMENT_SUM ids that decrease, skip a value or do not start
at 0 (constant: at load; fed: at invoke), a negative num_segments."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402


@pytest.fixture(scope="module")
def litert():
    interp = pytest.importorskip("ai_edge_litert.interpreter")
    return lambda path: interp.Interpreter(model_path=str(path), num_threads=1)


def build(op, dtype, data_shape, ids, ids_shape, num=None, fed=False, out_rows=None):
    m = fb.Model("tfl segment test")
    g = m.graph()
    x = g.input("x", data_shape, dtype)
    i = g.input("ids", ids_shape, "int32") if fed else g.const("ids", ids_shape, "int32", ids)
    ins = [x, i]
    rows = out_rows if out_rows is not None else (num if num is not None else max(ids) + 1)
    if num is not None:
        ins.append(g.const("num", [], "int32", [num]))
    y = g.tensor("y", [rows] + data_shape[len(ids_shape):], dtype)
    g.op(op, ins, [y])
    g.output(y)
    return bytes(m.serialize())


def data(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    if dtype == "float32":
        return rng.uniform(-2, 2, shape).astype(np.float32)
    return rng.integers(-5, 6, shape).astype(np.int32)


SORTED = {"repeats": [0, 0, 1, 1, 1, 2], "one": [0, 0, 0, 0, 0, 0], "dense": [0, 1, 2, 3, 4, 5]}


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("case", sorted(SORTED))
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_segment_sum(dtype, case, rank, tfl, litert, tmp_path):
    ids = SORTED[case]
    shape = [6, 3, 2][:rank]
    compare(tfl, litert, tmp_path, build("SEGMENT_SUM", dtype, shape, ids, [6]),
            [data(dtype, shape, rank)], f"seg_{dtype}_{case}_{rank}")


UNSORTED = {"vector": ([3, 0, 3, 1, 0, 7], [6], 8), "matrix": ([1, 0, 2, 2, 0, 1], [2, 3], 4),
            "negative": ([1, -1, 2, 0, -3, 1], [6], 3)}


@pytest.mark.parametrize("case", sorted(UNSORTED))
@pytest.mark.parametrize("op", ["UNSORTED_SEGMENT_SUM", "UNSORTED_SEGMENT_PROD",
                                "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_MIN"])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_unsorted(dtype, op, case, tfl, litert, tmp_path):
    ids, ids_shape, num = UNSORTED[case]
    shape = ids_shape + [4]
    compare(tfl, litert, tmp_path, build(op, dtype, shape, ids, ids_shape, num),
            [data(dtype, shape, len(ids_shape))], f"{op}_{dtype}_{case}")


def test_segment_sum_fed_ids(tfl, litert, tmp_path):
    ids = np.array([0, 1, 1, 2], np.int32)
    compare(tfl, litert, tmp_path, build("SEGMENT_SUM", "float32", [4, 2], list(ids), [4],
                                         fed=True), [data("float32", [4, 2], 9), ids], "seg_fed")


@pytest.mark.parametrize("case", ["decreasing", "gap", "decreasing_fed", "negative_num",
                                  "id_too_big"])
def test_errors(case, tfl, tmp_path):
    path = tmp_path / f"{case}.tflite"
    args = []
    if case in ("decreasing", "gap"):
        ids = [1, 0, 2] if case == "decreasing" else [0, 2, 2]
        path.write_bytes(build("SEGMENT_SUM", "float32", [3], ids, [3]))
        msg = "must start at 0 and step by 0 or 1"
    elif case == "decreasing_fed":
        path.write_bytes(build("SEGMENT_SUM", "float32", [3], [0, 1, 2], [3], fed=True))
        np.save(tmp_path / "x.npy", np.zeros(3, np.float32))
        np.save(tmp_path / "i.npy", np.array([2, 1, 0], np.int32))
        args = ["-i", tmp_path / "x.npy", "-i", tmp_path / "i.npy"]
        msg = "must start at 0"
    elif case == "negative_num":
        path.write_bytes(build("UNSORTED_SEGMENT_SUM", "float32", [3], [0, 1, 0], [3], num=-2,
                               out_rows=1))
        msg = "num_segments -2 is negative"
    else:
        path.write_bytes(build("UNSORTED_SEGMENT_MAX", "float32", [3], [0, 5, 0], [3], num=2))
        msg = "is not below num_segments 2"
    p = tfl("run", path, *args)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
