"""SCATTER_ND, BROADCAST_ARGS and LOCAL_RESPONSE_NORMALIZATION against
LiteRT's reference kernels: SCATTER_ND byte for byte over float32, uint8,
int8, int32, int64 with element and slice updates and duplicate indices
(which sum), shape constant and fed; BROADCAST_ARGS over int32 and int64
shapes of different lengths; LOCAL_RESPONSE_NORMALIZATION within 2 ulp
(libm powf against C++'s std::pow). Errors: an index outside the shape (at
invoke), shapes that do not broadcast, updates of the wrong shape."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402


def scatter_model(dtype, idx_shape, upd_shape, shape, fed_shape=False):
    m = fb.Model("tfl scatter test")
    g = m.graph()
    i = g.input("idx", idx_shape, "int32")
    u = g.input("upd", upd_shape, dtype)
    s = g.input("shape", [len(shape)], "int32") if fed_shape else \
        g.const("shape", [len(shape)], "int32", shape)
    y = g.tensor("y", shape, dtype)
    g.op("SCATTER_ND", [i, u, s], [y])
    g.output(y)
    return bytes(m.serialize())


SCATTER = {  # indices, updates shape, output shape
    "elements": ([[0, 1], [2, 3], [0, 1]], [3], [3, 4]),  # a duplicate: sums
    "rows": ([[1], [0]], [2, 5], [3, 5]),
    "slices3d": ([[1, 0], [0, 2]], [2, 4], [2, 3, 4]),
}


@pytest.mark.parametrize("case", sorted(SCATTER))
@pytest.mark.parametrize("dtype", ["float32", "uint8", "int8", "int32", "int64"])
def test_scatter_nd(dtype, case, tfl, litert, tmp_path):
    idx, ushape, shape = SCATTER[case]
    idx = np.array(idx, np.int32)
    rng = np.random.default_rng(len(shape))
    upd = (rng.uniform(-2, 2, ushape).astype(np.float32) if dtype == "float32"
           else rng.integers(0 if dtype == "uint8" else -5, 6, ushape).astype(dtype))
    compare(tfl, litert, tmp_path, scatter_model(dtype, list(idx.shape), ushape, shape),
            [idx, upd], f"scatter_{dtype}_{case}")


def test_scatter_nd_fed_shape(tfl, litert, tmp_path):
    idx = np.array([[2], [0]], np.int32)
    upd = np.arange(6, dtype=np.float32).reshape(2, 3)
    compare(tfl, litert, tmp_path, scatter_model("float32", [2, 1], [2, 3], [4, 3], True),
            [idx, upd, np.array([4, 3], np.int32)], "scatter_fed")


@pytest.mark.parametrize("dtype", ["int32", "int64"])
@pytest.mark.parametrize("shapes", [([2, 1, 3], [4, 1]), ([5], [3, 1, 5]), ([1], [1])])
def test_broadcast_args(dtype, shapes, tfl, litert, tmp_path):
    a, b = shapes
    m = fb.Model("tfl broadcast args test")
    g = m.graph()
    x = g.input("a", [len(a)], dtype)
    y = g.input("b", [len(b)], dtype)
    o = g.tensor("o", [max(len(a), len(b))], dtype)
    g.op("BROADCAST_ARGS", [x, y], [o])
    g.output(o)
    compare(tfl, litert, tmp_path, bytes(m.serialize()),
            [np.array(a, dtype), np.array(b, dtype)], f"bargs_{dtype}_{len(a)}{len(b)}")


@pytest.mark.parametrize("opts", [(2, 1.0, 0.1, 0.75), (0, 2.0, 1e-3, 0.5), (5, 0.5, 1.0, 1.0)])
def test_lrn(opts, tfl, litert, tmp_path):
    radius, bias, alpha, beta = opts
    shape = [1, 3, 4, 9]
    m = fb.Model("tfl lrn test")
    g = m.graph()
    x = g.input("x", shape, "float32")
    y = g.tensor("y", shape, "float32")
    g.op("LOCAL_RESPONSE_NORMALIZATION", [x], [y],
         fb.options("LocalResponseNormalizationOptions", radius=radius, bias=bias, alpha=alpha,
                    beta=beta))
    g.output(y)
    xv = np.random.default_rng(radius).uniform(-3, 3, shape).astype(np.float32)
    compare(tfl, litert, tmp_path, bytes(m.serialize()), [xv], f"lrn_{radius}", ulps=2)


@pytest.mark.parametrize("case", ["index", "bargs", "updates", "lrn_int8"])
def test_errors(case, tfl, tmp_path):
    path = tmp_path / f"{case}.tflite"
    if case == "index":
        path.write_bytes(scatter_model("float32", [1, 1], [1], [3]))
        np.save(tmp_path / "i.npy", np.array([[3]], np.int32))
        np.save(tmp_path / "u.npy", np.array([1.0], np.float32))
        args, msg = ["-i", tmp_path / "i.npy", "-i", tmp_path / "u.npy"], "outside [0, 3)"
    elif case == "bargs":
        m = fb.Model("t")
        g = m.graph()
        x = g.const("a", [1], "int32", [3])
        y = g.const("b", [1], "int32", [4])
        o = g.tensor("o", [1], "int32")
        g.op("BROADCAST_ARGS", [x, y], [o])
        g.output(o)
        path.write_bytes(bytes(m.serialize()))
        args, msg = [], "do not broadcast"
    elif case == "updates":
        path.write_bytes(scatter_model("float32", [2, 1], [2, 4], [3, 5]))
        args, msg = [], "updates dimension 1 is 4"
    else:
        m = fb.Model("t")
        g = m.graph()
        x = g.input("x", [1, 1, 1, 3], "int8")
        y = g.tensor("y", [1, 1, 1, 3], "int8")
        g.op("LOCAL_RESPONSE_NORMALIZATION", [x], [y],
             fb.options("LocalResponseNormalizationOptions", radius=1, bias=1.0, alpha=1.0,
                        beta=0.5))
        g.output(y)
        path.write_bytes(bytes(m.serialize()))
        args = []
        msg = "type int8 not supported (float32; quantized LOCAL_RESPONSE_NORMALIZATION not yet)"
    p = tfl("run", path, *args)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
