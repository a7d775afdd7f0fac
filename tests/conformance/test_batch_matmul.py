"""BATCH_MATMUL against LiteRT's reference kernels, byte for byte: float32,
int8 (per-tensor, nonzero zero points) and int16; adj_x and adj_y; ranks 2
to 4 with broadcast batch dimensions; a constant rhs (weights); 1 and 2
threads. Errors: contraction sizes that differ, batch dimensions that do
not broadcast, mixed types other than hybrid.

Hybrid (dynamic range: float32 lhs, int8 rhs, as TensorFlow's converter
writes it without a representative dataset): symmetric and asymmetric
per-row input quantization, one rhs scale or one per output column, adj_x
and adj_y, broadcast batches, ranks 2 to 5, odd shapes, all-zero and
partly zero inputs, an rhs fed at run time; within a few float32 ulps of
the output's magnitude (the int32 products are exact), 1 and 2 threads,
and always against a NumPy emulation of TFLite's algorithm as well.
LiteRT (ai-edge-litert 2.3.0) departs from its algorithm in two ways,
checked below, where tfl is held to the emulation:
- its reference BatchMatMul indexes the lhs rows' scaling factors and
  offsets (and the rhs matrices' row sums) by the sum of the batch indices
  instead of their flat index, so with two lhs batch dimensions above 1
  most rows use another row's scale;
- it computes the row sums once, at the first invoke, so an rhs that
  changes between invokes gets stale row sums (asymmetric inputs).
Errors: an unquantized int8 rhs (LiteRT outputs zeros), per-channel scales
not along the output columns (LiteRT applies scale j to column j whatever
the axis), float32 x int16, an int8 output."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import asymmetric_quantize, compare, outputs, symmetric_quantize  # noqa: E402

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


@pytest.mark.parametrize("case", ["contraction", "batch", "mixed"])
def test_errors(case, tfl, tmp_path):
    model, msg = {
        "contraction": (build("float32", [3, 5], [4, 2], False, False), "contracts 5"),
        "batch": (build("float32", [2, 3, 5], [3, 5, 4], False, False), "do not broadcast"),
        "mixed": (build("int8", [3, 5], [5, 2], False, False, dtype_b="int16"),
                  "mixed types are not supported"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr


# Hybrid ------------------------------------------------------------------------------


def build_hybrid(la, lb, adj_x=False, adj_y=False, asymmetric=False, scales="per_tensor",
                 const_rhs=True, seed=0, out_dtype="float32", rhs_dtype="int8"):
    """float32 lhs la x int8 rhs lb (shapes as stored). scales: per_tensor,
    per_channel (one per output column), none, or (count, dimension)."""
    rng = np.random.default_rng(seed)
    m = fb.Model("tfl hybrid batch matmul test")
    g = m.graph()
    a = g.input("a", la, "float32")
    n = lb[-2] if adj_y else lb[-1]
    if scales == "per_tensor":
        quant = fb.q(0.0123)
    elif scales == "per_channel":
        quant = fb.q_channels([float(v) for v in rng.uniform(0.004, 0.03, n)],
                              len(lb) - (2 if adj_y else 1))
    elif scales == "none":
        quant = None
    else:
        quant = fb.q_channels([float(v) for v in rng.uniform(0.004, 0.03, scales[0])], scales[1])
    if const_rhs:
        vals = [int(v) for v in rng.integers(-127, 128, int(np.prod(lb)))]
        b = g.const("b", lb, rhs_dtype, vals, quant=quant)
    else:
        b = g.input("b", lb, rhs_dtype, quant)
    mm = la[-1] if adj_x else la[-2]
    batch = list(np.broadcast_shapes(tuple(la[:-2]), tuple(lb[:-2])))
    y = g.tensor("y", batch + [mm, n], out_dtype, fb.q(0.1) if out_dtype == "int8" else None)
    g.op("BATCH_MATMUL", [a, b], [y],
         fb.options("BatchMatMulOptions", adj_x=adj_x, adj_y=adj_y,
                    asymmetric_quantize_inputs=asymmetric))
    g.output(y)
    return bytes(m.serialize())


def hybrid_matmul(x, w, adj_x, adj_y, asymmetric, scale, channel_scales):
    """TFLite's hybrid BatchMatMul as its source describes it: every lhs row
    quantized with its own scale and offset, each rhs column a weight row
    with its row sum, out = (q . w - row_sum * offset) * scale."""
    if adj_x:
        x = np.swapaxes(x, -1, -2)
    f = w if adj_y else np.swapaxes(w, -1, -2)  # [..., n, k]
    batch = np.broadcast_shapes(x.shape[:-2], f.shape[:-2])
    xs = np.broadcast_to(x, batch + x.shape[-2:])
    fs = np.broadcast_to(f, batch + f.shape[-2:]).astype(np.int64)
    m, n = x.shape[-2], f.shape[-2]
    out = np.zeros(batch + (m, n), np.float32)
    quantize = asymmetric_quantize if asymmetric else symmetric_quantize
    for idx in np.ndindex(*batch):
        sums = fs[idx].sum(axis=1)
        for i in range(m):
            q, sf, zp = quantize(xs[idx][i])
            total = (fs[idx] @ q - sums * zp).astype(np.float32)
            if channel_scales is None:
                out[idx + (i,)] = np.float32(sf * np.float32(scale)) * total
            else:
                out[idx + (i,)] = (sf * channel_scales).astype(np.float32) * total
    return out


def check_close(got, want, ulps=4):
    for g in got:
        assert g.dtype == want.dtype and g.shape == want.shape, (g.shape, want.shape)
        tol = ulps * np.finfo(np.float32).eps * max(1.0, float(np.abs(want).max()))
        assert np.allclose(g, want, rtol=0, atol=tol, equal_nan=True), np.abs(g - want).max()


def rhs_of(litert, path):
    """The rhs values and per-channel scales (or None) as LiteRT loaded them."""
    ref = litert(path)
    ref.allocate_tensors()
    t = {d["name"]: d for d in ref.get_tensor_details()}
    scales = t["b"]["quantization_parameters"]["scales"]
    return ref.get_tensor(t["b"]["index"]), (np.array(scales, np.float32)
                                              if len(scales) > 1 else None)


HYBRID = {  # lhs, rhs (as stored), options
    "2d": ([3, 5], [5, 4], {}),
    "2d_asymmetric": ([3, 5], [5, 4], dict(asymmetric=True)),
    "adj_x": ([5, 3], [5, 4], dict(adj_x=True)),
    "adj_y_asymmetric": ([3, 5], [4, 5], dict(adj_y=True, asymmetric=True)),
    "adj_xy": ([5, 3], [4, 5], dict(adj_x=True, adj_y=True)),
    "adj_xy_asymmetric": ([2, 5, 3], [4, 5], dict(adj_x=True, adj_y=True, asymmetric=True)),
    "batched": ([2, 3, 5], [2, 5, 4], {}),
    "batched_asymmetric": ([2, 3, 5], [2, 5, 4], dict(asymmetric=True)),
    "rhs_2d_broadcast": ([4, 3, 6], [6, 5], dict(asymmetric=True)),
    "lhs_broadcast": ([1, 3, 5], [3, 5, 4], dict(asymmetric=True)),
    "broadcast_4d": ([2, 1, 3, 5], [3, 5, 4], dict(asymmetric=True)),
    "broadcast_4d_adj_x": ([2, 1, 5, 3], [3, 5, 4], dict(adj_x=True, asymmetric=True)),
    "rank5": ([1, 1, 2, 3, 5], [1, 1, 2, 5, 4], dict(asymmetric=True)),
    "per_channel": ([3, 5], [5, 4], dict(scales="per_channel")),
    "per_channel_asymmetric": ([2, 3, 5], [2, 5, 4], dict(scales="per_channel",
                                                         asymmetric=True)),
    "per_channel_adj_y": ([3, 5], [4, 5], dict(adj_y=True, scales="per_channel")),
    "per_channel_broadcast": ([2, 1, 3, 5], [3, 4, 5], dict(adj_y=True, scales="per_channel",
                                                           asymmetric=True)),
    "odd_1x1": ([1, 1], [1, 1], dict(asymmetric=True)),
    "odd_wide": ([7, 33], [33, 17], dict(scales="per_channel", asymmetric=True)),
    "odd_deep": ([2, 300], [300, 3], {}),
    "fed_rhs": ([2, 3, 5], [5, 4], dict(const_rhs=False, asymmetric=True)),
    # LiteRT wrong (see the module's docstring): two lhs batch dimensions > 1.
    "two_batch_dims": ([2, 3, 3, 5], [5, 4], {}),
    "two_batch_dims_asymmetric": ([2, 3, 3, 5], [2, 3, 5, 4], dict(asymmetric=True)),
    "rank5_batches": ([2, 1, 2, 3, 5], [2, 1, 2, 5, 4], dict(asymmetric=True)),
}
LITERT_BMM_WRONG = {"two_batch_dims", "two_batch_dims_asymmetric", "rank5_batches"}


def hybrid_feeds(la, lb, kw, seed):
    rng = np.random.default_rng(seed)
    feeds = [rng.uniform(-2, 3, la).astype(np.float32)]
    if not kw.get("const_rhs", True):
        feeds.append(rng.integers(-127, 128, lb).astype(np.int8))
    return feeds


@pytest.mark.parametrize("case", sorted(HYBRID))
def test_hybrid(case, tfl, litert, tmp_path):
    la, lb, kw = HYBRID[case]
    model = build_hybrid(la, lb, seed=len(case), **kw)
    feeds = hybrid_feeds(la, lb, kw, list(case.encode()))
    want, got = outputs(tfl, litert, tmp_path, model, feeds, case)
    if kw.get("const_rhs", True):
        w, channel_scales = rhs_of(litert, tmp_path / f"{case}.tflite")
    else:
        w, channel_scales = feeds[1], None
    algo = hybrid_matmul(feeds[0], w, kw.get("adj_x", False), kw.get("adj_y", False),
                         kw.get("asymmetric", False), 0.0123, channel_scales)
    check_close(got, algo)
    if case in LITERT_BMM_WRONG:
        tol = 1e-3 * max(1.0, float(np.abs(algo).max()))
        assert np.abs(want - algo).max() > tol, "LiteRT now follows its algorithm here"
    else:
        check_close(got, want)
        check_close([want], algo)


@pytest.mark.parametrize("values", ["zeros", "one_zero_row", "nan_row", "inf_row"])
@pytest.mark.parametrize("asymmetric", [False, True])
def test_hybrid_edge_inputs(values, asymmetric, tfl, litert, tmp_path):
    la, lb = [2, 3, 5], [5, 4]
    model = build_hybrid(la, lb, asymmetric=asymmetric, scales="per_channel", seed=3)
    x = np.random.default_rng(4).uniform(-1, 1, la).astype(np.float32)
    if values == "zeros":
        x[:] = 0
    elif values == "one_zero_row":
        x[1, 2] = 0
    else:
        x[0, 1, 3] = np.nan if values == "nan_row" else np.inf
    name = f"{values}_{asymmetric}"
    want, got = outputs(tfl, litert, tmp_path, model, [x], name)
    if values in ("nan_row", "inf_row"):
        # The row holding the NaN or infinity has no meaningful scale in
        # either runtime, and they differ there (LiteRT's asymmetric row
        # turns NaN; an infinity that a NaN hides from the row's range
        # becomes -127 in LiteRT, x86's INT32_MIN clamped, 127 in tfl); the
        # other rows must agree.
        keep = np.ones(want.shape, bool)
        keep[0, 1] = False
        check_close([g[keep] for g in got], want[keep])
    else:
        check_close(got, want)
    if values == "zeros":
        assert not np.any(want) and not any(np.any(g) for g in got)


def test_hybrid_fed_rhs_changes(tfl, litert, tmp_path):
    """A fed rhs that changes between invokes: LiteRT keeps the first
    invoke's row sums (its compute_row_sums flag), tfl takes the current
    rhs's, as the algorithm says."""
    la, lb = [3, 5], [5, 4]
    path = tmp_path / "fed.tflite"
    path.write_bytes(build_hybrid(la, lb, const_rhs=False, asymmetric=True))
    rng = np.random.default_rng(8)
    x = rng.uniform(-1, 3, la).astype(np.float32)  # asymmetric range: offsets != 0
    w1, w2 = (rng.integers(-127, 128, lb).astype(np.int8) for _ in range(2))
    ref = litert(path)
    ref.allocate_tensors()
    a, b = (d["index"] for d in ref.get_input_details())
    for w in (w1, w2):
        ref.set_tensor(a, x)
        ref.set_tensor(b, w)
        ref.invoke()
    stale = ref.get_tensor(ref.get_output_details()[0]["index"])
    algo = hybrid_matmul(x, w2, False, False, True, 0.0123, None)
    assert np.abs(stale - algo).max() > 1e-3, "LiteRT now recomputes the row sums"
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "w.npy", w2)
    for threads in (1, 2):
        p = tfl("run", path, "-i", tmp_path / "x.npy", "-i", tmp_path / "w.npy",
                "-o", tmp_path / f"o{threads}", "--threads", threads)
        assert p.returncode == 0, p.stderr
        check_close([np.load(tmp_path / f"o{threads}" / "output_0.npy")], algo)


