"""Typical user scripts, run unchanged except for the import line.

Each script below is written for LiteRT (`import ai_edge_litert.interpreter
as tflite`). The test runs it with LiteRT (its reference kernels, see
_litert_ref), then again with only that line changed to
`import tfl.interpreter as tflite`, and compares what the two runs printed
and the `result` they left behind.
"""
import contextlib
import io
import json
import sys
import textwrap
import types

import numpy as np
import pytest

from conftest import DIGITS, HERE, SHARED, assert_same_value, require_runs

LITERT_IMPORT = "import ai_edge_litert.interpreter as tflite"
TFL_IMPORT = "import tfl.interpreter as tflite"


def run_script(source, **inputs):
    """Runs `source` with the given globals; returns (stdout, result)."""
    out = io.StringIO()
    env = dict(inputs)
    with contextlib.redirect_stdout(out):
        exec(compile(textwrap.dedent(source), "<script>", "exec"), env)
    return out.getvalue(), env.get("result")


def _litert_ref():
    """ai_edge_litert.interpreter with BUILTIN_REF as the default resolver:
    LiteRT's reference kernels, the ones tfl matches byte for byte (its
    default XNNPACK kernels round differently in places)."""
    litert = pytest.importorskip("ai_edge_litert.interpreter")
    mod = types.ModuleType("litert_ref")
    mod.__dict__.update(litert.__dict__)

    class Interpreter(litert.Interpreter):
        def __init__(self, *args, **kw):
            kw.setdefault("experimental_op_resolver_type", litert.OpResolverType.BUILTIN_REF)
            super().__init__(*args, **kw)

    mod.Interpreter = Interpreter
    sys.modules["litert_ref"] = mod
    return "import litert_ref as tflite"


def check_both(source, float_tol=None, **inputs):
    """Runs the script on LiteRT's reference kernels and on tfl: the same
    printout and result. float_tol: a float model, whose SIMD kernels may
    move a value in its last bits (fused multiply-adds), so the printed
    "score: label" lines match in their labels and within float_tol in their
    scores, and the result array within a relative 1e-4."""
    source = textwrap.dedent(source)
    assert LITERT_IMPORT in source
    want_out, want = run_script(source.replace(LITERT_IMPORT, _litert_ref()), **inputs)
    got_out, got = run_script(source.replace(LITERT_IMPORT, TFL_IMPORT), **inputs)
    if float_tol is None:
        assert got_out == want_out
        assert_same_value(got, want, "result")
        return got_out, got
    got_lines, want_lines = got_out.splitlines(), want_out.splitlines()
    assert len(got_lines) == len(want_lines), f"{got_out!r} vs LiteRT {want_out!r}"
    for g, w in zip(got_lines, want_lines):
        gs, gl = g.split(": ", 1)
        ws, wl = w.split(": ", 1)
        assert gl == wl and abs(float(gs) - float(ws)) <= float_tol, f"{g!r} vs LiteRT {w!r}"
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.allclose(got, want, rtol=1e-4, atol=1e-6), f"result {got!r}, LiteRT {want!r}"
    return got_out, got


# The classic label_image.py from the TensorFlow Lite examples.
LABEL_IMAGE = """
import numpy as np
from PIL import Image
import ai_edge_litert.interpreter as tflite

def load_labels(filename):
    with open(filename, 'r') as f:
        return [line.strip() for line in f.readlines()]

interpreter = tflite.Interpreter(model_path=model_file, num_threads=2)
interpreter.allocate_tensors()
input_details = interpreter.get_input_details()
output_details = interpreter.get_output_details()

floating_model = input_details[0]['dtype'] == np.float32
height = input_details[0]['shape'][1]
width = input_details[0]['shape'][2]
img = Image.open(image_file).convert('RGB').resize((width, height))
input_data = np.expand_dims(img, axis=0)
if floating_model:
    input_data = (np.float32(input_data) - 127.5) / 127.5

interpreter.set_tensor(input_details[0]['index'], input_data)
interpreter.invoke()
output_data = interpreter.get_tensor(output_details[0]['index'])
results = np.squeeze(output_data)
top_k = results.argsort()[-5:][::-1]
labels = load_labels(label_file)
for i in top_k:
    if floating_model:
        print('{:08.6f}: {}'.format(float(results[i]), labels[i]))
    else:
        print('{:08.6f}: {}'.format(float(results[i] / 255.0), labels[i]))
result = output_data
"""


