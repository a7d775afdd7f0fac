"""BATCH_MATMUL against LiteRT's reference kernels, byte for byte: float32,
int8 (per-tensor, nonzero zero points) and int16; adj_x and adj_y; ranks 2
to 4 with broadcast batch dimensions; a constant rhs (weights); 1 and 2
threads. Errors: contraction sizes that differ, batch dimensions that do
not broadcast, mixed (hybrid) types."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402

Q = {"int8": (fb.q(0.05, 3), fb.q(0.04, -2), fb.q(0.5, 1)),
     "int16": (fb.q(0.01, 0), fb.q(0.02, 0), fb.q(0.2, 0))}


def build(dtype, la, lb, adj_x, adj_y, const_rhs=False, rhs_values=None, dtype_b=None):
    m = fb.Model("tfl batch matmul test")
    g = m.graph()
    qa, qb, qo = Q.get(dtype, (None, None, None))
    a = g.input("a", la, dtype, qa)
    if const_rhs:
        b = g.const("b", lb, dtype_b or dtype, rhs_values, qb)
    else:
        b = g.input("b", lb, dtype_b or dtype, qb)
    mm = la[-1] if adj_x else la[-2]
    nn = lb[-2] if adj_y else lb[-1]
    try:
        batch = list(np.broadcast_shapes(tuple(la[:-2]), tuple(lb[:-2])))
    except ValueError:  # an error case: any output shape
        batch = [max(x, y) for x, y in zip(la[:-2], lb[:-2])]
    y = g.tensor("y", batch + [mm, nn], dtype, qo)
    g.op("BATCH_MATMUL", [a, b], [y],
         fb.options("BatchMatMulOptions", adj_x=adj_x, adj_y=adj_y))
    g.output(y)
    return bytes(m.serialize())


def feed(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    if dtype == "float32":
        return rng.uniform(-1, 1, shape).astype(np.float32)
    lo, hi = (-128, 127) if dtype == "int8" else (-2000, 2000)
    return rng.integers(lo, hi + 1, shape).astype(dtype)


SHAPES = {  # lhs [.., M, K], rhs [.., K, N] before adjoints
    "2d": ([3, 5], [5, 4]),
    "batched": ([2, 3, 5], [2, 5, 4]),
    "broadcast": ([2, 1, 3, 5], [3, 5, 4]),
    "rhs_2d": ([2, 3, 3, 5], [5, 2]),
}


def adjoint(shape, adj):
    return shape[:-2] + [shape[-1], shape[-2]] if adj else shape


@pytest.mark.parametrize("adj", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("case", sorted(SHAPES))
@pytest.mark.parametrize("dtype", ["float32", "int8", "int16"])
def test_batch_matmul(dtype, case, adj, tfl, litert, tmp_path):
    la, lb = SHAPES[case]
    la, lb = adjoint(la, adj[0]), adjoint(lb, adj[1])
    feeds = [feed(dtype, la, 1), feed(dtype, lb, 2)]
    compare(tfl, litert, tmp_path, build(dtype, la, lb, *adj), feeds, f"bmm_{dtype}_{case}_{adj}")


@pytest.mark.parametrize("dtype", ["float32", "int8"])
def test_batch_matmul_const_rhs(dtype, tfl, litert, tmp_path):
    w = feed(dtype, [6, 3], 4)
    model = build(dtype, [2, 4, 6], [6, 3], False, False, const_rhs=True,
                  rhs_values=[v.item() for v in w.ravel()])
    compare(tfl, litert, tmp_path, model, [feed(dtype, [2, 4, 6], 5)], f"bmm_const_{dtype}")


@pytest.mark.parametrize("case", ["contraction", "batch", "hybrid"])
def test_errors(case, tfl, tmp_path):
    model, msg = {
        "contraction": (build("float32", [3, 5], [4, 2], False, False), "contracts 5"),
        "batch": (build("float32", [2, 3, 5], [3, 5, 4], False, False), "do not broadcast"),
        "hybrid": (build("float32", [3, 5], [5, 2], False, False, dtype_b="int8"), "hybrid"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
