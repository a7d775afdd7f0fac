"""SQUARED_DIFFERENCE (float32, int32, int8), ATAN2, POW, SIGN, FILL, ZEROS_LIKE and RANGE against
LiteRT's reference kernels, byte for byte where the result is exact
(integers, FILL, ZEROS_LIKE, RANGE, SIGN, float SQUARED_DIFFERENCE) and
within 1 ulp for the libm ones (ATAN2, float POW: tfl calls the C library's
atan2f / powf, LiteRT its C++ std:: versions); broadcasting (for ATAN2,
which TFLite takes in one shape only, against NumPy), NaN and
infinities, int32 wrap-around; FILL and RANGE with constant and fed
inputs. Errors: a negative int32 POW exponent (at invoke), FILL with a
non-scalar value or a negative dimension, RANGE with a zero delta or one
pointing away from limit."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402
from test_comparison import SHAPES, values  # noqa: E402


def model_of(op, ins, out, consts=()):
    """ins: [(name, shape, dtype)], out: (shape, dtype); consts: {name: values}."""
    consts = dict(consts)
    m = fb.Model("tfl math / fill test")
    g = m.graph()
    idx = []
    for name, shape, dtype in ins:
        if name in consts:
            idx.append(g.const(name, shape, dtype, consts[name]))
        else:
            idx.append(g.input(name, shape, dtype))
    y = g.tensor("y", out[0], out[1])
    g.op(op, idx, [y])
    g.output(y)
    return bytes(m.serialize())


BINARY = {"SQUARED_DIFFERENCE": ["float32", "int32"], "ATAN2": ["float32"],
          "POW": ["float32", "int32"]}


@pytest.mark.parametrize("shape_case", sorted(SHAPES))
@pytest.mark.parametrize("op_dtype", [(o, t) for o in BINARY for t in BINARY[o]],
                         ids=lambda v: f"{v[0]}-{v[1]}")
def test_binary_math(op_dtype, shape_case, tfl, litert, tmp_path):
    op, dtype = op_dtype
    sa, sb = SHAPES[shape_case]
    rng = np.random.default_rng(list(f"{op}{dtype}{shape_case}".encode()))
    a, b = values(rng, dtype, sa), values(rng, dtype, sb)
    if op == "POW" and dtype == "int32":
        a = rng.integers(-6, 7, a.shape).astype(np.int32)
        b = rng.integers(0, 12, b.shape).astype(np.int32)
    if op == "POW" and dtype == "float32":
        a = np.abs(a).astype(np.float32)  # negative bases with fractional exponents: NaN
    out_shape = list(np.broadcast_shapes(tuple(sa), tuple(sb)))
    model = model_of(op, [("a", sa, dtype), ("b", sb, dtype)], (out_shape, dtype))
    exact = dtype == "int32" or op == "SQUARED_DIFFERENCE"
    # TFLite's ATAN2 takes one shape only; tfl broadcasts as the other
    # binary ops do, checked against NumPy's arctan2 within 1 ulp.
    want = np.arctan2(a, b).astype(np.float32) if op == "ATAN2" and shape_case != "same" else None
    compare(tfl, litert, tmp_path, model, [a, b], f"{op}_{dtype}_{shape_case}", 0 if exact else 1,
            want)


SQDIFF_QUANT = {"same_scales": ((0.05, 3), (0.05, 3), (0.2, -100)),
                "wider_b": ((0.02, -20), (0.07, 11), (0.5, -128)),
                "fine_output": ((0.04, 0), (0.03, -5), (0.01, 0))}


@pytest.mark.parametrize("quant", sorted(SQDIFF_QUANT))
@pytest.mark.parametrize("shape_case", sorted(SHAPES))
def test_squared_difference_int8(shape_case, quant, tfl, litert, tmp_path):
    """int8 SQUARED_DIFFERENCE: TFLite's rescale to twice the larger input
    scale, the int32 square and the output rescale, byte for byte."""
    sa, sb = SHAPES[shape_case]
    (s1, z1), (s2, z2), (so, zo) = SQDIFF_QUANT[quant]
    rng = np.random.default_rng(list(f"{shape_case}{quant}".encode()))
    a = rng.integers(-128, 128, sa).astype(np.int8)
    b = rng.integers(-128, 128, sb).astype(np.int8)
    out_shape = list(np.broadcast_shapes(tuple(sa), tuple(sb)))
    m = fb.Model("tfl int8 squared difference test")
    g = m.graph()
    ia, ib = g.input("a", sa, "int8", quant=fb.q(s1, z1)), g.input("b", sb, "int8", quant=fb.q(s2, z2))
    y = g.tensor("y", out_shape, "int8", quant=fb.q(so, zo))
    g.op("SQUARED_DIFFERENCE", [ia, ib], [y], version=2)
    g.output(y)
    compare(tfl, litert, tmp_path, bytes(m.serialize()), [a, b], f"sqdiff_{shape_case}_{quant}")


@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_sign(dtype, tfl, litert, tmp_path):
    x = values(np.random.default_rng(5), dtype, [4, 9])
    compare(tfl, litert, tmp_path, model_of("SIGN", [("x", [4, 9], dtype)], ([4, 9], dtype)), [x],
            f"sign_{dtype}")


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "int8", "int16", "bool"])
@pytest.mark.parametrize("fed", [False, True])
def test_fill(dtype, fed, tfl, litert, tmp_path):
    dims = [2, 3, 4]
    value = values(np.random.default_rng(7), dtype, [])
    consts = {} if fed else {"dims": dims}
    model = model_of("FILL", [("dims", [3], "int32"), ("value", [], dtype)], (dims, dtype), consts)
    feeds = ([np.array(dims, np.int32)] if fed else []) + [np.asarray(value)]
    compare(tfl, litert, tmp_path, model, feeds, f"fill_{dtype}_{fed}")


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64"])
def test_zeros_like(dtype, tfl, litert, tmp_path):
    x = values(np.random.default_rng(9), dtype, [3, 5])
    compare(tfl, litert, tmp_path, model_of("ZEROS_LIKE", [("x", [3, 5], dtype)], ([3, 5], dtype)),
            [x], f"zeros_{dtype}")


RANGES = {"int32_up": ("int32", 2, 17, 3), "int32_down": ("int32", 10, -7, -4),
          "int64": ("int64", -5, 5, 1), "float_up": ("float32", 0.5, 3.3, 0.3),
          "float_down": ("float32", 1.0, -1.0, -0.1), "empty": ("int32", 4, 4, 1)}


@pytest.mark.parametrize("fed", [False, True])
@pytest.mark.parametrize("case", sorted(RANGES))
def test_range(case, fed, tfl, litert, tmp_path):
    dtype, start, limit, delta = RANGES[case]
    n = int(np.ceil(abs((limit - start) / delta)))
    consts = {} if fed else {"start": [start], "limit": [limit], "delta": [delta]}
    model = model_of("RANGE", [("start", [], dtype), ("limit", [], dtype), ("delta", [], dtype)],
                     ([n], dtype), consts)
    feeds = [np.asarray(v, np.dtype(dtype)) for v in (start, limit, delta)] if fed else []
    # LiteRT cannot hand out an empty output ("Invalid tensor size").
    want = np.zeros(0, np.dtype(dtype)) if n == 0 else None
    compare(tfl, litert, tmp_path, model, feeds, f"range_{case}_{fed}", want=want)


@pytest.mark.parametrize("case", ["pow_negative", "fill_vector_value", "fill_negative_dim",
                                  "range_zero_delta", "range_wrong_way"])
def test_errors(case, tfl, tmp_path):
    path = tmp_path / f"{case}.tflite"
    feeds = []
    if case == "pow_negative":
        model = model_of("POW", [("a", [3], "int32"), ("b", [3], "int32")], ([3], "int32"),
                         {"b": [1, -2, 3]})
        msg = "negative exponents"
    elif case == "fill_vector_value":
        model = model_of("FILL", [("dims", [1], "int32"), ("value", [2], "float32")],
                         ([3], "float32"), {"dims": [3], "value": [1.0, 2.0]})
        msg = "scalar"
    elif case == "fill_negative_dim":
        model = model_of("FILL", [("dims", [1], "int32"), ("value", [], "float32")],
                         ([3], "float32"), {"dims": [-3], "value": [1.0]})
        msg = "dimension 0 is -3"
    elif case == "range_zero_delta":
        model = model_of("RANGE", [("s", [], "int32"), ("l", [], "int32"), ("d", [], "int32")],
                         ([3], "int32"), {"s": [0], "l": [3], "d": [0]})
        msg = "delta must be nonzero"
    else:
        model = model_of("RANGE", [("s", [], "float32"), ("l", [], "float32"),
                                   ("d", [], "float32")],
                         ([3], "float32"), {"s": [0.0], "l": [3.0], "d": [-1.0]})
        msg = "point towards"
    path.write_bytes(model)
    p = tfl("run", path, *feeds)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
