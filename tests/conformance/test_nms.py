"""NON_MAX_SUPPRESSION_V4 and V5 against LiteRT's reference kernel, byte for
byte: random boxes (corners in either order, some of zero area), scores with
ties (TFLite's heap order decides among equal scores), score thresholds that
drop candidates, a max_output_size above the number kept (the rest zeros),
a max_output_size fed at run time (dynamic outputs), V5 with sigma 0 (hard
NMS) and > 0 (soft NMS, scores decayed and re-queued). Errors: a negative
max_output_size, boxes that are not [n, 4], a negative sigma."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402


def build(n=12, max_out=5, iou=0.5, score_threshold=0.1, sigma=None, dynamic_max=False,
          box_cols=4):
    m = fb.Model("tfl nms test")
    g = m.graph()
    boxes = g.input("boxes", [n, box_cols], "float32")
    scores = g.input("scores", [n], "float32")
    mo = g.input("max_out", [], "int32") if dynamic_max else g.const("max_out", [], "int32",
                                                                      [max_out])
    ins = [boxes, scores, mo, g.const("iou", [], "float32", [iou]),
           g.const("score_threshold", [], "float32", [score_threshold])]
    size = [max(max_out, 1)] if not dynamic_max else [1]
    sel = g.tensor("selected", size, "int32")
    count = g.tensor("count", [], "int32")
    if sigma is None:
        g.op("NON_MAX_SUPPRESSION_V4", ins, [sel, count], fb.options("NonMaxSuppressionV4Options"))
        g.output(sel, count)
    else:
        ins.append(g.const("sigma", [], "float32", [sigma]))
        sc = g.tensor("selected_scores", size, "float32")
        g.op("NON_MAX_SUPPRESSION_V5", ins, [sel, sc, count],
             fb.options("NonMaxSuppressionV5Options"))
        g.output(sel, sc, count)
    return bytes(m.serialize())


def feeds(n, seed, ties=False, degenerate=False, max_out=None):
    rng = np.random.default_rng(seed)
    c = rng.uniform(0, 1, (n, 2))
    hw = rng.uniform(0.05, 0.5, (n, 2))
    boxes = np.concatenate([c - hw / 2, c + hw / 2], axis=1)
    flip = rng.random(n) < 0.3
    boxes[flip] = boxes[flip][:, [2, 3, 0, 1]]  # corners in the other order
    if degenerate:
        boxes[::4, 2] = boxes[::4, 0]  # zero height
    scores = rng.uniform(0, 1, n)
    if ties:
        scores = np.round(scores * 4) / 4
    out = [boxes.astype(np.float32), scores.astype(np.float32)]
    if max_out is not None:
        out.append(np.array(max_out, np.int32))
    return out


CASES = {
    "v4": (dict(), dict()),
    "v4_ties": (dict(n=20, max_out=10), dict(ties=True)),
    "v4_degenerate": (dict(n=16, max_out=8), dict(degenerate=True)),
    "v4_more_outputs_than_kept": (dict(n=6, max_out=10, score_threshold=0.5), dict()),
    "v4_tight_iou": (dict(n=30, max_out=30, iou=0.1), dict(ties=True)),
    "v4_none_kept": (dict(score_threshold=2.0), dict()),
    "v4_dynamic_max": (dict(dynamic_max=True), dict(max_out=4)),
    "v5_hard": (dict(sigma=0.0, n=20, max_out=8), dict(ties=True)),
    "v5_soft": (dict(sigma=0.5, n=20, max_out=12), dict()),
    "v5_soft_ties": (dict(sigma=0.3, n=25, max_out=25, score_threshold=0.05), dict(ties=True)),
    "v5_dynamic_max": (dict(sigma=0.4, dynamic_max=True, n=10), dict(max_out=7)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_nms_matches_litert(case, tfl, litert, tmp_path):
    build_kw, feed_kw = CASES[case]
    n = build_kw.get("n", 12)
    compare(tfl, litert, tmp_path, build(**build_kw), feeds(n, len(case), **feed_kw), case)


@pytest.mark.parametrize("case,kw,feed_max,msg", [
    ("negative_max", dict(max_out=-1), None, "max_output_size -1 is negative"),
    ("negative_max_fed", dict(dynamic_max=True), -3, "max_output_size -3 is negative"),
    ("boxes_shape", dict(box_cols=3), None, "boxes must be float32 [n, 4]"),
    ("negative_sigma", dict(sigma=-0.5), None, "soft_nms_sigma -0.5 is negative"),
])
def test_nms_errors(case, kw, feed_max, msg, tfl, tmp_path):
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(build(**kw))
    args = []
    if feed_max is not None or kw.get("box_cols") is None:
        f = feeds(12, 0, max_out=feed_max)
        if kw.get("box_cols"):
            f[0] = f[0][:, :3]
        for i, v in enumerate(f):
            np.save(tmp_path / f"in{i}.npy", v)
            args += ["-i", tmp_path / f"in{i}.npy"]
    p = tfl("run", path, *args)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "NON_MAX_SUPPRESSION_V" in p.stderr, p.stderr
