"""`tfl classify` and `tfl inspect --extract`: help and usage errors, text and
JSON output, labels (the model's own, --labels in each format, count
warnings, missing label files), softmax choice, several images with one
bad, bad images and models. Most tests use the bundled digits model, so they
run without ../shared; the end-to-end checks against LiteRT are in
tests/e2e."""
import json
import re
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIGITS = REPO / "examples" / "digits"
MODEL = DIGITS / "digits_int8.tflite"
SEVEN = DIGITS / "seven_283.png"
SAMPLES = sorted(DIGITS.glob("*.png"))
LABELS = (DIGITS / "labels.txt").read_text().split()


@pytest.fixture(scope="module")
def digits(tfl):
    info = tfl.inspect(MODEL)
    if info["unsupported_ops"]:
        pytest.skip("tfl lacks " + ", ".join(info["unsupported_ops"]))
    return MODEL


def classify_json(tfl, *args):
    p = tfl("classify", *args, "--json")
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in p.stdout.splitlines()]


# ---- help and usage -----------------------------------------------------------


def test_help_lists_image_commands(tfl):
    out = tfl("help").stdout
    assert re.search(r"^  classify +", out, re.M) and re.search(r"^  detect +", out, re.M)


@pytest.mark.parametrize("cmd", ["classify", "detect"])
def test_command_help(tfl, cmd):
    for args in ([cmd, "--help"], [cmd, "-h"], ["help", cmd]):
        p = tfl(*args)
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith(f"usage: tfl {cmd} MODEL IMAGE"), p.stdout
        for opt in ("--labels", "--threshold", "--json", "--mean", "--std", "--crop"):
            assert opt in p.stdout, opt


