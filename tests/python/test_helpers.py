"""tfl.Model helpers (labels, metadata, dequantize, quantize, set_image,
classify), tfl.load_labels, tfl.load_image, tfl.unsupported_ops, and the
clear errors of a build without the image part."""
import json
import re

import numpy as np
import pytest

import tfl
from conftest import DIGITS, HERE, SHARED, litert_interpreter, require_runs
from tfl import _lib
from tfl import model as tfl_model

LABELS = (DIGITS.parent / "labels.txt").read_text().splitlines()
SAMPLES = sorted(DIGITS.parent.glob("*.png"))
MULTI = HERE / "models" / "multi_io.tflite"

vision = pytest.mark.skipif(not tfl.HAVE_VISION, reason="tfl built without its image part")


def shared(kind, name):
    p = SHARED / kind / name
    if not p.is_file():
        pytest.skip(f"{p} is absent")
    return p


# ---- labels -----------------------------------------------------------------

def test_model_labels_from_metadata():
    assert tfl.Model(str(DIGITS)).labels() == LABELS
    assert tfl.Model(str(MULTI)).labels() == []


def test_model_labels_shared():
    m = tfl.Model(str(shared("models", "mobilenet_v1_0.25_224_quant_metadata.tflite")))
    assert m.labels() == shared("labels", "imagenet_1001_labels.txt").read_text().splitlines()


@pytest.mark.parametrize("fmt", ["text", "crlf", "index", "json_map", "json_list", "bytes"])
def test_load_labels_formats(fmt, tmp_path):
    p = tmp_path / "labels"
    if fmt == "text":
        p.write_text("\n".join(LABELS) + "\n\n")
    elif fmt == "crlf":
        p.write_bytes(("\r\n".join(LABELS) + "\r\n").encode())
    elif fmt == "index":
        p.write_text("\n".join(f"{i}  {name}" for i, name in enumerate(LABELS)))
    elif fmt == "json_map":
        p.write_text(json.dumps({str(i): name for i, name in enumerate(LABELS)}))
    elif fmt == "json_list":
        p.write_text(json.dumps(LABELS))
    if fmt == "bytes":
        assert tfl.load_labels(("\n".join(LABELS)).encode()) == LABELS
    else:
        assert tfl.load_labels(p) == LABELS
        assert tfl.load_labels(str(p)) == LABELS


def test_load_labels_gaps_and_errors(tmp_path):
    p = tmp_path / "gaps.txt"
    p.write_text("0 zero\n2 two\n")
    assert tfl.load_labels(p) == ["zero", "class 1", "two"]
    with pytest.raises((ValueError, OSError)):
        tfl.load_labels(tmp_path / "missing.txt")


@pytest.mark.parametrize("text", ["a\nb\n\nc\n\n", "0 a\n3 d\n", '{"1": "x", "0": "y"}',
                                  '["p", "q"]', "  spaced label \r\nnext\r\n", ""])
def test_python_label_parser_matches_c(text):
    """Builds without the C label part parse label files in Python, the
    same way."""
    if not tfl.HAVE_VISION:
        pytest.skip("no C label parser to compare with")
    try:
        want = tfl.load_labels(text.encode())
    except ValueError as e:
        with pytest.raises(ValueError, match=re.escape(str(e))):
            tfl_model._parse_labels_checked(text.encode())
        return
    assert tfl_model._parse_labels_checked(text.encode()) == want


# ---- metadata -----------------------------------------------------------------

def test_metadata():
    md = tfl.Model(str(DIGITS)).metadata()
    assert md["name"] == "tfl digits classifier"
    assert md["author"] == "tfl developers" and md["license"] == "Apache-2.0"
    assert md["inputs"][0]["content"] == "image"
    assert md["inputs"][0]["mean"] == [0.0] and md["inputs"][0]["std"] == [255.0]
    assert md["outputs"][0]["associated_files"][0]["name"] == "labels.txt"
    assert md["outputs"][0]["associated_files"][0]["type"] == "TENSOR_AXIS_LABELS"
    assert md["packed_files"] == ["labels.txt"]
    json.dumps(md)  # plain data
    assert tfl.Model(str(MULTI)).metadata() is None


def test_metadata_bounding_boxes():
    path = shared("models", "ssd_mobilenet_v1_coco_quant_metadata.tflite")
    m = tfl.Model(str(require_runs(path)))
    out = m.metadata()["outputs"][0]
    assert out["content"] == "bounding_box" and out["box_index"] == [1, 0, 3, 2]
    assert m.labels(1)[:3] == ["person", "bicycle", "car"]


