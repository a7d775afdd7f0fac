"""Sparse constants (TFLite's SparsityParameters) and DENSIFY.

tfl densifies every sparse constant when it loads the model, so DENSIFY
copies and any op may read a sparse weight. Checked against LiteRT's
reference kernels: DENSIFY of float32, float16 and int8 constants in
random-sparse (CSR), block-sparse (1x4, 4x1, 2x2) and 3-D layouts with
permuted traversal orders and uint8, uint16 and int32 index vectors, byte
for byte; FULLY_CONNECTED reading a sparse float32 weight directly (as
TensorFlow's converter writes with EXPERIMENTAL_SPARSITY) against the same
model with the dense weight. Errors: DENSIFY of a dense constant, of an
input, of int32; hostile sparsity parameters (indices outside the
dimension, segments out of order or past the indices, a traversal order
that is not a permutation, blocks that do not divide their dimension,
fewer values than the structure needs, missing metadata) fail at load with
a message, never a crash."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare, litert_outputs, tfl_outputs, write_model  # noqa: E402


def sparse_array(shape, dtype, density, seed, block=None):
    """A random array with about `density` of its entries (or blocks) nonzero."""
    rng = np.random.default_rng(seed)
    if dtype == "int8":
        a = rng.integers(-127, 128, shape).astype(np.int8)
        a[a == 0] = 1
    else:
        a = rng.uniform(-1, 1, shape).astype(dtype)
    keep = rng.uniform(0, 1, shape) < density
    if block:  # zero whole blocks: the mask is constant within each
        coarse = rng.uniform(0, 1, [s // b for s, b in zip(shape, block)]) < density
        keep = np.kron(coarse, np.ones(block, bool)).astype(bool)
    a[~keep] = 0
    return a


def values_of(dtype, values):
    if dtype == "int8":
        return [int(v) for v in values]
    return [float(v) for v in values]


def densify_model(dense, layout, dtype):
    """x + DENSIFY(w) (through DEQUANTIZE for float16)."""
    m = fb.Model("tfl densify test")
    g = m.graph()
    sp, vals = fb.sparse_encode(dense, **layout)
    shape = list(dense.shape)
    quant = fb.q(1 / 64, 3) if dtype == "int8" else None
    x = g.input("x", shape, "float32" if dtype == "float16" else dtype, quant=quant)
    w = g.sparse_const("w", shape, dtype, values_of(dtype, vals), sp, quant=quant)
    d = g.tensor("dense_w", shape, dtype, quant=quant)
    g.op("DENSIFY", [w], [d])
    if dtype == "float16":
        d32 = g.tensor("dense_w32", shape, "float32")
        g.op("DEQUANTIZE", [d], [d32], version=3)
        d = d32
    y = g.tensor("y", shape, "float32" if dtype == "float16" else dtype, quant=quant)
    g.op("ADD", [x, d], [y], fb.options("AddOptions"))
    g.output(y)
    return m.serialize()


LAYOUTS = {
    "csr_2d": ([6, 10], dict(traversal_order=[0, 1], formats=[0, 1])),
    "csr_both_levels": ([6, 10], dict(traversal_order=[0, 1], formats=[1, 1])),
    "csr_transposed": ([6, 10], dict(traversal_order=[1, 0], formats=[0, 1])),
    "block_1x4": ([5, 12], dict(traversal_order=[0, 1, 2], block_map=[1], block_sizes=[4],
                                formats=[0, 1, 0]), (1, 4)),
    "block_4x1": ([8, 3], dict(traversal_order=[0, 1, 2], block_map=[0], block_sizes=[4],
                               formats=[0, 1, 0]), (4, 1)),
    "block_2x2": ([4, 6], dict(traversal_order=[0, 1, 2, 3], block_map=[0, 1],
                               block_sizes=[2, 2], formats=[0, 1, 0, 0]), (2, 2)),
    "rank3_permuted": ([3, 4, 5], dict(traversal_order=[2, 0, 1], formats=[0, 1, 1])),
    "uint16_indices": ([4, 300], dict(traversal_order=[0, 1], formats=[0, 1],
                                      index_type="uint16")),
    "int32_indices": ([4, 9], dict(traversal_order=[0, 1], formats=[0, 1],
                                   index_type="int32")),
    "one_value": ([3, 5], dict(traversal_order=[0, 1], formats=[0, 1]), None, 0.0),
    "all_dense_levels": ([3, 5], dict(traversal_order=[1, 0], formats=[0, 0])),
}


@pytest.mark.parametrize("dtype", ["float32", "float16", "int8"])
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_densify_matches_litert(name, dtype, tfl, litert, tmp_path):
    shape, layout, *rest = LAYOUTS[name]
    block = rest[0] if rest else None
    density = rest[1] if len(rest) > 1 else 0.3
    dense = sparse_array(shape, dtype, density, len(name), block)
    dense.reshape(-1)[-1] = 3  # no values at all would be no buffer: not a constant
    model = densify_model(dense, layout, dtype)
    rng = np.random.default_rng(1)
    x = (rng.integers(-20, 20, shape).astype(np.int8) if dtype == "int8"
         else rng.uniform(-1, 1, shape).astype(np.float32))
    compare(tfl, litert, tmp_path, model, [x], f"{name}_{dtype}")
    # And the densified values are the array itself (not only LiteRT's view of it).
    want = (x.astype(np.float32) + dense.astype(np.float32))
    if dtype != "int8":
        path = write_model(tmp_path, model, "again")
        np.save(tmp_path / "x.npy", x)
        p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", tmp_path / "o")
        assert p.returncode == 0, p.stderr
        assert np.allclose(np.load(tmp_path / "o" / "output_0.npy"), want, atol=1e-6)


def fc_model(dense_w, bias, layout):
    """FULLY_CONNECTED with its weight stored sparse (layout) or dense (None)."""
    m = fb.Model("tfl sparse fc test")
    g = m.graph()
    units, depth = dense_w.shape
    x = g.input("x", [3, depth], "float32")
    if layout is None:
        w = g.const("w", [units, depth], "float32", [float(v) for v in dense_w.reshape(-1)])
    else:
        sp, vals = fb.sparse_encode(dense_w, **layout)
        w = g.sparse_const("w", [units, depth], "float32", [float(v) for v in vals], sp)
    b = g.const("b", [units], "float32", [float(v) for v in bias])
    y = g.tensor("y", [3, units], "float32")
    g.op("FULLY_CONNECTED", [x, w, b], [y], fb.options("FullyConnectedOptions"))
    g.output(y)
    return m.serialize()


@pytest.mark.parametrize("name", ["csr_2d", "block_1x4"])
def test_fully_connected_reads_sparse_weights(name, tfl, litert, tmp_path):
    shape, layout, *rest = LAYOUTS[name]
    dense = sparse_array(shape, "float32", 0.3, 7, rest[0] if rest else None)
    bias = np.linspace(-0.5, 0.5, shape[0]).astype(np.float32)
    x = np.random.default_rng(2).uniform(-1, 1, [3, shape[1]]).astype(np.float32)
    want = litert_outputs(litert, write_model(tmp_path, fc_model(dense, bias, None), "dense"),
                          [x])[0]
    path = write_model(tmp_path, fc_model(dense, bias, layout), name)
    # The sum's order differs from the reference's (packed kernels): close, not equal.
    for got in tfl_outputs(tfl, path, [x], tmp_path, name, 1).values():
        assert np.allclose(got[0], want, rtol=1e-5, atol=1e-6), np.abs(got[0] - want).max()


def load_error(tfl, tmp_path, model, name):
    path = write_model(tmp_path, model, name)
    p = tfl("inspect", path)
    assert p.returncode != 0, p.stdout
    assert "Traceback" not in p.stderr and "Sanitizer" not in p.stderr, p.stderr
    return p.stderr


def hostile(edit, blocked=False, dtype="float32"):
    """A DENSIFY model whose sparsity `edit(sparsity, values)` corrupted:
    a [4, 6] CSR constant, or a [4, 8] one in 1x4 blocks."""
    shape = [4, 8] if blocked else [4, 6]
    dense = sparse_array(shape, dtype, 0.5, 3, (1, 4) if blocked else None)
    dense[0, 0] = 1  # at least one value
    layout = (dict(traversal_order=[0, 1, 2], block_map=[1], block_sizes=[4], formats=[0, 1, 0])
              if blocked else dict(traversal_order=[0, 1], formats=[0, 1]))
    sp, vals = fb.sparse_encode(dense, **layout)
    vals = edit(sp, vals) or vals
    m = fb.Model("tfl hostile sparsity")
    g = m.graph()
    x = g.input("x", shape, dtype)
    w = g.sparse_const("w", shape, dtype, values_of(dtype, vals), sp)
    d = g.tensor("d", shape, dtype)
    g.op("DENSIFY", [w], [d])
    y = g.tensor("y", shape, dtype)
    g.op("ADD", [x, d], [y], fb.options("AddOptions"))
    g.output(y)
    return m.serialize()


def _set(path, value):
    def edit(sp, vals):
        target = sp
        for k in path[:-1]:
            target = target[k]
        target[path[-1]] = value(target[path[-1]]) if callable(value) else value
    return edit


HOSTILE = {
    "index_outside_dimension": (_set(["dim_metadata", 1, "indices", 0], 6), "outside [0, 6)"),
    "segments_decreasing": (_set(["dim_metadata", 1, "segments", 1], 200), "out of order"),
    "segment_past_indices": (_set(["dim_metadata", 1, "segments"],
                                  lambda s: s[:-1] + [s[-1] + 3]), "past the"),
    "traversal_not_permutation": (_set(["traversal_order"], [0, 0]), "not a permutation"),
    "traversal_too_short": (_set(["traversal_order"], [0]), "expected 2"),
    "block_without_level": (_set(["block_map"], [1]), "traversal order has 2 levels"),
    "block_not_dividing": (_set(["dim_metadata", 2, "dense_size"], 3), "does not divide", True),
    "block_map_outside_rank": (_set(["block_map"], [2]), "names dimension 2", True),
    "blocks_first": (_set(["traversal_order"], [2, 0, 1]), "before their blocks", True),
    "too_few_values": (lambda sp, vals: vals[:-1], "more than the"),
    "dense_size_wrong": (_set(["dim_metadata", 0, "dense_size"], 5), "dense level 0 has size 5"),
    "unknown_format": (_set(["dim_metadata", 1, "format"], 7), "unknown format 7"),
    "missing_metadata": (_set(["dim_metadata"], lambda d: d[:1]), "dim_metadata"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_sparsity_fails_at_load(name, tfl, tmp_path):
    edit, message, *blocked = HOSTILE[name]
    err = load_error(tfl, tmp_path, hostile(edit, bool(blocked)), name)
    assert message in err, err


def test_densify_errors(tfl, tmp_path):
    # A dense constant, an input, an int32 constant.
    for what, message in (("dense", "stored sparse"), ("input", "stored sparse"),
                          ("int32", "int32 input")):
        m = fb.Model("densify errors")
        g = m.graph()
        dtype = "int32" if what == "int32" else "float32"
        if what == "dense":
            w = g.const("w", [2, 3], dtype, [1.0] * 6)
        elif what == "input":
            w = g.input("w", [2, 3], dtype)
        else:
            sp, vals = fb.sparse_encode(np.eye(2, 3, dtype=np.int32), traversal_order=[0, 1],
                                        formats=[0, 1])
            w = g.sparse_const("w", [2, 3], dtype, [int(v) for v in vals], sp)
        d = g.tensor("d", [2, 3], dtype)
        g.op("DENSIFY", [w], [d])
        g.output(d)
        path = write_model(tmp_path, m.serialize(), what)
        p = tfl("inspect", path)
        p = tfl("run", path) if p.returncode == 0 else p
        assert p.returncode != 0 and message in p.stderr, (what, p.stderr)