HYBRID_ERRORS = {
    "unquantized_rhs": (dict(scales="none"), "is not quantized"),
    "channels_on_k": (dict(scales=(5, 0)), "rhs has 5 scales on dimension 0"),
    "channels_on_batch": (dict(la=[2, 3, 5], lb=[2, 5, 4], scales=(2, 0)),
                          "rhs has 2 scales on dimension 0"),
    "int16_rhs": (dict(rhs_dtype="int16"), "lhs float32 and rhs int16"),
    "int8_output": (dict(out_dtype="int8"), "output type int8 does not match lhs"),
}


@pytest.mark.parametrize("case", sorted(HYBRID_ERRORS))
def test_hybrid_errors(case, tfl, tmp_path):
    kw, msg = HYBRID_ERRORS[case]
    kw = dict(kw)
    la, lb = kw.pop("la", [3, 5]), kw.pop("lb", [5, 4])
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build_hybrid(la, lb, **kw))
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "BATCH_MATMUL (node 0)" in p.stderr, p.stderr


def test_hybrid_litert_quirks(litert, tmp_path):
    """What LiteRT does with the models tfl refuses: an unquantized int8 rhs
    gives zeros (scale 0); scales along k give column j scale j."""
    x = np.random.default_rng(1).uniform(-1, 1, [3, 5]).astype(np.float32)
    outs = {}
    for case, scales in (("none", "none"), ("k", (5, 0))):
        path = tmp_path / f"{case}.tflite"
        path.write_bytes(build_hybrid([3, 5], [5, 4], scales=scales))
        ref = litert(path)
        ref.allocate_tensors()
        ref.set_tensor(ref.get_input_details()[0]["index"], x)
        ref.invoke()
        outs[case] = ref.get_tensor(ref.get_output_details()[0]["index"])
    assert not np.any(outs["none"])
    w, _ = rhs_of(litert, tmp_path / "k.tflite")
    ref = litert(tmp_path / "k.tflite")
    t = {d["name"]: d for d in ref.get_tensor_details()}
    scales = np.array(t["b"]["quantization_parameters"]["scales"], np.float32)
    check_close([outs["k"]], hybrid_matmul(x, w, False, False, False, 0, scales[:4]))
