"""`tfl detect` end to end against the independent pipeline (pipeline.py) on
the SSD model for every image in ../shared/images, known answers, and the
annotated PNG of `-o`.

Tolerance: none. Every detection's class and score must be equal, and each
box coordinate equal as a float32: the post-processing op's outputs are
float32 from bit-identical inputs, and the pixel boxes are clip-to-[0, 1]
then one float32 multiply (and add) on both sides, printed with 9
significant digits (which round-trips a float32).
"""
import json
import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
SSD = "ssd_mobilenet_v1_coco_quant_metadata.tflite"


def shared_images():
    d = SHARED / "images"
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if p.suffix.lower() in (".jpg", ".png", ".bmp"))


def f32(v):
    return np.float32(v).item()


def as_f32(det):
    return {"index": det["index"], "score": f32(det["score"]),
            "box": {k: f32(v) for k, v in det["box"].items()}}


def tfl_detect(tfl, model, image, *options):
    p = tfl("detect", model, image, "--json", *options)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("crop", [None, 0.8], ids=["whole", "crop0.8"])
def test_detect_matches_pipeline(tfl, pipeline, model, crop):
    path = model(SSD)
    images = shared_images()
    if not images:
        pytest.skip("no images")
    interp = pipeline.make_interpreter(path)
    options = ["--threshold", "0"] + (["--crop", str(crop)] if crop else [])
    mismatches, total = [], 0
    for image in images:
        got = tfl_detect(tfl, path, image, *options)
        want = pipeline.detect(path, image, crop=crop, interpreter=interp)
        assert (got["width"], got["height"]) == (want["width"], want["height"]), image
        have = [as_f32(d) for d in got["detections"]]
        expect = [as_f32(d) for d in want["detections"]]
        total += len(expect)
        if have != expect:
            mismatches.append(f"{image.name}:\n  tfl      {have}\n  pipeline {expect}")
    print(f"SSD ({'crop %g' % crop if crop else 'whole image'}): "
          f"{len(images) - len(mismatches)}/{len(images)} images, {total} detections match "
          "exactly")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("image,labels", [
    ("pets.jpg", {"dog"}),
    ("cats_and_dogs.jpg", {"cat", "dog"}),
    ("grace_hopper.bmp", {"person"}),
    ("squat.bmp", {"person"}),
])
def test_known_objects(tfl, model, shared, image, labels):
    got = tfl_detect(tfl, model(SSD), shared("images/" + image))
    found = {d["label"] for d in got["detections"]}  # default threshold 0.5
    assert labels <= found, got


def test_annotated_png(tfl, model, shared, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    image = shared("images/pets.jpg")
    out = tmp_path / "pets_boxes.png"
    p = tfl("detect", model(SSD), image, "--json", "-o", out)
    assert p.returncode == 0, p.stderr
    dets = json.loads(p.stdout)["detections"]
    assert dets, "pets.jpg should have detections"
    with Image.open(out) as im:
        assert im.format == "PNG" and im.mode == "RGB"
        drawn = np.asarray(im)
    with Image.open(image) as im:
        orig = np.asarray(im.convert("RGB"))
    assert drawn.shape == orig.shape
    changed = np.any(drawn != orig, axis=2)
    h, w = changed.shape
    covered = np.zeros_like(changed)
    for d in dets:
        b = d["box"]
        x0, y0 = int(round(b["x"])), int(round(b["y"]))
        x1, y1 = int(round(b["x"] + b["width"])), int(round(b["y"] + b["height"]))
        # Each box's outline: its edges changed (sampled along the left and top).
        assert changed[(y0 + y1) // 2, min(max(x0, 0), w - 1)], d
        assert changed[min(max(y0, 0), h - 1), (x0 + x1) // 2], d
        # Outline and label (above the box, at most ~30 px for this size).
        covered[max(y0 - 30, 0):min(y1 + 4, h), max(x0 - 4, 0):min(x1 + 4, w)] = True
        # The inside of a box is left as it was, away from its label.
        inner = changed[y0 + 30:y1 - 8, x0 + 8:x1 - 8]
        assert not inner.any(), d
    # Nothing changes away from the boxes: the PNG keeps the decoded pixels.
    assert not (changed & ~covered).any()
    assert changed.sum() > 1000