@pytest.mark.parametrize("args,message", [
    (["classify"], "missing MODEL"),
    (["classify", "m.tflite"], "missing IMAGE"),
    (["classify", "m.tflite", "a.png", "--frob"], "unknown option '--frob'"),
    (["classify", "m.tflite", "a.png", "--top-k"], "--top-k needs"),
    (["classify", "m.tflite", "a.png", "--top-k", "0"], "--top-k needs"),
    (["classify", "m.tflite", "a.png", "--top-k", "x"], "--top-k needs"),
    (["classify", "m.tflite", "a.png", "--threshold", "high"], "--threshold needs a number"),
    (["classify", "m.tflite", "a.png", "--threshold", "nan"], "--threshold needs a number"),
    (["classify", "m.tflite", "a.png", "--labels"], "--labels needs a file"),
    (["classify", "m.tflite", "a.png", "--mean", "1,2"], "--mean needs one number or three"),
    (["classify", "m.tflite", "a.png", "--mean", "1,2,3,4"], "--mean needs"),
    (["classify", "m.tflite", "a.png", "--mean", "1,,2"], "--mean needs"),
    (["classify", "m.tflite", "a.png", "--std", "x"], "--std needs"),
    (["classify", "m.tflite", "a.png", "--std", "1,0,1"], "--std values must not be zero"),
    (["classify", "m.tflite", "a.png", "--crop", "0"], "--crop needs a fraction in (0, 1]"),
    (["classify", "m.tflite", "a.png", "--crop", "1.5"], "--crop needs"),
    (["classify", "m.tflite", "a.png", "--threads", "0"], "--threads needs"),
    (["inspect", "m.tflite", "--extract"], "--extract needs a directory"),
    (["inspect", "m.tflite", "--extract", "d", "--json"], "drop --json"),
])
def test_usage_errors(tfl, args, message):
    p = tfl(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert message in p.stderr, p.stderr
    assert "usage:" in p.stderr
    assert p.stdout == ""


# ---- output -------------------------------------------------------------------


def test_text_output(tfl, digits):
    p = tfl("classify", digits, SEVEN, "--top-k", "3")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 3, p.stdout
    assert re.fullmatch(r"  \d\.\d{4}  7  seven", lines[0]), lines
    for line in lines:
        m = re.fullmatch(r"  (\d\.\d{4})  (\d)  (\w+)", line)
        assert m and m.group(3) == LABELS[int(m.group(2))], line
    scores = [float(line.split()[0]) for line in lines]
    assert scores == sorted(scores, reverse=True)
    assert p.stderr == ""


def test_json_output(tfl, digits):
    [r] = classify_json(tfl, digits, SEVEN)
    assert list(r) == ["image", "results"]
    assert r["image"] == str(SEVEN)
    assert len(r["results"]) == 5
    for x in r["results"]:
        assert list(x) == ["index", "label", "score"]
        assert x["label"] == LABELS[x["index"]]
        assert 0.0 <= x["score"] <= 1.0
    assert r["results"][0]["label"] == "seven"
    # The output is int8 with scale 1/256, zero point -128: scores are k/256.
    for x in r["results"]:
        assert (float(x["score"]) * 256).is_integer(), x
    # Ties are broken by the lower index.
    rest = [(x["score"], x["index"]) for x in r["results"][1:]]
    assert rest == sorted(rest, key=lambda t: (-t[0], t[1]))


def test_several_images_one_line_each(tfl, digits):
    rows = classify_json(tfl, digits, *SAMPLES, "--top-k", "1")
    assert [r["image"] for r in rows] == [str(s) for s in SAMPLES]
    for s, r in zip(SAMPLES, rows):
        assert r["results"][0]["label"] == s.name.split("_")[0]
    p = tfl("classify", digits, *SAMPLES, "--top-k", "1")
    lines = p.stdout.splitlines()
    assert lines[0::2] == [str(s) for s in SAMPLES]  # a header per image in text
    assert all(line.startswith("  ") for line in lines[1::2])


def test_threshold(tfl, digits):
    [r] = classify_json(tfl, digits, SEVEN, "--threshold", "0.5")
    assert [x["label"] for x in r["results"]] == ["seven"]
    [r] = classify_json(tfl, digits, SEVEN, "--threshold", "1.5")
    assert r["results"] == []
    p = tfl("classify", digits, SEVEN, "--threshold", "1.5")
    assert p.returncode == 0 and p.stdout == "  (no score >= 1.5)\n"


def test_softmax_choice(tfl, digits):
    """The digits output comes from SOFTMAX: scores are used as they are,
    unless --softmax forces another softmax over them."""
    [plain] = classify_json(tfl, digits, SEVEN, "--top-k", "10")
    [forced] = classify_json(tfl, digits, SEVEN, "--top-k", "10", "--softmax")
    [off] = classify_json(tfl, digits, SEVEN, "--top-k", "10", "--no-softmax")
    assert off == plain
    assert forced["results"][0]["index"] == plain["results"][0]["index"]
    assert forced["results"][0]["score"] < plain["results"][0]["score"]
    assert abs(sum(x["score"] for x in forced["results"]) - 1.0) < 1e-5


def test_gray_model_takes_rgb_images(tfl, digits, tmp_path):
    """An RGB image is converted to the model's one channel."""
    Image = pytest.importorskip("PIL.Image")
    rgb = tmp_path / "seven_rgb.png"
    with Image.open(SEVEN) as im:
        im.convert("RGB").save(rgb)
    [r] = classify_json(tfl, digits, rgb)
    [g] = classify_json(tfl, digits, SEVEN)
    assert r["results"] == g["results"]


def test_crop(tfl, digits):
    [r] = classify_json(tfl, digits, SEVEN, "--crop", "1")
    [g] = classify_json(tfl, digits, SEVEN)
    assert r["results"] == g["results"]
    p = tfl("classify", digits, SEVEN, "--crop", "0.5")
    assert p.returncode == 0, p.stderr


# ---- labels -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["lines", "index", "json_object", "json_array"])
def test_labels_file_overrides(tfl, digits, tmp_path, fmt):
    names = [f"digit-{n}" for n in LABELS]
    path = tmp_path / "labels.txt"
    if fmt == "lines":
        path.write_text("\n".join(names) + "\n")
    elif fmt == "index":
        path.write_text("".join(f"{i} {n}\n" for i, n in enumerate(names)))
    elif fmt == "json_object":
        path.write_text(json.dumps({str(i): n for i, n in enumerate(names)}))
    else:
        path.write_text(json.dumps(names))
    p = tfl("classify", digits, SEVEN, "--labels", path, "--json")
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    assert json.loads(p.stdout)["results"][0]["label"] == "digit-seven"


def test_label_count_warning(tfl, digits, tmp_path):
    path = tmp_path / "eight.txt"
    path.write_text("\n".join(LABELS[:8]) + "\n")
    p = tfl("classify", digits, *SAMPLES[:2], "--labels", path, "--json")
    assert p.returncode == 0, p.stderr
    # The library's warning, once for all images.
    assert p.stderr == ("tfl: warning: 8 labels vs 10 scores (scores past the last label "
                        "show as 'class N')\n"), p.stderr
    eight = [json.loads(line) for line in p.stdout.splitlines()][0]  # eight_1491.png
    assert eight["results"][0]["label"] == "class 8"


def test_label_count_warning_background(tfl, shared_model, tmp_path):
    """1000 ImageNet labels for a 1001-score model: the background hint."""
    model = shared_model("mobilenet_v1_0.25_224_quant_metadata.tflite")
    labels = shared_model("../labels/imagenet_1001_labels.txt")
    path = tmp_path / "imagenet_1000.txt"
    path.write_text("".join(labels.read_text().splitlines(keepends=True)[1:]))
    image = shared_model("../images/burger.jpg")
    p = tfl("classify", model, image, "--labels", path, "--top-k", "1")
    assert p.returncode == 0, p.stderr
    assert "tfl: warning: 1000 labels vs 1001 scores (the model may have a background class " \
           "at index 0)" in p.stderr
    # Index 934 (cheeseburger) now shows the next line's label: what the warning is about.
    assert p.stdout.split(None, 2)[1:] == ["934", "hotdog\n"], p.stdout


def test_bad_labels_file(tfl, digits, tmp_path):
    p = tfl("classify", digits, SEVEN, "--labels", tmp_path / "none.txt")
    assert p.returncode == 1
    assert "none.txt" in p.stderr and p.stdout == ""


def test_labels_named_but_not_packed(tfl, digits, tmp_path):
    """The metadata names labels.txt but the file lost its packed archive:
    a warning, then results without labels (null in JSON)."""
    data = MODEL.read_bytes()
    cut = tmp_path / "digits_nozip.tflite"
    cut.write_bytes(data[:data.index(b"PK\x03\x04")])
    p = tfl("classify", cut, SEVEN, "--json")
    assert p.returncode == 0, p.stderr
    assert p.stderr.startswith("tfl: warning: ") and "labels" in p.stderr, p.stderr
    r = json.loads(p.stdout)["results"]
    assert r[0]["index"] == 7 and all(x["label"] is None for x in r)
    text = tfl("classify", cut, SEVEN, "--top-k", "1").stdout
    assert re.fullmatch(r"  \d\.\d{4}  7\n", text), text


def test_packed_labels_without_output_metadata(tfl, shared_model):
    """Coral's model packs imagenet_labels.txt with no metadata entry."""
    model = shared_model("mobilenet_v2_1.0_224_quant.tflite")
    p = tfl("classify", model, shared_model("../images/cat.bmp"), "--top-k", "1", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["results"][0]["label"] == "Egyptian cat"


# ---- errors -------------------------------------------------------------------


def test_missing_image(tfl, digits, tmp_path):
    p = tfl("classify", digits, tmp_path / "nope.png")
    assert p.returncode == 1
    assert p.stderr == f"tfl: cannot open '{tmp_path / 'nope.png'}': No such file or directory\n"


def test_not_an_image(tfl, digits, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("hello\n")
    p = tfl("classify", digits, bad)
    assert p.returncode == 1
    assert p.stderr.startswith("tfl: ") and str(bad) in p.stderr, p.stderr
    assert "not a JPEG, PNG or BMP image" in p.stderr, p.stderr


def test_one_bad_image_among_several(tfl, digits, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 40)
    p = tfl("classify", digits, SAMPLES[0], bad, SAMPLES[1], "--json")
    assert p.returncode == 1
    assert str(bad) in p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert [r["image"] for r in rows] == [str(SAMPLES[0]), str(SAMPLES[1])]


def test_missing_model(tfl, tmp_path):
    p = tfl("classify", tmp_path / "x.tflite", SEVEN)
    assert p.returncode == 1
    assert p.stderr.startswith("tfl: cannot open ")


def test_model_without_image_input(tfl, shared_model):
    model = shared_model("hello_world_float.tflite")
    p = tfl("classify", model, SEVEN, SAMPLES[0])
    assert p.returncode == 1
    assert p.stderr == (f"tfl: '{model}': input float32[1,1] is not an image tensor "
                        "([1,H,W,C] or [1,C,H,W] with C = 1 or 3)\n"), p.stderr  # once


def test_classify_a_detector(tfl, runnable_model):
    model = runnable_model("ssd_mobilenet_v1_coco_quant_metadata.tflite")
    p = tfl("classify", model, SEVEN, SAMPLES[0])
    assert p.returncode == 1
    assert p.stderr.count("tfl: ") == 1, p.stderr  # once, not once per image
    assert "output 0 has shape [1, 10, 4]; classify needs a vector of class scores" in p.stderr


# ---- inspect --extract ----------------------------------------------------------


def test_extract(tfl, tmp_path):
    out = tmp_path / "files"
    p = tfl("inspect", MODEL, "--extract", out)
    assert p.returncode == 0, p.stderr
    assert p.stdout == f"{out}/labels.txt  (50 bytes)\n"
    assert (out / "labels.txt").read_bytes() == (DIGITS / "labels.txt").read_bytes()
    # Again into the existing directory: overwritten, fine.
    assert tfl("inspect", MODEL, "--extract", out).returncode == 0


def test_extract_nothing_packed(tfl, shared_model, tmp_path):
    p = tfl("inspect", shared_model("hello_world_float.tflite"), "--extract", tmp_path / "x")
    assert p.returncode == 0, p.stderr
    assert "has no packed files" in p.stdout
    assert not (tmp_path / "x").exists()


def test_extract_into_a_file(tfl, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    p = tfl("inspect", MODEL, "--extract", f)
    assert p.returncode == 1
    assert "not a directory" in p.stderr


def test_extract_refuses_unsafe_and_compressed(tfl, tmp_path):
    """Names that would leave the directory are refused; compressed entries
    are reported; the other files are still written."""
    model = tmp_path / "m.tflite"
    model.write_bytes(MODEL.read_bytes())
    with zipfile.ZipFile(model, "a") as z:  # adds to the model's own archive
        z.writestr("../evil.txt", "x")
        z.writestr(zipfile.ZipInfo("squeezed.txt"), "y" * 100, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("vocab.txt", "a\nb\n")
    out = tmp_path / "out" / "files"
    (tmp_path / "out").mkdir()
    p = tfl("inspect", model, "--extract", out)
    assert p.returncode == 1
    assert "'../evil.txt' skipped: not a plain file name" in p.stderr, p.stderr
    assert "'squeezed.txt' cannot be read (compressed)" in p.stderr, p.stderr
    assert not (tmp_path / "out" / "evil.txt").exists()
    assert sorted(x.name for x in out.iterdir()) == ["labels.txt", "vocab.txt"]
    assert (out / "vocab.txt").read_text() == "a\nb\n"