@pytest.mark.parametrize("model,image", [
    ("mobilenet_v1_0.25_224_quant_metadata.tflite", "burger.jpg"),
    ("mobilenet_v1_0.25_224_float.tflite", "grace_hopper.bmp"),
    ("mobilenet_v2_1.0_224_quant.tflite", "cat.bmp"),
])
def test_label_image(model, image):
    model_file = require_runs(SHARED / "models" / model)
    image_file = SHARED / "images" / image
    label_file = SHARED / "labels" / "imagenet_1001_labels.txt"
    if not image_file.is_file() or not label_file.is_file():
        pytest.skip("shared images/labels absent")
    float_tol = 2e-6 if "float" in model else None  # six printed decimals
    out, _ = check_both(LABEL_IMAGE, float_tol=float_tol, model_file=str(model_file),
                        image_file=str(image_file), label_file=str(label_file))
    assert len(out.splitlines()) == 5


# int8 in, int8 out: quantize the input and dequantize the output by hand
# with the details' "quantization" pair.
DIGITS_INT8 = """
import numpy as np
from PIL import Image
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
inp = interpreter.get_input_details()[0]
out = interpreter.get_output_details()[0]
labels = [l.strip() for l in open(label_file)]

result = []
for path in images:
    h, w = inp["shape"][1], inp["shape"][2]
    x = np.asarray(Image.open(path).convert("L").resize((w, h)), dtype=np.float32) / 255.0
    scale, zero_point = inp["quantization"]
    q = np.clip(np.round(x / scale + zero_point), -128, 127).astype(inp["dtype"])
    interpreter.set_tensor(inp["index"], q[np.newaxis, :, :, np.newaxis])
    interpreter.invoke()
    scale, zero_point = out["quantization"]
    raw = interpreter.get_tensor(out["index"])[0]
    probs = (raw.astype(np.float32) - zero_point) * scale
    best = int(np.argmax(probs))
    print(path.split("/")[-1], labels[best], "%.4f" % probs[best])
    result.append(probs)
"""


def test_digits_int8_by_hand():
    images = sorted(str(p) for p in (DIGITS.parent).glob("*.png"))
    out, _ = check_both(DIGITS_INT8, model_file=str(require_runs(DIGITS)),
                        label_file=str(DIGITS.parent / "labels.txt"), images=images)
    # The bundled samples are named after their digit.
    for line in out.splitlines():
        name, label, _ = line.split()
        assert name.startswith(label + "_"), line


# uint8 output dequantized with quantization_parameters.
UINT8_DEQUANT = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
inp = interpreter.get_input_details()[0]
rng = np.random.default_rng(3)
interpreter.set_tensor(inp["index"], rng.integers(0, 256, size=inp["shape"], dtype=np.uint8))
interpreter.invoke()
out = interpreter.get_output_details()[0]
qp = out["quantization_parameters"]
raw = interpreter.get_tensor(out["index"])
real = (raw.astype(np.float32) - qp["zero_points"][0]) * qp["scales"][0]
print(out["dtype"].__name__, raw.dtype, real.dtype, real.shape, float(real.sum()))
result = real
"""


def test_uint8_output_dequantized():
    path = SHARED / "models" / "mobilenet_v1_0.25_128_quant.tflite"
    check_both(UINT8_DEQUANT, model_file=str(require_runs(path)))


# Several inputs and outputs, looked up by name.
MULTI_IO = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
inputs = {d["name"]: d for d in interpreter.get_input_details()}
outputs = interpreter.get_output_details()
interpreter.set_tensor(inputs["serving_default_x:0"]["index"],
                       np.array([[0.5, -1.0, 2.0]], dtype=np.float32))
interpreter.set_tensor(inputs["serving_default_y:0"]["index"],
                       np.array([[1, 2, 3]], dtype=np.int32))
interpreter.invoke()
result = {}
for d in outputs:
    result[d["name"]] = interpreter.get_tensor(d["index"])
    print(d["name"], d["shape"], result[d["name"]])
"""


def test_multiple_inputs_and_outputs():
    _, result = check_both(MULTI_IO, model_file=str(HERE / "models" / "multi_io.tflite"))
    assert sorted(np.concatenate([v.ravel() for v in result.values()]).tolist()) == \
        sorted([1.5, 1.0, 5.0, 0.0, -3.0, 3.0])


MULTI_INPUT_SHARED = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
rng = np.random.default_rng(11)
for d in interpreter.get_input_details():
    if d["dtype"] == np.float32:
        x = rng.uniform(-1, 1, size=d["shape"]).astype(np.float32)
    else:
        info = np.iinfo(d["dtype"])
        x = rng.integers(info.min, info.max, size=d["shape"], dtype=d["dtype"], endpoint=True)
    interpreter.set_tensor(d["index"], x)
interpreter.invoke()
result = [interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()]
print(len(result), [r.shape for r in result])
"""


@pytest.mark.parametrize("model", ["traffic_model_multi_input.tflite",
                                   "simple_add_two_inputs.tflite",
                                   "ssd_mobilenet_v1_coco_quant_metadata.tflite"])
def test_shared_multi_io(model):
    check_both(MULTI_INPUT_SHARED, model_file=str(require_runs(SHARED / "models" / model)))


# Labels from a text file and from a JSON map, as scripts read them.
LABELS = """
import json
import numpy as np
import ai_edge_litert.interpreter as tflite

