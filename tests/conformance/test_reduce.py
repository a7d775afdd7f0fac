"""REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, REDUCE_ANY and REDUCE_ALL against
LiteRT's reference kernels, byte for byte: every type each takes (quantized
int8 and int16 REDUCE_PROD rescaled step by step as TFLite does; float32
with NaN, infinities and signed zeros; the integer types with their
extremes; bool), axes inner, outer, several, negative, repeated and all,
keep_dims on and off, an empty reduced dimension (the neutral element comes
out) and a non-constant axis tensor; 1 and 2 threads. Errors: a type a
reduction does not take, an axis out of range."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402
from test_comparison import values  # noqa: E402

TYPES = {
    "REDUCE_MAX": ["float32", "uint8", "int8", "int16", "int32", "int64"],
    "REDUCE_MIN": ["float32", "uint8", "int8", "int16", "int32", "int64"],
    "REDUCE_PROD": ["float32", "int32", "int64", "int8", "int16"],
    "REDUCE_ANY": ["bool"],
    "REDUCE_ALL": ["bool"],
}
AXES = {  # input shape, axes
    "inner": ([2, 3, 4], [2]),
    "outer": ([3, 4, 5], [0]),
    "two": ([2, 3, 4, 5], [1, 3]),
    "negative_repeated": ([4, 6], [-1, 1]),
    "all": ([3, 2, 2], [0, 1, 2]),
    "empty": ([2, 0, 3], [1]),
}


def build(op, dtype, shape, axes, keep_dims, const_axis=True):
    m = fb.Model("tfl reduce test")
    g = m.graph()
    q = fb.q(0.1, 2 if dtype == "uint8" else 0) if dtype in ("uint8", "int8", "int16") else None
    x = g.input("x", shape, dtype, q)
    if const_axis:
        axis = g.const("axis", [len(axes)], "int32", axes)
    else:
        axis = g.input("axis", [len(axes)], "int32")
    red = {a % len(shape) for a in axes}
    out_shape = [1 if i in red else d for i, d in enumerate(shape) if keep_dims or i not in red]
    y = g.tensor("y", out_shape, dtype, q)
    g.op(op, [x, axis], [y], fb.options("ReducerOptions", keep_dims=keep_dims))
    g.output(y)
    return bytes(m.serialize())


@pytest.mark.parametrize("keep_dims", [False, True])
@pytest.mark.parametrize("axes_case", sorted(AXES))
@pytest.mark.parametrize("op_dtype", [(op, t) for op in TYPES for t in TYPES[op]],
                         ids=lambda v: f"{v[0]}-{v[1]}")
def test_reduce_matches_litert(op_dtype, axes_case, keep_dims, tfl, litert, tmp_path):
    op, dtype = op_dtype
    shape, axes = AXES[axes_case]
    if op == "REDUCE_PROD" and dtype in ("int8", "int16") and axes_case == "empty":
        pytest.skip("LiteRT leaves a quantized product of no elements unwritten; "
                    "see test_quantized_empty_product")
    rng = np.random.default_rng(list(f"{op}{dtype}{axes_case}{keep_dims}".encode()))
    x = values(rng, dtype, shape)
    compare(tfl, litert, tmp_path, build(op, dtype, shape, axes, keep_dims), [x],
            f"{op}_{dtype}_{axes_case}_{keep_dims}")


@pytest.mark.parametrize("dtype", ["int8", "int16"])
def test_quantized_empty_product(dtype, tfl, tmp_path):
    """A quantized product of no elements is 1.0 in tfl (the float product's
    neutral element, here round(1 / 0.1) = 10), where LiteRT leaves the
    output unwritten."""
    path = tmp_path / "empty.tflite"
    path.write_bytes(build("REDUCE_PROD", dtype, [2, 0, 3], [1], False))
    np.save(tmp_path / "x.npy", np.zeros([2, 0, 3], dtype))
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", tmp_path / "o")
    assert p.returncode == 0, p.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "o" / "output_0.npy"),
                                  np.full([2, 3], 10, dtype))


@pytest.mark.parametrize("op", sorted(TYPES))
def test_reduce_fed_axis(op, tfl, litert, tmp_path):
    dtype = TYPES[op][0]
    shape, axes = [3, 4, 2], [1]
    rng = np.random.default_rng(list(op.encode()))
    x = values(rng, dtype, shape)
    compare(tfl, litert, tmp_path, build(op, dtype, shape, axes, False, const_axis=False),
            [x, np.array(axes, np.int32)], f"{op}_fed")


@pytest.mark.parametrize("case", ["max_bool", "any_float", "prod_uint8_quantized", "axis_range"])
def test_reduce_errors(case, tfl, tmp_path):
    model, msg = {
        "max_bool": (build("REDUCE_MAX", "bool", [3], [0], False), "bool not supported"),
        "any_float": (build("REDUCE_ANY", "float32", [3], [0], False), "expected bool"),
        "prod_uint8_quantized": (build("REDUCE_PROD", "uint8", [3], [0], False),
                                 "quantized uint8 REDUCE_PROD is not supported"),
        "axis_range": (build("REDUCE_MIN", "float32", [3, 2], [2], False), "out of range"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
