"""SELECT and SELECT_V2 against LiteRT's reference kernels, byte for byte:
every value type (bool, float32 with NaN and signed zeros, uint8, int8,
int16, int32, int64); SELECT with a condition of x's shape, a scalar
condition and a condition over x's first dimension; SELECT_V2 with every
operand broadcast (scalars, rows, columns, up to 4-D, an empty dimension);
1 and 2 threads. Errors: a non-bool condition, x and y of different types,
SELECT with x and y of different shapes or a condition of another shape,
SELECT_V2 shapes that do not broadcast."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import outputs  # noqa: E402
from test_comparison import values  # noqa: E402

TYPES = ["bool", "float32", "uint8", "int8", "int16", "int32", "int64"]
CASES = {  # op, (condition, x, y) shapes
    "v1_same": ("SELECT", ([2, 3, 4], [2, 3, 4], [2, 3, 4])),
    "v1_scalar": ("SELECT", ([], [3, 5], [3, 5])),
    "v1_rows": ("SELECT", ([4], [4, 3, 2], [4, 3, 2])),
    "v2_same": ("SELECT_V2", ([5, 6], [5, 6], [5, 6])),
    "v2_cond_row": ("SELECT_V2", ([6], [2, 5, 6], [2, 5, 6])),
    "v2_all": ("SELECT_V2", ([2, 1, 3, 1], [1, 4, 1, 5], [4, 3, 1])),
    "v2_scalars": ("SELECT_V2", ([3, 1], [], [1, 4])),
    "v2_empty": ("SELECT_V2", ([2, 0, 3], [2, 1, 3], [3])),
}


def build(op, dtype, shapes, cond_dtype="bool", y_dtype=None, out_shape=None):
    m = fb.Model("tfl select test")
    g = m.graph()
    c = g.input("cond", shapes[0], cond_dtype)
    x = g.input("x", shapes[1], dtype)
    y = g.input("y", shapes[2], y_dtype or dtype)
    if out_shape is None:
        out_shape = list(np.broadcast_shapes(*[tuple(s) for s in shapes])) \
            if op == "SELECT_V2" else shapes[1]
    o = g.tensor("out", out_shape, dtype)
    g.op(op, [c, x, y], [o])
    g.output(o)
    return bytes(m.serialize())


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("dtype", TYPES)
def test_select_matches_litert(case, dtype, tfl, litert, tmp_path):
    op, shapes = CASES[case]
    rng = np.random.default_rng(list(f"{case}{dtype}".encode()))
    feeds = [values(rng, "bool", shapes[0]), values(rng, dtype, shapes[1]),
             values(rng, dtype, shapes[2])]
    name = f"{case}_{dtype}"
    want, got = outputs(tfl, litert, tmp_path, build(op, dtype, shapes), feeds, name)
    assert want is not None, "LiteRT refused a case it supports"
    for g in got:
        assert g.dtype == want.dtype and g.shape == want.shape, (g.shape, want.shape)
        assert np.array_equal(g.reshape(-1).view(np.uint8), want.reshape(-1).view(np.uint8))


@pytest.mark.parametrize("case", ["cond_float", "xy_types", "v1_xy_shapes", "v1_cond_shape",
                                  "v2_no_broadcast", "string"])
def test_select_errors(case, tfl, tmp_path):
    model, msg = {
        "cond_float": (build("SELECT_V2", "float32", ([3], [3], [3]), cond_dtype="float32"),
                       "condition"),
        "xy_types": (build("SELECT", "float32", ([3], [3], [3]), y_dtype="int32"), "differ"),
        "v1_xy_shapes": (build("SELECT", "int32", ([3], [3], [1])), "x and y shapes differ"),
        "v1_cond_shape": (build("SELECT", "int32", ([2], [3, 2], [3, 2])), "condition must"),
        "v2_no_broadcast": (build("SELECT_V2", "int32", ([3], [4], [1]), out_shape=[4]),
                            "do not broadcast"),
        "string": (None, "not supported"),
    }[case]
    if model is None:
        fb.DTYPES.setdefault("string", (5, "B"))
        model = build("SELECT_V2", "string", ([3], [3], [3]))
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