with open(json_labels) as f:
    names = {int(k): v for k, v in json.load(f).items()}
with open(text_labels) as f:
    lines = f.read().splitlines()

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
inp = interpreter.get_input_details()[0]
interpreter.set_tensor(inp["index"], np.full(inp["shape"], 40, dtype=inp["dtype"]))
interpreter.invoke()
scores = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])[0]
order = np.argsort(-scores.astype(np.int32), kind="stable")[:3]
result = [(int(i), names[int(i)], lines[int(i)], int(scores[i])) for i in order]
print(result)
"""


def test_labels_text_and_json(tmp_path):
    text = DIGITS.parent / "labels.txt"
    lines = text.read_text().splitlines()
    js = tmp_path / "labels.json"
    js.write_text(json.dumps({str(i): name for i, name in enumerate(lines)}))
    check_both(LABELS, model_file=str(require_runs(DIGITS)), json_labels=str(js),
               text_labels=str(text))


# tensor() views: fill the input in place, read the output in place.
VIEWS = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
input = interpreter.tensor(interpreter.get_input_details()[0]["index"])
output = interpreter.tensor(interpreter.get_output_details()[0]["index"])
result = []
for i in range(4):
    input().fill(i * 30 - 60)
    input()[0, 2:5, 3, 0] = 100
    interpreter.invoke()
    result.append(output().copy())
    print("inference %d: %s" % (i, output()))
"""


def test_tensor_views():
    check_both(VIEWS, model_file=str(require_runs(DIGITS)))


# Resizing the batch dimension.
RESIZE = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
for d in interpreter.get_input_details():
    interpreter.resize_tensor_input(d["index"], [4, 3], strict=True)
interpreter.allocate_tensors()
x = np.arange(12, dtype=np.float32).reshape(4, 3) / 4
y = np.arange(12, dtype=np.int32).reshape(4, 3)
for d in interpreter.get_input_details():
    interpreter.set_tensor(d["index"], x if d["dtype"] == np.float32 else y)
interpreter.invoke()
result = {d["name"]: (d["shape"], d["shape_signature"], interpreter.get_tensor(d["index"]))
          for d in interpreter.get_output_details()}
print(result)
interpreter.resize_tensor_input(interpreter.get_input_details()[0]["index"], [1, 3])
interpreter.resize_tensor_input(interpreter.get_input_details()[1]["index"], [1, 3])
interpreter.allocate_tensors()
print([d["shape"] for d in interpreter.get_output_details()])
"""


def test_resize_inputs():
    check_both(RESIZE, model_file=str(HERE / "models" / "multi_io.tflite"))


# Signature runners.
SIGNATURES = """
import numpy as np
import ai_edge_litert.interpreter as tflite

with open(model_file, "rb") as f:
    interpreter = tflite.Interpreter(model_content=f.read())
print(interpreter.get_signature_list())
add = interpreter.get_signature_runner("add")
scale = interpreter.get_signature_runner("scale")
print(list(add.get_input_details()), list(scale.get_output_details()))
result = [add(a=np.array([1.0, 2.0], np.float32), b=np.array([10.0, 20.0], np.float32)),
          scale(v=np.arange(5, dtype=np.float32)),
          scale(v=np.arange(2, dtype=np.float32))]
print(result)
"""


def test_signature_runners():
    check_both(SIGNATURES, model_file=str(HERE / "models" / "two_signatures.tflite"))


SIGNATURE_DEFAULT = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
runner = interpreter.get_signature_runner()
x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
result = runner(x=x, y=np.ones((2, 3), np.int32))
print(sorted(result), runner.get_output_details()["sum"]["shape"])
"""


def test_default_signature_runner():
    check_both(SIGNATURE_DEFAULT, model_file=str(HERE / "models" / "multi_io.tflite"))


# Looking at every tensor.
ALL_TENSORS = """
import numpy as np
import ai_edge_litert.interpreter as tflite

interpreter = tflite.Interpreter(model_path=model_file)
interpreter.allocate_tensors()
n = len(interpreter.get_input_details()) + len(interpreter.get_output_details())
for d in interpreter.get_tensor_details()[:40]:
    q = d["quantization_parameters"]
    print(d["index"], d["name"], d["shape"], d["dtype"].__name__, d["quantization"],
          q["scales"][:3], q["zero_points"][:3], q["quantized_dimension"])
result = n
"""


@pytest.mark.parametrize("model", ["digits", "mobilenet_v1_0.25_224_quant_metadata.tflite"])
def test_tensor_details_listing(model):
    path = DIGITS if model == "digits" else SHARED / "models" / model
    check_both(ALL_TENSORS, model_file=str(require_runs(path)))