# ---- dequantize / quantize ----------------------------------------------------------

def test_dequantize_matches_hand_written():
    m = tfl.Model(str(DIGITS))
    m.allocate_tensors()
    inp, out = m.get_input_details()[0], m.get_output_details()[0]
    m.set_tensor(inp["index"], np.random.default_rng(0).integers(-128, 128, (1, 8, 8, 1),
                                                                 dtype=np.int8))
    m.invoke()
    scale, zp = out["quantization"]
    want = (m.get_tensor(out["index"]).astype(np.float32) - zp) * np.float32(scale)
    got = m.dequantize(out["index"])
    assert got.dtype == np.float32 and got.shape == want.shape
    assert got.tobytes() == want.tobytes()


def test_dequantize_per_channel():
    m = tfl.Model(str(DIGITS))
    m.allocate_tensors()
    d = m._get_tensor_details(5, 0)  # conv weights, 32 channels along axis 0
    q = d["quantization_parameters"]
    raw = m.get_tensor(5).astype(np.float64)
    want = ((raw - q["zero_points"][:, None, None, None]) *
            q["scales"].astype(np.float64)[:, None, None, None]).astype(np.float32)
    assert m.dequantize(5).tobytes() == want.tobytes()


def test_dequantize_uint8_output():
    path = require_runs(shared("models", "mobilenet_v1_0.25_128_quant.tflite"))
    m = tfl.Model(str(path))
    m.allocate_tensors()
    inp, out = m.get_input_details()[0], m.get_output_details()[0]
    m.set_tensor(inp["index"], np.full(inp["shape"], 128, np.uint8))
    m.invoke()
    scale, zp = out["quantization"]
    want = (m.get_tensor(out["index"]).astype(np.float32) - zp) * np.float32(scale)
    assert m.dequantize(out["index"]).tobytes() == want.tobytes()


def test_dequantize_errors():
    m = tfl.Model(str(DIGITS))
    with pytest.raises(ValueError, match="Run allocate_tensors"):
        m.dequantize(17)
    m.allocate_tensors()
    with pytest.raises(ValueError, match="not quantized"):
        m.dequantize(1)  # an int32 shape constant
    with pytest.raises(ValueError, match="Invalid tensor index 99"):
        m.dequantize(99)


def _round_half_away(v):
    return np.trunc(v + np.copysign(0.5, v))


def test_quantize_matches_tflite_rounding():
    m = tfl.Model(str(DIGITS))
    m.allocate_tensors()
    inp = m.get_input_details()[0]
    scale, zp = inp["quantization"]
    # Values on and around rounding ties, and outside the range.
    x = (np.arange(64, dtype=np.float32).reshape(1, 8, 8, 1) - 20) * np.float32(scale) * 4.5
    x[0, 0, 0, 0] = 2.0
    x[0, 0, 1, 0] = -3.0
    m.quantize(inp["index"], x)
    q = _round_half_away((x / np.float32(scale)).astype(np.float64)) + zp
    want = np.clip(q, -128, 127).astype(np.int8)
    np.testing.assert_array_equal(m.get_tensor(inp["index"]), want)
    # Float tensors take the values as they are.
    f = tfl.Model(str(MULTI))
    f.allocate_tensors()
    f.quantize(1, [[1.5, 2.5, -1.0]])
    np.testing.assert_array_equal(f.get_tensor(1), np.array([[1.5, 2.5, -1.0]], np.float32))


def test_quantize_errors():
    m = tfl.Model(str(DIGITS))
    m.allocate_tensors()
    with pytest.raises(ValueError, match="64 elements"):
        m.quantize(0, np.zeros(10))
    with pytest.raises(ValueError, match="constant"):
        m.quantize(5, np.zeros(32 * 3 * 3 * 16))
    f = tfl.Model(str(MULTI))
    f.allocate_tensors()
    with pytest.raises(ValueError, match="int32 cannot be quantized"):
        f.quantize(0, np.zeros((1, 3)))


# ---- images and classify --------------------------------------------------------------

@vision
def test_load_image():
    img = tfl.load_image(SAMPLES[0])
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] in (1, 3)
    assert np.array_equal(tfl.load_image(SAMPLES[0].read_bytes()), img)
    with pytest.raises(ValueError):
        tfl.load_image(b"not an image")
    with pytest.raises(ValueError):
        tfl.load_image("/nonexistent.png")


