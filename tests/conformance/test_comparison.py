"""EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL against LiteRT's
reference kernels, byte for byte: every input type tfl takes (float32 with
NaN, infinities and signed zeros; int16, int32, int64 with their extremes;
bool; uint8 and int8 with equal scales, different scales and zero points,
and tiny scales), same shapes and broadcasting (scalar, a row, both
sides, up to 4-D), 1 and 2 threads. A combination TFLite's kernels leave
out (int16 NOT_EQUAL, GREATER, LESS_EQUAL) or LiteRT refuses is checked
against NumPy instead. Also: the errors
for a non-bool output, mismatched input types, a string input, and
uint8 / int8 inputs without quantization or with a scale of 1 or more (on
which LiteRT aborts the process)."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402  (the FlatBuffers writer)
from oracle import outputs  # noqa: E402

OPS = {
    "EQUAL": np.equal, "NOT_EQUAL": np.not_equal, "LESS": np.less,
    "LESS_EQUAL": np.less_equal, "GREATER": np.greater, "GREATER_EQUAL": np.greater_equal,
}
TYPES = ["float32", "int16", "int32", "int64", "bool", "uint8", "int8"]
NP = {"float32": np.float32, "int16": np.int16, "int32": np.int32, "int64": np.int64,
      "bool": np.bool_, "uint8": np.uint8, "int8": np.int8}
# What TFLite's comparison kernels leave out: LiteRT's invoke then returns
# without filling the output (no error), so these are checked against NumPy.
NOT_IN_TFLITE = {("NOT_EQUAL", "int16"), ("GREATER", "int16"), ("LESS_EQUAL", "int16")}
SHAPES = {  # (shape of input 1, shape of input 2)
    "same": ([2, 3, 5], [2, 3, 5]),
    "scalar": ([4, 7], []),
    "row": ([3, 1, 6], [6]),
    "both": ([2, 1, 4, 1], [1, 3, 1, 5]),
}
# Quantization of (input 1, input 2) for uint8 / int8.
QUANT = {
    "equal_scales": ((0.05, 3), (0.05, 3)),
    "different": ((0.02, -7), (0.07, 10)),
    "small_scales": ((1e-5, 0), (3e-4, -1)),
}


def build(op, dtype, shapes, quant=None, out_dtype="bool", dtype2=None):
    m = fb.Model("tfl comparison test")
    g = m.graph()
    q1 = q2 = None
    if quant:
        q1 = fb.q(*quant[0]) if quant[0] else None
        q2 = fb.q(*quant[1]) if quant[1] else None
        if dtype == "uint8":
            q1 = fb.q(quant[0][0], quant[0][1] + 128) if quant[0] else None
            q2 = fb.q(quant[1][0], quant[1][1] + 128) if quant[1] else None
    a = g.input("a", shapes[0], dtype, q1)
    b = g.input("b", shapes[1], dtype2 or dtype, q2)
    out_shape = list(np.broadcast_shapes(tuple(shapes[0]), tuple(shapes[1])))
    y = g.tensor("out", out_shape, out_dtype)
    g.op(op, [a, b], [y])
    g.output(y)
    return bytes(m.serialize())


def values(rng, dtype, shape, other=None):
    n = int(np.prod(shape)) if shape else 1
    if dtype == "float32":
        edge = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5], np.float32)
        v = rng.integers(-4, 5, n).astype(np.float32) * 0.5
        pick = rng.random(n) < 0.3
        v[pick] = rng.choice(edge, int(pick.sum()))
    elif dtype == "bool":
        v = rng.random(n) < 0.5
    else:
        info = np.iinfo(NP[dtype])
        v = rng.integers(-3, 4, n) if dtype not in ("uint8",) else rng.integers(0, 8, n)
        v = v.astype(NP[dtype])
        pick = rng.random(n) < 0.2
        v[pick] = rng.choice(np.array([info.min, info.max, 0], NP[dtype]), int(pick.sum()))
        if dtype in ("uint8", "int8"):
            v = rng.integers(info.min, info.max + 1, n).astype(NP[dtype])
    return v.reshape(shape)


@pytest.mark.parametrize("shape_case", sorted(SHAPES))
@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("op", sorted(OPS))
def test_comparison_matches_litert(op, dtype, shape_case, tfl, litert, tmp_path):
    if dtype == "bool" and op not in ("EQUAL", "NOT_EQUAL"):
        pytest.skip("ordering of bool is not a TFLite comparison")
    quants = QUANT if dtype in ("uint8", "int8") else {"-": None}
    shapes = SHAPES[shape_case]
    for qname, quant in quants.items():
        rng = np.random.default_rng(list(f"{op}{dtype}{shape_case}{qname}".encode()))
        feeds = [values(rng, dtype, shapes[0]), values(rng, dtype, shapes[1])]
        if dtype not in ("bool",) and shape_case == "same":
            feeds[1].flat[::3] = feeds[0].flat[::3]  # some equal pairs
        model = build(op, dtype, shapes, quant)
        want, got = outputs(tfl, litert, tmp_path, model, feeds, f"{op}_{dtype}_{qname}")
        if (op, dtype) in NOT_IN_TFLITE:
            want = OPS[op](feeds[0], feeds[1])
        for g in got:
            assert g.dtype == np.bool_ and g.shape == want.shape, (g.dtype, g.shape, want.shape)
            assert np.array_equal(g, want), f"{qname}: {int((g != want).sum())} differ"


@pytest.mark.parametrize("case", ["int_output", "mixed_inputs", "scale_one", "unquantized",
                                  "string_input"])
def test_comparison_errors(case, tfl, tmp_path):
    path = tmp_path / f"{case}.tflite"
    if case == "int_output":
        model = build("LESS", "float32", ([3], [3]), out_dtype="int32")
        msg = "output"
    elif case == "mixed_inputs":
        model = build("EQUAL", "float32", ([3], [3]), dtype2="int32")
        msg = "type"
    elif case == "scale_one":
        model = build("GREATER", "int8", ([3], [3]), quant=((1.5, 0), (0.1, 0)))
        msg = "scale 1.5 not supported"
    elif case == "unquantized":
        model = build("EQUAL", "uint8", ([3], [3]), quant=((0.1, 0), None))
        msg = "input 2 (uint8) has no quantization"
    else:
        fb.DTYPES.setdefault("string", (5, "B"))
        model = build("EQUAL", "string", ([3], [3]))
        msg = "not supported"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
