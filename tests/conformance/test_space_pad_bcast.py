"""DEPTH_TO_SPACE, SPACE_TO_DEPTH, MIRROR_PAD and BROADCAST_TO against
LiteRT's reference kernels, byte for byte: every type LiteRT takes for each
(float32, uint8, int8, int32, int64, and more where it has them), block
sizes 1 to 3, REFLECT and SYMMETRIC with the largest paddings each allows,
BROADCAST_TO from lower ranks and size-1 dimensions with a constant and a
fed shape; 1 and 2 threads. Errors: channels not a multiple of the block
squared, a spatial size not a multiple of the block, a too large mirror
padding, a shape that does not broadcast."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402
from test_comparison import values  # noqa: E402

TYPES = ["float32", "uint8", "int8", "int32", "int64"]


def build(op, ins, out_shape, dtype, opts=None, consts=()):
    consts = dict(consts)
    m = fb.Model("tfl data movement test")
    g = m.graph()
    q = fb.q(0.5, 3) if dtype in ("uint8", "int8") else None
    idx = []
    for name, shape, dt in ins:
        tq = q if dt == dtype else None
        idx.append(g.const(name, shape, dt, consts[name]) if name in consts
                   else g.input(name, shape, dt, tq))
    y = g.tensor("y", out_shape, dtype, q)
    g.op(op, idx, [y], opts, version=2 if op == "BROADCAST_TO" else 1)  # TFLite's first
    g.output(y)
    return bytes(m.serialize())


@pytest.mark.parametrize("block", [1, 2, 3])
@pytest.mark.parametrize("dtype", TYPES)
def test_depth_to_space(dtype, block, tfl, litert, tmp_path):
    shape = [2, 3, 2, 4 * block * block]
    out = [2, 3 * block, 2 * block, 4]
    x = values(np.random.default_rng(block), dtype, shape)
    model = build("DEPTH_TO_SPACE", [("x", shape, dtype)], out, dtype,
                  fb.options("DepthToSpaceOptions", block_size=block))
    compare(tfl, litert, tmp_path, model, [x], f"d2s_{dtype}_{block}")


@pytest.mark.parametrize("block", [1, 2, 3])
@pytest.mark.parametrize("dtype", TYPES)
def test_space_to_depth(dtype, block, tfl, litert, tmp_path):
    shape = [2, 2 * block, 3 * block, 5]
    out = [2, 2, 3, 5 * block * block]
    x = values(np.random.default_rng(block + 7), dtype, shape)
    model = build("SPACE_TO_DEPTH", [("x", shape, dtype)], out, dtype,
                  fb.options("SpaceToDepthOptions", block_size=block))
    compare(tfl, litert, tmp_path, model, [x], f"s2d_{dtype}_{block}")


@pytest.mark.parametrize("mode", [0, 1])
@pytest.mark.parametrize("dtype", TYPES)
def test_mirror_pad(dtype, mode, tfl, litert, tmp_path):
    shape = [3, 4, 2]
    big = [s - 1 if mode == 0 else s for s in shape]
    pads = [[big[0], 1], [0, big[1]], [1, 0]]
    out = [s + a + b for s, (a, b) in zip(shape, pads)]
    x = values(np.random.default_rng(mode), dtype, shape)
    model = build("MIRROR_PAD", [("x", shape, dtype), ("p", [3, 2], "int32")], out, dtype,
                  fb.options("MirrorPadOptions", mode=mode),
                  {"p": [v for pr in pads for v in pr]})
    want = np.pad(x, pads, mode="reflect" if mode == 0 else "symmetric")
    compare(tfl, litert, tmp_path, model, [x], f"mirror_{dtype}_{mode}")
    compare(tfl, litert, tmp_path, model, [x], f"mirror_np_{dtype}_{mode}", want=want)


BCAST = {"scalar": ([], [2, 3]), "row": ([4], [3, 4]), "ones": ([2, 1, 3], [2, 5, 3]),
         "rank_up": ([3, 1], [2, 3, 4])}


@pytest.mark.parametrize("fed", [False, True])
@pytest.mark.parametrize("case", sorted(BCAST))
@pytest.mark.parametrize("dtype", TYPES + ["bool", "int16"])
def test_broadcast_to(dtype, case, fed, tfl, litert, tmp_path):
    shape, target = BCAST[case]
    x = values(np.random.default_rng(len(target)), dtype, shape)
    consts = {} if fed else {"s": target}
    model = build("BROADCAST_TO", [("x", shape, dtype), ("s", [len(target)], "int32")], target,
                  dtype, consts=consts)
    feeds = [x] + ([np.array(target, np.int32)] if fed else [])
    compare(tfl, litert, tmp_path, model, feeds, f"bt_{dtype}_{case}_{fed}")
    compare(tfl, litert, tmp_path, model, feeds, f"bt_np_{dtype}_{case}_{fed}",
            want=np.ascontiguousarray(np.broadcast_to(x, target)))


@pytest.mark.parametrize("case", ["d2s_channels", "s2d_size", "mirror_too_far", "bcast_bad"])
def test_errors(case, tfl, tmp_path):
    model, msg = {
        "d2s_channels": (build("DEPTH_TO_SPACE", [("x", [1, 2, 2, 6], "float32")], [1, 4, 4, 1],
                               "float32", fb.options("DepthToSpaceOptions", block_size=2)),
                         "not a multiple"),
        "s2d_size": (build("SPACE_TO_DEPTH", [("x", [1, 3, 4, 1], "float32")], [1, 1, 2, 4],
                           "float32", fb.options("SpaceToDepthOptions", block_size=2)),
                     "multiples of block"),
        "mirror_too_far": (build("MIRROR_PAD", [("x", [3], "float32"), ("p", [1, 2], "int32")],
                                 [6], "float32", fb.options("MirrorPadOptions", mode=0),
                                 {"p": [3, 0]}), "must be in [0, 2]"),
        "bcast_bad": (build("BROADCAST_TO", [("x", [3], "float32"), ("s", [2], "int32")], [2, 4],
                            "float32", consts={"s": [2, 4]}), "cannot broadcast"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
