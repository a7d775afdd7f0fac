"""`tfl detect`: usage errors, text and JSON output on the SSD model,
threshold, labels, the annotated PNG and its errors, and models that are not
detectors. The exact comparison with LiteRT is in tests/e2e."""
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIGITS = REPO / "examples" / "digits"
SSD = "ssd_mobilenet_v1_coco_quant_metadata.tflite"


@pytest.fixture(scope="module")
def ssd(runnable_model):
    return runnable_model(SSD)


@pytest.fixture(scope="module")
def pets(shared_model):
    return shared_model("../images/pets.jpg")


@pytest.mark.parametrize("args,message", [
    (["detect"], "missing MODEL"),
    (["detect", "m.tflite"], "missing IMAGE"),
    (["detect", "m.tflite", "a.jpg", "b.jpg"], "unexpected argument 'b.jpg' (one image at a time)"),
    (["detect", "m.tflite", "a.jpg", "-o"], "-o needs a file"),
    (["detect", "m.tflite", "a.jpg", "--threshold"], "--threshold needs a number"),
    (["detect", "m.tflite", "a.jpg", "--frob"], "unknown option '--frob'"),
    (["detect", "m.tflite", "a.jpg", "--crop", "2"], "--crop needs"),
])
def test_usage_errors(tfl, args, message):
    p = tfl(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert message in p.stderr, p.stderr
    assert "usage:" in p.stderr and p.stdout == ""


def test_json(tfl, ssd, pets):
    p = tfl("detect", ssd, pets, "--json")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert list(r) == ["image", "width", "height", "detections"]
    assert (r["image"], r["width"], r["height"]) == (str(pets), 512, 430)
    dets = r["detections"]
    assert dets and all(d["label"] == "dog" for d in dets)
    for d in dets:
        assert list(d) == ["index", "label", "score", "box"]
        assert list(d["box"]) == ["x", "y", "width", "height"]
        assert d["index"] == 17 and d["score"] >= 0.5  # default threshold
        b = d["box"]
        assert 0 <= b["x"] and b["x"] + b["width"] <= 512 + 1e-3
        assert 0 <= b["y"] and b["y"] + b["height"] <= 430 + 1e-3
        assert b["width"] > 50 and b["height"] > 50
    scores = [d["score"] for d in dets]
    assert scores == sorted(scores, reverse=True)


def test_text(tfl, ssd, pets):
    p = tfl("detect", ssd, pets)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines
    for line in lines:
        assert re.fullmatch(r"  \d\.\d{4}   17  dog  x [\d.]+  y [\d.]+  w [\d.]+  h [\d.]+",
                            line), line


def test_threshold(tfl, ssd, pets):
    everything = json.loads(tfl("detect", ssd, pets, "--json", "--threshold", "0").stdout)
    assert len(everything["detections"]) == 10  # the model's max_detections
    high = json.loads(tfl("detect", ssd, pets, "--json", "--threshold", "0.99").stdout)
    assert high["detections"] == []
    p = tfl("detect", ssd, pets, "--threshold", "0.99")
    assert p.stdout == "  (no detection with score >= 0.99)\n"


def test_labels_override(tfl, ssd, pets, tmp_path):
    labels = tmp_path / "coco.txt"
    labels.write_text("".join(f"{i} thing{i}\n" for i in range(90)))
    r = json.loads(tfl("detect", ssd, pets, "--json", "--labels", labels).stdout)
    assert {d["label"] for d in r["detections"]} == {"thing17"}


def test_annotated_png(tfl, ssd, pets, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    out = tmp_path / "boxes.png"
    p = tfl("detect", ssd, pets, "-o", out)
    assert p.returncode == 0, p.stderr
    with Image.open(out) as im:
        assert (im.format, im.mode, im.size) == ("PNG", "RGB", (512, 430))


def test_annotated_png_of_gray_image(tfl, ssd, shared_model, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    image = shared_model("../images/person.bmp")  # 96x96 grayscale
    out = tmp_path / "gray.png"
    p = tfl("detect", ssd, image, "-o", out, "--threshold", "0.3")
    assert p.returncode == 0, p.stderr
    with Image.open(out) as im:
        assert (im.mode, im.size) == ("RGB", (96, 96))


def test_png_write_error(tfl, ssd, pets, tmp_path):
    out = tmp_path / "missing_dir" / "x.png"
    p = tfl("detect", ssd, pets, "-o", out)
    assert p.returncode == 1
    assert p.stderr.startswith(f"tfl: cannot write '{out}'"), p.stderr


def test_not_a_detector(tfl, tmp_path):
    model = DIGITS / "digits_int8.tflite"
    p = tfl("detect", model, DIGITS / "seven_283.png")
    assert p.returncode == 1
    assert "has no TFLite_Detection_PostProcess op" in p.stderr, p.stderr


def test_bad_image(tfl, ssd, tmp_path):
    bad = tmp_path / "x.bmp"
    bad.write_bytes(b"BM" + b"\0" * 10)
    p = tfl("detect", ssd, bad)
    assert p.returncode == 1
    assert str(bad) in p.stderr and "BMP" in p.stderr, p.stderr
