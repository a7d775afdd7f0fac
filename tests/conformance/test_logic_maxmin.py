"""MAXIMUM, MINIMUM, LOGICAL_AND, LOGICAL_OR and LOGICAL_NOT against
LiteRT's reference kernels, byte for byte: MAXIMUM / MINIMUM over float32
(NaN on either side, signed zeros, infinities), uint8, int8, int16, int32
and int64 (extremes), the logical ops over bool; same shapes and
broadcasting, 1 and 2 threads. A type LiteRT's reference resolver leaves
out is checked against TFLite's formula in NumPy. Errors: mixed input
types, a non-bool logical input."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import outputs  # noqa: E402
from test_comparison import SHAPES, values  # noqa: E402


def build(op, dtype, shapes, out_dtype=None, dtype2=None):
    m = fb.Model("tfl logic / max-min test")
    g = m.graph()
    a = g.input("a", shapes[0], dtype)
    ins = [a]
    if len(shapes) > 1:
        ins.append(g.input("b", shapes[1], dtype2 or dtype))
    out_shape = list(np.broadcast_shapes(*[tuple(s) for s in shapes]))
    y = g.tensor("out", out_shape, out_dtype or dtype)
    g.op(op, ins, [y])
    g.output(y)
    return bytes(m.serialize())


def tflite_formula(op, a, b=None):
    if op == "MAXIMUM":
        return np.where(a > b, a, b)
    if op == "MINIMUM":
        return np.where(a < b, a, b)
    if op == "LOGICAL_AND":
        return np.logical_and(a, b)
    if op == "LOGICAL_OR":
        return np.logical_or(a, b)
    return np.logical_not(a)


def check(op, dtype, shapes, tfl, litert, tmp_path, name):
    rng = np.random.default_rng(list(name.encode()))
    feeds = [values(rng, dtype, s) for s in shapes]
    if len(feeds) == 2 and dtype == "float32":
        feeds[1].flat[::4] = -feeds[0].flat[::4] if feeds[0].size == feeds[1].size else 0
    want, got = outputs(tfl, litert, tmp_path, build(op, dtype, shapes), feeds, name)
    ref = tflite_formula(op, *feeds)
    if want is None:
        want = ref
    else:  # TFLite's formula, as a check of the oracle too
        assert np.array_equal(want.view(np.uint8), np.asarray(ref, want.dtype).view(np.uint8))
    for g in got:
        assert g.dtype == want.dtype and g.shape == want.shape
        # Bytes, so that NaN and the sign of zero count.
        assert np.array_equal(g.view(np.uint8), want.view(np.uint8)), \
            f"{int((g.view(np.uint8) != want.view(np.uint8)).sum())} bytes differ"


@pytest.mark.parametrize("shape_case", sorted(SHAPES))
@pytest.mark.parametrize("dtype", ["float32", "uint8", "int8", "int16", "int32", "int64"])
@pytest.mark.parametrize("op", ["MAXIMUM", "MINIMUM"])
def test_maximum_minimum(op, dtype, shape_case, tfl, litert, tmp_path):
    check(op, dtype, SHAPES[shape_case], tfl, litert, tmp_path, f"{op}_{dtype}_{shape_case}")


@pytest.mark.parametrize("shape_case", sorted(SHAPES))
@pytest.mark.parametrize("op", ["LOGICAL_AND", "LOGICAL_OR", "LOGICAL_NOT"])
def test_logical(op, shape_case, tfl, litert, tmp_path):
    shapes = SHAPES[shape_case][:1] if op == "LOGICAL_NOT" else SHAPES[shape_case]
    check(op, "bool", shapes, tfl, litert, tmp_path, f"{op}_{shape_case}")


@pytest.mark.parametrize("case", ["maximum_mixed", "and_float", "not_int", "not_float_out"])
def test_errors(case, tfl, tmp_path):
    model, msg = {
        "maximum_mixed": (build("MAXIMUM", "float32", ([3], [3]), dtype2="int32"), "type"),
        "and_float": (build("LOGICAL_AND", "float32", ([3], [3])), "float32 not supported"),
        "not_int": (build("LOGICAL_NOT", "int32", ([3],), out_dtype="bool"), "input"),
        "not_float_out": (build("LOGICAL_NOT", "bool", ([3],), out_dtype="float32"), "output"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
