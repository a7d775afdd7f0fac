"""UNIQUE against LiteRT's reference kernels, byte for byte: every value
type, int32 and int64 index outputs, all-equal, all-distinct and mixed
vectors, -0 and +0 (equal). Errors: a matrix input."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402


def build(dtype, n, idx_type="int32", rank=1):
    m = fb.Model("tfl unique test")
    g = m.graph()
    x = g.input("x", [n] if rank == 1 else [n, 2], dtype)
    y = g.tensor("y", [n], dtype)
    i = g.tensor("idx", [n], idx_type)
    g.op("UNIQUE", [x], [y, i], fb.options("UniqueOptions",
                                            idx_out_type=2 if idx_type == "int32" else 4))
    g.output(y, i)
    return bytes(m.serialize())


@pytest.mark.parametrize("case", ["mixed", "equal", "distinct"])
@pytest.mark.parametrize("idx_type", ["int32", "int64"])
@pytest.mark.parametrize("dtype", ["float32", "uint8", "int8", "int16", "int32", "int64"])
def test_unique(dtype, idx_type, case, tfl, litert, tmp_path):
    n = 12
    rng = np.random.default_rng(3)
    if case == "mixed":
        x = rng.integers(0, 5, n)
    elif case == "equal":
        x = np.full(n, 3)
    else:
        x = np.arange(n)
    x = x.astype(dtype)
    if dtype == "float32" and case == "mixed":
        x[[1, 7]] = [0.0, -0.0]
    compare(tfl, litert, tmp_path, build(dtype, n, idx_type), [x],
            f"unique_{dtype}_{idx_type}_{case}")


def test_unique_matrix_refused(tfl, tmp_path):
    path = tmp_path / "m.tflite"
    path.write_bytes(build("int32", 3, rank=2))
    p = tfl("run", path)
    assert p.returncode != 0 and "must be a vector" in p.stderr and "(node 0)" in p.stderr


def test_unique_work_is_capped(tfl, tmp_path):
    """UNIQUE compares each element with the uniques so far (n^2 / 2 at
    most): tfl_options.max_work refuses a model whose input would take
    longer, before it runs."""
    path = tmp_path / "big.tflite"
    path.write_bytes(build("int32", 4096))
    p = tfl("run", path, "--max-work", 1000000)
    assert p.returncode != 0 and "operations per invoke" in p.stderr, p.stderr
    assert tfl("run", path, "--max-work", 100000000).returncode == 0