@vision
def test_classify_digits():
    m = tfl.Model(str(require_runs(DIGITS)))
    for path in SAMPLES:
        top = m.classify(path, top_k=3)
        assert len(top) == 3
        assert top[0].label == path.name.split("_")[0]
        assert top[0].index == LABELS.index(top[0].label)
        assert top[0].score >= top[1].score >= top[2].score
        assert isinstance(top[0].score, float) and isinstance(top[0].index, int)


@vision
def test_classify_inputs_agree():
    """A path, encoded bytes, a PIL image and a pixel array give the same
    input tensor; an array already shaped like the input goes in as it is."""
    Image = pytest.importorskip("PIL.Image")
    m = tfl.Model(str(require_runs(DIGITS)))
    path = SAMPLES[0]
    m.set_image(path)
    want = m.get_tensor(0)
    for source in (str(path), path.read_bytes(), Image.open(path), tfl.load_image(path),
                   tfl.load_image(path)[:, :, 0]):
        m.set_image(source)
        assert m.get_tensor(0).tobytes() == want.tobytes(), type(source)
    ready = np.arange(64, dtype=np.int8).reshape(8, 8, 1)
    m.set_image(ready)
    assert m.get_tensor(0).tobytes() == ready.tobytes()
    with pytest.raises(ValueError, match="uint8"):
        m.set_image(np.zeros((32, 32), np.float32))


@vision
def test_classify_matches_litert_on_the_same_input(litert):
    """classify's scores are LiteRT's on the tensor tfl's pipeline made."""
    path = require_runs(shared("models", "mobilenet_v1_0.25_224_quant_metadata.tflite"))
    image = shared("images", "burger.jpg")
    m = tfl.Model(str(path))
    m.set_image(image)
    x = m.get_tensor(m.get_input_details()[0]["index"])
    top = m.classify(image, top_k=5)
    assert top[0].label == "cheeseburger"
    ref = litert_interpreter(litert, path)
    ref.allocate_tensors()
    ref.set_tensor(ref.get_input_details()[0]["index"], x)
    ref.invoke()
    out = ref.get_output_details()[0]
    scale, zp = out["quantization"]
    scores = (ref.get_tensor(out["index"])[0].astype(np.float32) - zp) * np.float32(scale)
    assert [c.index for c in top] == list(np.argsort(-scores, kind="stable")[:5])
    assert [c.score for c in top] == [float(scores[c.index]) for c in top]


@vision
def test_classify_float_model_and_labels_argument(tmp_path):
    path = require_runs(shared("models", "mobilenet_v1_0.25_224_float.tflite"))
    labels = shared("labels", "imagenet_1001_labels.txt")
    m = tfl.Model(str(path))
    assert m.labels() == []
    top = m.classify(shared("images", "burger.jpg"), top_k=1, labels=labels, mean=127.5,
                     std=127.5)
    assert top[0].label == "cheeseburger"
    # Without metadata or mean/std a float input gets raw pixels, with a warning
    # (as `tfl classify` does), and without labels indices read "class N".
    with pytest.warns(UserWarning, match="no normalization for its float32 input"):
        top = m.classify(shared("images", "burger.jpg"), top_k=1)
    assert top[0].label == "class %d" % top[0].index
    with pytest.raises(ValueError, match="std nonzero"):
        m.classify(shared("images", "burger.jpg"), mean=1, std=0)


# ---- unsupported ops ----------------------------------------------------------------

def test_unsupported_ops():
    assert tfl.unsupported_ops(model_path=DIGITS) == []
    assert tfl.unsupported_ops(model_content=DIGITS.read_bytes()) == []
    with pytest.raises(ValueError):
        tfl.unsupported_ops(model_path="/nonexistent.tflite")


# ---- builds without the image part ----------------------------------------------------------

def test_without_vision_errors_are_clear(monkeypatch, tmp_path):
    monkeypatch.setattr(_lib.lib, "has_vision", False)
    for call in (lambda: tfl.load_image(SAMPLES[0]),
                 lambda: tfl.Model(str(DIGITS)).classify(SAMPLES[0])):
        with pytest.raises(RuntimeError, match="built without its image part"):
            call()
    # Labels still work, parsed in Python.
    assert tfl.Model(str(DIGITS)).labels() == LABELS
    p = tmp_path / "l.json"
    p.write_text(json.dumps({"0": "a", "2": "c"}))
    assert tfl.load_labels(p) == ["a", "class 1", "c"]
    # A tensor-shaped array needs no image code.
    m = tfl.Model(str(DIGITS))
    assert len(m.classify(np.zeros((1, 8, 8, 1), np.int8), top_k=2)) == 2
