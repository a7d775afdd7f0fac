"""SLICE and REVERSE_V2 against LiteRT's reference kernels, byte for byte,
for every movable type (float32, uint8, int8, int16, int32, int64, bool):
SLICE with int32 and int64 begin/size, size -1 (to the end), an empty size,
the whole tensor, 1-D to 5-D, begin and size fed at run time; REVERSE_V2
over one axis, two neighbouring ones, a negative one; against NumPy, the
non-contiguous and repeated axes TFLite refuses. 1 and 2 threads.
Errors: a box outside the input (constant: at load; fed: at invoke), a
rank above 5, an axis out of range, a fed axis."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402
from test_comparison import values  # noqa: E402

TYPES = ["float32", "uint8", "int8", "int16", "int32", "int64", "bool"]
SLICES = {  # shape, begin, size, index type
    "rows": ([5, 4], [1, 0], [3, -1], "int32"),
    "int64_box": ([3, 4, 5], [0, 1, 2], [2, 2, 3], "int64"),
    "empty": ([4, 3], [2, 0], [0, 3], "int32"),
    "whole": ([2, 3], [0, 0], [-1, -1], "int32"),
    "one_d": ([9], [4], [5], "int32"),
    "five_d": ([2, 3, 2, 3, 2], [1, 0, 1, 1, 0], [1, 2, 1, -1, 2], "int32"),
}
REVERSES = {"last": ([3, 4], [1]), "first": ([3, 4, 2], [0]), "two": ([2, 3, 4], [1, 2]),
            "negative": ([3, 5], [-1]), "one_d": ([7], [0])}
# Axes TFLite refuses ("Non-contiguous axes not supported"): tfl reverses
# them as TensorFlow does; checked against NumPy.
REVERSES_TF = {"non_contiguous": ([2, 3, 4], [0, 2]), "repeated": ([3, 5], [1, -1])}


def build_slice(dtype, shape, begin, size, itype, fed=False, out_shape=None):
    m = fb.Model("tfl slice test")
    g = m.graph()
    x = g.input("x", shape, dtype)
    if fed:
        b = g.input("begin", [len(begin)], itype)
        s = g.input("size", [len(size)], itype)
    else:
        b = g.const("begin", [len(begin)], itype, begin)
        s = g.const("size", [len(size)], itype, size)
    if out_shape is None:
        out_shape = [d - bb if ss == -1 else ss for d, bb, ss in zip(shape, begin, size)]
    y = g.tensor("y", out_shape, dtype)
    g.op("SLICE", [x, b, s], [y])
    g.output(y)
    return bytes(m.serialize())


def build_reverse(dtype, shape, axes, fed=False):
    m = fb.Model("tfl reverse test")
    g = m.graph()
    x = g.input("x", shape, dtype)
    a = g.input("axis", [len(axes)], "int32") if fed else g.const("axis", [len(axes)], "int32",
                                                                  axes)
    y = g.tensor("y", shape, dtype)
    g.op("REVERSE_V2", [x, a], [y])
    g.output(y)
    return bytes(m.serialize())


@pytest.mark.parametrize("case", sorted(SLICES))
@pytest.mark.parametrize("dtype", TYPES)
def test_slice(case, dtype, tfl, litert, tmp_path):
    shape, begin, size, itype = SLICES[case]
    x = values(np.random.default_rng(list(f"{case}{dtype}".encode())), dtype, shape)
    compare(tfl, litert, tmp_path, build_slice(dtype, shape, begin, size, itype), [x],
            f"slice_{case}_{dtype}")


def test_slice_fed(tfl, litert, tmp_path):
    shape, begin, size = [4, 6], [1, 2], [2, 3]
    x = values(np.random.default_rng(3), "float32", shape)
    compare(tfl, litert, tmp_path, build_slice("float32", shape, begin, size, "int32", fed=True),
            [x, np.array(begin, np.int32), np.array(size, np.int32)], "slice_fed")


@pytest.mark.parametrize("case", sorted(REVERSES))
@pytest.mark.parametrize("dtype", TYPES)
def test_reverse(case, dtype, tfl, litert, tmp_path):
    shape, axes = REVERSES[case]
    x = values(np.random.default_rng(list(f"{case}{dtype}".encode())), dtype, shape)
    compare(tfl, litert, tmp_path, build_reverse(dtype, shape, axes), [x], f"rev_{case}_{dtype}")


@pytest.mark.parametrize("case", sorted(REVERSES_TF))
def test_reverse_beyond_tflite(case, tfl, tmp_path):
    shape, axes = REVERSES_TF[case]
    x = values(np.random.default_rng(list(case.encode())), "int32", shape)
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build_reverse("int32", shape, axes))
    np.save(tmp_path / "x.npy", x)
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    want = np.flip(x, axis=tuple(sorted({a % len(shape) for a in axes})))
    assert np.array_equal(np.load(tmp_path / "out" / "output_0.npy"), want)


def test_slice_fed_out_of_range(tfl, tmp_path):
    path = tmp_path / "m.tflite"
    path.write_bytes(build_slice("float32", [4], [0], [2], "int32", fed=True))
    for name, v in (("x", np.zeros(4, np.float32)), ("b", np.array([3], np.int32)),
                    ("s", np.array([2], np.int32))):
        np.save(tmp_path / f"{name}.npy", v)
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-i", tmp_path / "b.npy", "-i",
            tmp_path / "s.npy")
    assert p.returncode != 0 and "do not fit dimension 0" in p.stderr, p.stderr


@pytest.mark.parametrize("case", ["box", "negative_begin", "rank6", "axis_range", "fed_axis"])
def test_errors(case, tfl, tmp_path):
    model, msg = {
        "box": (build_slice("float32", [4, 3], [2, 0], [3, 3], "int32", out_shape=[3, 3]),
                "do not fit dimension 0"),
        "negative_begin": (build_slice("int32", [4], [-1], [2], "int32", out_shape=[2]),
                           "do not fit"),
        "rank6": (build_slice("float32", [1] * 6, [0] * 6, [1] * 6, "int32"), "at most 5"),
        "axis_range": (build_reverse("float32", [3, 2], [2]), "axis"),
        "fed_axis": (build_reverse("float32", [3, 2], [0], fed=True), "constant"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
