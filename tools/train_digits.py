#!/usr/bin/env python3
"""Trains tfl's bundled example model, a tiny int8 CNN for 8x8 handwritten digits.

Writes examples/digits/: digits_int8.tflite (with TFLite Metadata and labels.txt
packed in), labels.txt, sample PNGs from the held-out test split, and README.md
with the accuracies this script measured. This is a tool developers run by hand;
the build never runs it. Needs tensorflow, ai-edge-litert, scikit-learn, pillow,
flatbuffers, and optionally tflite-support for the official metadata writer
(wheels up to Python 3.11; on Linux it needs libusb-1.0-0). Without it a
built-in writer makes the same metadata.

    python3 -m venv .venv-tools && .venv-tools/bin/pip install tensorflow \
        ai-edge-litert scikit-learn pillow flatbuffers tflite-support
    .venv-tools/bin/python tools/train_digits.py

Everything is seeded, so a rerun gives a model of the same quality (the bytes may
still differ across CPUs or TensorFlow versions).
"""

import argparse
import contextlib
import io
import os
import pathlib
import random
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

SEED = 20240607
LABELS = ["zero", "one", "two", "three", "four",
          "five", "six", "seven", "eight", "nine"]
IMAGE_SIZE = 8          # model input is 1x8x8x1, the dataset's native size
SAMPLE_SIZE = 32        # sample PNGs are upscaled so tfl's resize has work to do
NUM_SAMPLES = 6
NORM_MEAN, NORM_STD = 0.0, 255.0   # float input = (pixel - mean) / std, in [0, 1]

MODEL_NAME = "tfl digits classifier"
MODEL_VERSION = "1.0"
MODEL_AUTHOR = "tfl developers"
MODEL_LICENSE = "Apache-2.0"
MODEL_DESCRIPTION = (
    "Classifies an 8x8 grayscale image of a handwritten digit (white ink on a "
    "black background) into the ten classes zero..nine. A small int8 CNN trained "
    "by tools/train_digits.py of the tfl project on scikit-learn's bundled digits "
    "data set (a copy of the UCI optical recognition of handwritten digits data).")
INPUT_DESCRIPTION = (
    "8x8 grayscale image, white ink on black. A pixel p in 0..255 is normalized to "
    "(p - 0) / 255 in [0, 1], then quantized with this tensor's scale and zero "
    "point.")
OUTPUT_DESCRIPTION = (
    "Probability of each of the ten classes (quantized softmax), in the order of "
    "labels.txt.")
LABELS_DESCRIPTION = "Class names, one per line, in output index order."

REPO = pathlib.Path(__file__).resolve().parent.parent


def seed_everything(seed):
    import tensorflow as tf
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def load_data():
    """Returns (train_pixels, train_labels, test_pixels, test_labels, test_index).

    Pixels are uint8 images Nx8x8: the dataset's 0..16 ink levels scaled to
    0..255 (round half up), so training sees exactly what a PNG round trip gives.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    pixels = np.floor(digits.images * (255.0 / 16.0) + 0.5).astype(np.uint8)
    index = np.arange(len(pixels))
    tr, te = train_test_split(index, test_size=0.2, stratify=digits.target,
                              random_state=SEED)
    return pixels[tr], digits.target[tr], pixels[te], digits.target[te], te


def to_float(pixels):
    """uint8 Nx8x8 -> float32 Nx8x8x1 in [0, 1], the model's float semantics."""
    return ((pixels.astype(np.float32) - NORM_MEAN) / NORM_STD)[..., None]


def build_model(batch_size=None):
    """~6k parameters. 8x8 is kept (upscaling adds no information, only cost):
    two pooling steps take it to 2x2, and two 3x3 layers before the first pool
    already see 5x5 of the 8x8 image."""
    import tensorflow as tf
    L = tf.keras.layers
    return tf.keras.Sequential([
        L.Input((IMAGE_SIZE, IMAGE_SIZE, 1), batch_size=batch_size, name="image"),
        L.Conv2D(16, 3, padding="same", activation="relu"),        # CONV_2D
        L.DepthwiseConv2D(3, padding="same", activation="relu"),   # DEPTHWISE_CONV_2D
        L.MaxPooling2D(2),                                         # MAX_POOL_2D
        L.Conv2D(32, 3, padding="same", activation="relu"),        # CONV_2D
        L.AveragePooling2D(2),                                     # AVERAGE_POOL_2D
        L.Flatten(),                                               # RESHAPE
        L.Dropout(0.25),
        L.Dense(10),                                               # FULLY_CONNECTED
        L.Softmax(),                                               # SOFTMAX
    ])


def train(x_train, y_train, epochs):
    import tensorflow as tf
    model = build_model()
    model.compile(optimizer=tf.keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, shuffle=True,
              verbose=0)
    return model


def convert(model, x_calib, quantize):
    """Keras model -> .tflite bytes. quantize: full int8 (int8 input and output
    too), calibrated on training images. The weights move to a copy with batch
    size 1: with a free batch dimension Flatten becomes SHAPE, STRIDED_SLICE,
    PACK, RESHAPE instead of one RESHAPE."""
    import tensorflow as tf
    fixed = build_model(batch_size=1)
    fixed.set_weights(model.get_weights())
    conv = tf.lite.TFLiteConverter.from_keras_model(fixed)
    if quantize:
        def representative():
            for x in x_calib:
                yield [x[None]]
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()):   # Keras lists the export
        return bytes(conv.convert())


def interpreter(model_bytes):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_content=model_bytes,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    return it


def quantize_input(pixels, scale, zero_point):
    """uint8 8x8 -> int8 like tfl's image pipeline (src/vision/preprocess.c):
    normalize, quantize rounding half away from zero, saturate."""
    x = (pixels.astype(np.float64) - NORM_MEAN) / NORM_STD / scale
    q = np.sign(x) * np.floor(np.abs(x) + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def predict(model_bytes, pixels):
    """Runs every image through LiteRT's reference kernels; returns the raw
    outputs (N x 10, the output tensor's dtype)."""
    it = interpreter(model_bytes)
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    outs = []
    for p in pixels:
        if inp["dtype"] == np.int8:
            scale, zp = inp["quantization"]
            x = quantize_input(p, scale, zp)[None, ..., None]
        else:
            x = to_float(p[None])
        it.set_tensor(inp["index"], x)
        it.invoke()
        outs.append(it.get_tensor(out["index"])[0].copy())
    return np.stack(outs)


def accuracy(model_bytes, pixels, labels):
    return float(np.mean(np.argmax(predict(model_bytes, pixels), 1) == labels))


def quant_range(scale, zero_point, lo, hi):
    """The int8 values that float lo and hi quantize to (for Stats)."""
    q = [np.clip(np.round(v / scale) + zero_point, -128, 127) for v in (lo, hi)]
    return float(q[0]), float(q[1])


def metadata_spec(model_bytes):
    """Everything the metadata says, as plain values, shared by both writers."""
    it = interpreter(model_bytes)
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    return dict(
        in_stats=quant_range(*inp["quantization"], 0.0, 1.0),
        out_stats=quant_range(*out["quantization"], 0.0, 1.0),
    )


# --- metadata, official writer (tflite-support) --------------------------------

def official_metadata_modules():
    """Imports tflite-support's metadata modules, or returns None.

    The tflite_support package itself is not imported: its __init__ pulls in the
    Task library, whose protobuf and pybind modules clash with TensorFlow's. The
    metadata modules underneath import cleanly (their C extension needs
    libusb-1.0.so.0 on Linux: apt-get install libusb-1.0-0)."""
    try:
        from tensorflow_lite_support.metadata import metadata_schema_py_generated as mfb
        from tensorflow_lite_support.metadata.python import metadata
        return mfb, metadata
    except Exception as e:  # ImportError, or a missing shared library
        print(f"tflite-support metadata modules unavailable ({e}); "
              "using the built-in writer", file=sys.stderr)
        return None


def official_metadata_object(mfb, spec):
    """ModelMetadataT tree with the official generated object API."""
    img = mfb.ImagePropertiesT()
    img.colorSpace = mfb.ColorSpaceType.GRAYSCALE
    img.defaultSize = mfb.ImageSizeT()
    img.defaultSize.width = IMAGE_SIZE
    img.defaultSize.height = IMAGE_SIZE
    norm = mfb.ProcessUnitT()
    norm.optionsType = mfb.ProcessUnitOptions.NormalizationOptions
    norm.options = mfb.NormalizationOptionsT()
    norm.options.mean = [NORM_MEAN]
    norm.options.std = [NORM_STD]
    tin = mfb.TensorMetadataT()
    tin.name = "image"
    tin.description = INPUT_DESCRIPTION
    tin.content = mfb.ContentT()
    tin.content.contentPropertiesType = mfb.ContentProperties.ImageProperties
    tin.content.contentProperties = img
    tin.processUnits = [norm]
    tin.stats = mfb.StatsT()
    tin.stats.min, tin.stats.max = [spec["in_stats"][0]], [spec["in_stats"][1]]

    labels = mfb.AssociatedFileT()
    labels.name = "labels.txt"
    labels.description = LABELS_DESCRIPTION
    labels.type = mfb.AssociatedFileType.TENSOR_AXIS_LABELS
    tout = mfb.TensorMetadataT()
    tout.name = "probability"
    tout.description = OUTPUT_DESCRIPTION
    tout.content = mfb.ContentT()
    tout.content.contentPropertiesType = mfb.ContentProperties.FeatureProperties
    tout.content.contentProperties = mfb.FeaturePropertiesT()
    tout.stats = mfb.StatsT()
    tout.stats.min, tout.stats.max = [spec["out_stats"][0]], [spec["out_stats"][1]]
    tout.associatedFiles = [labels]

    sg = mfb.SubGraphMetadataT()
    sg.inputTensorMetadata = [tin]
    sg.outputTensorMetadata = [tout]
    md = mfb.ModelMetadataT()
    md.name = MODEL_NAME
    md.description = MODEL_DESCRIPTION
    md.version = MODEL_VERSION
    md.author = MODEL_AUTHOR
    md.license = MODEL_LICENSE
    md.subgraphMetadata = [sg]
    return md


def add_metadata_official(modules, model_bytes, spec, labels_path):
    import flatbuffers
    mfb, metadata = modules
    b = flatbuffers.Builder(0)
    b.Finish(official_metadata_object(mfb, spec).Pack(b), b"M001")
    pop = metadata.MetadataPopulator.with_model_buffer(model_bytes)
    pop.load_metadata_buffer(b.Output())   # also sets min_parser_version
    pop.load_associated_files([str(labels_path)])
    pop.populate()
    # The populator stamps the zip entry with the current time; re-append the
    # same file with a fixed one so that reruns give identical bytes.
    return append_zip(strip_zip(bytes(pop.get_model_buffer())), labels_path)


# --- metadata, built-in writer (flatbuffers + zipfile) -------------------------
# Follows tflite-support's metadata_schema.fbs: a table's field id is its position
# in the table; a union takes two ids (its _type, then the value).

MIN_PARSER_VERSION = "1.0.0"   # no field used here is newer than metadata 1.0.0
ASSOC_TENSOR_AXIS_LABELS = 2
COLOR_GRAYSCALE = 2
CONTENT_FEATURE, CONTENT_IMAGE = 1, 2          # ContentProperties union tags
PROCESS_NORMALIZATION = 1                      # ProcessUnitOptions union tag


def _table(b, fields):
    """fields: [(slot, kind, value)], kind in 'off' 'u8' 'u32'."""
    b.StartObject(max(s for s, _, _ in fields) + 1)
    for slot, kind, value in fields:
        if kind == "off":
            b.PrependUOffsetTRelativeSlot(slot, value, 0)
        elif kind == "u8":
            b.PrependUint8Slot(slot, value, 0)
        else:
            b.PrependUint32Slot(slot, value, 0)
    return b.EndObject()


def _vec(b, offsets):
    b.StartVector(4, len(offsets), 4)
    for o in reversed(offsets):
        b.PrependUOffsetTRelative(o)
    return b.EndVector()


def _fvec(b, values):
    return b.CreateNumpyVector(np.asarray(values, np.float32))


def own_metadata_buffer(spec):
    import flatbuffers
    b = flatbuffers.Builder(0)
    s = b.CreateString
    stats_in = _table(b, [(0, "off", _fvec(b, [spec["in_stats"][1]])),
                          (1, "off", _fvec(b, [spec["in_stats"][0]]))])
    norm = _table(b, [(0, "off", _fvec(b, [NORM_MEAN])),
                      (1, "off", _fvec(b, [NORM_STD]))])
    unit = _table(b, [(0, "u8", PROCESS_NORMALIZATION), (1, "off", norm)])
    size = _table(b, [(0, "u32", IMAGE_SIZE), (1, "u32", IMAGE_SIZE)])
    img = _table(b, [(0, "u8", COLOR_GRAYSCALE), (1, "off", size)])
    content_in = _table(b, [(0, "u8", CONTENT_IMAGE), (1, "off", img)])
    t_in = _table(b, [(0, "off", s("image")), (1, "off", s(INPUT_DESCRIPTION)),
                      (3, "off", content_in), (4, "off", _vec(b, [unit])),
                      (5, "off", stats_in)])

    labels = _table(b, [(0, "off", s("labels.txt")),
                        (1, "off", s(LABELS_DESCRIPTION)),
                        (2, "u8", ASSOC_TENSOR_AXIS_LABELS)])
    stats_out = _table(b, [(0, "off", _fvec(b, [spec["out_stats"][1]])),
                           (1, "off", _fvec(b, [spec["out_stats"][0]]))])
    b.StartObject(0)
    feature = b.EndObject()
    content_out = _table(b, [(0, "u8", CONTENT_FEATURE), (1, "off", feature)])
    t_out = _table(b, [(0, "off", s("probability")),
                       (1, "off", s(OUTPUT_DESCRIPTION)),
                       (3, "off", content_out), (5, "off", stats_out),
                       (6, "off", _vec(b, [labels]))])

    sg = _table(b, [(2, "off", _vec(b, [t_in])), (3, "off", _vec(b, [t_out]))])
    md = _table(b, [(0, "off", s(MODEL_NAME)), (1, "off", s(MODEL_DESCRIPTION)),
                    (2, "off", s(MODEL_VERSION)), (3, "off", _vec(b, [sg])),
                    (4, "off", s(MODEL_AUTHOR)), (5, "off", s(MODEL_LICENSE)),
                    (7, "off", s(MIN_PARSER_VERSION))])
    b.Finish(md, b"M001")
    return bytes(b.Output())


def add_metadata_own(model_bytes, spec, labels_path):
    """Model gets a buffer holding the metadata flatbuffer and a Model.metadata
    entry "TFLITE_METADATA" naming it (other entries, like min_runtime_version,
    stay); labels.txt follows the model as a zip archive of stored entries."""
    from tensorflow.lite.python import schema_py_generated as sfb
    from tensorflow.lite.tools import flatbuffer_utils
    model = flatbuffer_utils.read_model_from_bytearray(model_bytes)
    buf = sfb.BufferT()
    buf.data = np.frombuffer(own_metadata_buffer(spec), np.uint8)
    model.buffers.append(buf)
    entry = sfb.MetadataT()
    entry.name = "TFLITE_METADATA"
    entry.buffer = len(model.buffers) - 1
    model.metadata = [m for m in (model.metadata or [])
                      if m.name.decode() != "TFLITE_METADATA"] + [entry]
    return append_zip(flatbuffer_utils.convert_object_to_bytearray(model),
                      labels_path)


def append_zip(model_bytes, labels_path):
    """model_bytes (without any zip) + a zip holding labels.txt, stored. As with
    tflite-support, offsets in the zip count from the start of the file. The
    entry's timestamp is fixed so reruns give identical bytes."""
    out = io.BytesIO(model_bytes)
    out.seek(0, io.SEEK_END)
    info = zipfile.ZipInfo("labels.txt", date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr(info, pathlib.Path(labels_path).read_bytes())
    return out.getvalue()


def strip_zip(model_bytes):
    """The model without the zip appended to it."""
    with zipfile.ZipFile(io.BytesIO(model_bytes)) as zf:
        return model_bytes[:min(i.header_offset for i in zf.infolist())]


# --- reading it back -----------------------------------------------------------

def metadata_entries(model_bytes):
    """{name: bytes} of Model.metadata, read with TensorFlow's schema."""
    from tensorflow.lite.tools import flatbuffer_utils
    model = flatbuffer_utils.read_model_from_bytearray(model_bytes)
    def data(i):
        d = model.buffers[i].data
        return b"" if d is None else np.asarray(d, np.uint8).tobytes()
    return {m.name.decode(): data(m.buffer) for m in (model.metadata or [])}


def without_tflite_metadata(model_bytes):
    """The model flatbuffer re-serialized without TFLITE_METADATA (and the
    buffer holding it, which writers append last), to compare graphs."""
    from tensorflow.lite.tools import flatbuffer_utils
    model = flatbuffer_utils.read_model_from_bytearray(model_bytes)
    keep = [m for m in model.metadata if m.name.decode() != "TFLITE_METADATA"]
    drop = [m.buffer for m in model.metadata if m.name.decode() == "TFLITE_METADATA"]
    if drop:
        assert drop == [len(model.buffers) - 1], "metadata buffer is not the last one"
        model.buffers = model.buffers[:-1]
    model.metadata = keep
    return flatbuffer_utils.convert_object_to_bytearray(model)


def _fb_str(t, slot):
    o = t.Offset(4 + 2 * slot)
    return t.String(o + t.Pos).decode() if o else None


def _fb_sub(t, slot):
    import flatbuffers
    o = t.Offset(4 + 2 * slot)
    return flatbuffers.table.Table(t.Bytes, t.Indirect(o + t.Pos)) if o else None


def _fb_subs(t, slot):
    import flatbuffers
    o = t.Offset(4 + 2 * slot)
    if not o:
        return []
    v = t.Vector(o)
    return [flatbuffers.table.Table(t.Bytes, t.Indirect(v + 4 * i))
            for i in range(t.VectorLen(o))]


def _fb_floats(t, slot):
    o = t.Offset(4 + 2 * slot)
    if not o:
        return []
    return np.frombuffer(t.Bytes, np.float32, t.VectorLen(o), t.Vector(o)).tolist()


def _fb_u8(t, slot):
    o = t.Offset(4 + 2 * slot)
    return t.Bytes[t.Pos + o] if o else 0


def check_metadata(model_bytes, labels):
    """Reads the metadata back with a minimal flatbuffer reader (independent of
    both writers) and checks every value this script put in."""
    import flatbuffers
    buf = metadata_entries(model_bytes)["TFLITE_METADATA"]
    assert buf[4:8] == b"M001", "metadata file identifier"
    md = flatbuffers.table.Table(bytearray(buf), int.from_bytes(buf[0:4], "little"))
    got = {k: _fb_str(md, s) for k, s in
           [("name", 0), ("description", 1), ("version", 2), ("author", 4),
            ("license", 5), ("min_parser_version", 7)]}
    assert got["name"] == MODEL_NAME and got["author"] == MODEL_AUTHOR
    assert got["license"] == MODEL_LICENSE and got["version"] == MODEL_VERSION
    (sg,) = _fb_subs(md, 3)
    (tin,), (tout,) = _fb_subs(sg, 2), _fb_subs(sg, 3)
    content = _fb_sub(tin, 3)
    assert _fb_u8(content, 0) == CONTENT_IMAGE
    img = _fb_sub(content, 1)
    assert _fb_u8(img, 0) == COLOR_GRAYSCALE
    (unit,) = _fb_subs(tin, 4)
    assert _fb_u8(unit, 0) == PROCESS_NORMALIZATION
    norm = _fb_sub(unit, 1)
    assert _fb_floats(norm, 0) == [NORM_MEAN] and _fb_floats(norm, 1) == [NORM_STD]
    (assoc,) = _fb_subs(tout, 6)
    assert _fb_str(assoc, 0) == "labels.txt"
    assert _fb_u8(assoc, 2) == ASSOC_TENSOR_AXIS_LABELS
    with zipfile.ZipFile(io.BytesIO(model_bytes)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["labels.txt"]
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert zf.read("labels.txt").decode().split() == labels
    got["input stats"] = (_fb_floats(_fb_sub(tin, 5), 1), _fb_floats(_fb_sub(tin, 5), 0))
    got["output stats"] = (_fb_floats(_fb_sub(tout, 5), 1), _fb_floats(_fb_sub(tout, 5), 0))
    return got


def canonical_metadata(mfb, model_bytes):
    """TFLITE_METADATA parsed and repacked by tflite-support's object API, so
    two writers' outputs compare equal when they say the same thing."""
    import flatbuffers
    t = mfb.ModelMetadataT.InitFromObj(mfb.ModelMetadata.GetRootAsModelMetadata(
        metadata_entries(model_bytes)["TFLITE_METADATA"], 0))
    b = flatbuffers.Builder(0)
    b.Finish(t.Pack(b), b"M001")
    return bytes(b.Output())


def add_metadata(writer, model_bytes, spec, labels_path):
    """Returns (model with metadata, which writer made it). With tflite-support
    available its output is kept, and the built-in writer is checked against it."""
    modules = None if writer == "builtin" else official_metadata_modules()
    if writer == "official" and modules is None:
        sys.exit("tflite-support is not usable here")
    own = add_metadata_own(model_bytes, spec, labels_path)
    if not modules:
        return own, "the script's built-in flatbuffers writer"
    final = add_metadata_official(modules, model_bytes, spec, labels_path)
    assert canonical_metadata(modules[0], final) == canonical_metadata(
        modules[0], own), "built-in metadata writer disagrees with tflite-support"
    shown = modules[1].MetadataDisplayer.with_model_buffer(final)
    assert shown.get_packed_associated_file_list() == ["labels.txt"]
    print(shown.get_metadata_json())
    return final, ("tflite-support's `MetadataPopulator` (metadata built with its "
                   "generated object API)")


# --- outputs -------------------------------------------------------------------

def op_table(model_bytes):
    """[(op name, version, input dtypes, output dtypes)] in execution order."""
    from tensorflow.lite.tools import flatbuffer_utils
    model = flatbuffer_utils.read_model_from_bytearray(model_bytes)
    versions = [model.operatorCodes[op.opcodeIndex].version
                for op in model.subgraphs[0].operators]
    it = interpreter(model_bytes)
    dtype = {t["index"]: np.dtype(t["dtype"]).name for t in it.get_tensor_details()}
    rows = []
    for op, ver in zip(it._get_ops_details(), versions):
        ins = [dtype[i] if i >= 0 else "-" for i in op["inputs"]]
        outs = [dtype[i] for i in op["outputs"]]
        rows.append((op["op_name"], ver, ins, outs))
    return rows


def pick_samples(test_pixels, test_labels, test_index):
    """The first test image of each class in test-split order, until there are
    NUM_SAMPLES: deterministic, and not chosen by how well the model does."""
    seen, picks = set(), []
    for p, y, i in zip(test_pixels, test_labels, test_index):
        if y not in seen:
            seen.add(y)
            picks.append((p, int(y), int(i)))
        if len(picks) == NUM_SAMPLES:
            break
    return picks


def write_png(path, pixels):
    from PIL import Image
    k = SAMPLE_SIZE // IMAGE_SIZE
    big = np.repeat(np.repeat(pixels, k, 0), k, 1)      # nearest-neighbour upscale
    Image.fromarray(big, mode="L").save(path, optimize=False)


def read_png_8x8(path):
    """A sample PNG read back and shrunk to 8x8 by area averaging (exact for
    the 4x4 blocks of an upscaled sample, as is a TFLite-style bilinear resize)."""
    from PIL import Image
    with Image.open(path) as im:
        assert im.mode == "L" and im.size == (SAMPLE_SIZE, SAMPLE_SIZE)
        return np.asarray(im.resize((IMAGE_SIZE, IMAGE_SIZE), Image.BOX))


def write_readme(path, r):
    ops = "\n".join(f"| {n} | {v} | {', '.join(i)} | {', '.join(o)} |"
                    for n, v, i, o in r["ops"])
    samples = "\n".join(f"| `{f}` | {i} | {LABELS[y]} | {LABELS[t]} |"
                        for f, y, i, t in r["samples"])
    path.write_text(f"""# digits: tfl's bundled example model

A tiny image classifier the project trained itself, so `make run` and the demos
work on a fresh machine with nothing downloaded. Everything here is generated by
[`tools/train_digits.py`](../../tools/train_digits.py); rerun it to regenerate
(needs TensorFlow; the build does not).

| file | what it is |
|---|---|
| `digits_int8.tflite` | the model ({r["size"]} bytes): fully int8-quantized CNN with TFLite Metadata and `labels.txt` packed in |
| `labels.txt` | the class names `zero`..`nine`, one per line, in output index order (same file as the one inside the model; for `--labels` demos) |
| `<label>_<n>.png` | test images: 8-bit grayscale {SAMPLE_SIZE}x{SAMPLE_SIZE}, the 8x8 digit upscaled by nearest neighbour (so the image pipeline's resize is exercised); `<label>` is the true class, `<n>` the image's index in `sklearn.datasets.load_digits()` |

## Data

scikit-learn's bundled `load_digits()`: 1797 images of 8x8 pixels with ink levels
0..16, ten classes. It is a copy of the test part of the UCI "Optical Recognition
of Handwritten Digits" data set (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0). Pixels
are scaled to 0..255 (`floor(v * 255 / 16 + 0.5)`), so digits are white ink on a
black background. A stratified split with a fixed seed keeps 20% ({r["n_test"]} images)
for testing; the model is trained and calibrated on the other {r["n_train"]}.

## Model

Input `1x8x8x1` int8, output `1x10` int8. Keras: Conv2D 16 3x3 relu, DepthwiseConv2D
3x3 relu, MaxPool 2x2, Conv2D 32 3x3 relu, AveragePool 2x2, Flatten, Dropout (training
only), Dense 10, Softmax; {r["params"]} parameters, trained with Adam for {r["epochs"]} epochs
(seed {SEED}). The input stays at the data's native 8x8: upscaling adds no
information, only work.

Converted with the TFLite converter to full int8: int8 weights (per-channel for
convolutions), int8 activations, `inference_input_type=tf.int8`,
`inference_output_type=tf.int8`, calibrated on the training images.

| op | version | input dtypes | output dtypes |
|---|---|---|---|
{ops}

## Input and output

Input tensor `{r["in_name"]}`, output tensor `{r["out_name"]}` (signature
`serving_default`). The model's float semantics: input = pixel / 255, in [0, 1];
the metadata says so with `NormalizationOptions` mean [{NORM_MEAN}], std [{NORM_STD}].
The input tensor is quantized with scale {r["in_q"][0]:.9g} (1/255) and zero point
{r["in_q"][1]}, so a pixel p in 0..255 becomes the int8 value
`round((p - 0) / 255 / scale) + zero_point` = p - 128. The output holds softmax
probabilities with scale {r["out_q"][0]:.9g} (1/256) and zero point {r["out_q"][1]}:
probability = (q + 128) / 256.

## Metadata

TFLite Metadata (tflite-support's `metadata_schema.fbs`, min parser version
{r["md"]["min_parser_version"]}), written with
{r["md_writer"]}:

- model: name "{MODEL_NAME}", a description, version "{MODEL_VERSION}",
  author "{MODEL_AUTHOR}", license "{MODEL_LICENSE}";
- input "image": `ImageProperties` (GRAYSCALE, default size 8x8),
  `NormalizationOptions` (mean [0.0], std [255.0]), `Stats` min {r["md"]["input stats"][0]}
  max {r["md"]["input stats"][1]} (the int8 values of float 0 and 1);
- output "probability": `FeatureProperties`, `Stats` min {r["md"]["output stats"][0]}
  max {r["md"]["output stats"][1]} (float 0 and 1, the latter saturated), and the
  associated file `labels.txt` of type `TENSOR_AXIS_LABELS`.

As TFLite Metadata does it, the metadata flatbuffer (file identifier `M001`) sits in
a model buffer named by the `Model.metadata` entry `TFLITE_METADATA`, and
`labels.txt` is in a zip archive appended to the model (stored, not compressed;
offsets count from the start of the file). The model's `Model.metadata` entries:
{r["entries"]}.

## Accuracy

Measured by the script on the {r["n_test"]} test images with `ai_edge_litert`
(`OpResolverType.BUILTIN_REF`, TFLite's reference kernels):

| model | top-1 accuracy |
|---|---|
| float32 (same network, not shipped) | {100 * r["acc_float"]:.2f}% |
| int8 (`digits_int8.tflite`) | {100 * r["acc_int8"]:.2f}% |

Sample images, run through the int8 model by the script:

| file | index | true label | int8 model's top-1 |
|---|---|---|---|
{samples}
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=pathlib.Path, default=REPO / "examples" / "digits")
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--metadata-writer", choices=["auto", "official", "builtin"],
                    default="auto", help="auto: tflite-support if it imports")
    args = ap.parse_args()

    seed_everything(SEED)
    tr_p, tr_y, te_p, te_y, te_i = load_data()
    x_train = to_float(tr_p)
    model = train(x_train, tr_y, args.epochs)
    float_model = convert(model, x_train, quantize=False)
    int8_model = convert(model, x_train, quantize=True)

    args.out.mkdir(parents=True, exist_ok=True)
    labels_path = args.out / "labels.txt"
    labels_path.write_text("\n".join(LABELS) + "\n")

    spec = metadata_spec(int8_model)
    final, md_writer = add_metadata(args.metadata_writer, int8_model, spec,
                                    labels_path)
    md = check_metadata(final, LABELS)
    # Adding metadata must not change the graph: same flatbuffer without it,
    # same outputs on every test image.
    assert without_tflite_metadata(final) == without_tflite_metadata(
        int8_model), "graph changed"
    raw = predict(final, te_p)
    assert np.array_equal(raw, predict(int8_model, te_p)), "outputs changed"

    acc_float = accuracy(float_model, te_p, te_y)
    acc_int8 = float(np.mean(np.argmax(raw, 1) == te_y))
    (args.out / "digits_int8.tflite").write_bytes(final)
    for f in args.out.glob("*_*.png"):
        f.unlink()
    samples = []
    for p, y, i in pick_samples(te_p, te_y, te_i):
        name = f"{LABELS[y]}_{i}.png"
        write_png(args.out / name, p)
        back = read_png_8x8(args.out / name)
        assert np.array_equal(back, p), f"{name} does not read back"
        top1 = int(np.argmax(predict(final, back[None])[0]))
        samples.append((name, y, i, top1))

    it = interpreter(final)
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    # What README.md states about the quantization.
    pix = np.arange(256).reshape(16, 16)
    assert np.array_equal(quantize_input(pix, *inp["quantization"]), pix - 128)
    assert out["quantization"] == (1 / 256, -128)
    r = dict(entries=", ".join(f"`{k}` ({len(v)} bytes)"
                               for k, v in metadata_entries(final).items()),
             in_name=inp["name"], out_name=out["name"], size=len(final),
             n_train=len(tr_p), n_test=len(te_p),
             params=model.count_params(), epochs=args.epochs, ops=op_table(final),
             in_q=inp["quantization"], out_q=out["quantization"], md=md,
             md_writer=md_writer, acc_float=acc_float, acc_int8=acc_int8,
             samples=samples)
    write_readme(args.out / "README.md", r)

    print(f"wrote {args.out}: model {len(final)} bytes, {r['params']} parameters")
    print(f"metadata written with {md_writer}; read back: min parser version "
          f"{md['min_parser_version']}, input stats {md['input stats']}, "
          f"output stats {md['output stats']}")
    for name, d in (("input ", inp), ("output", out)):
        print(f"{name} {d['dtype'].__name__} {d['shape'].tolist()} "
              f"scale {d['quantization'][0]:.9g} zero point {d['quantization'][1]}")
    for n, v, i, o in r["ops"]:
        print(f"  {n:<20} v{v}  in {i}  out {o}")
    print(f"test accuracy ({len(te_p)} images, LiteRT BUILTIN_REF): "
          f"float {100 * acc_float:.2f}%  int8 {100 * acc_int8:.2f}%")
    for name, y, i, t in samples:
        print(f"  {name:<16} expected {LABELS[y]:<6} top-1 {LABELS[t]:<6}"
              f"{'' if y == t else '  MISMATCH'}")


if __name__ == "__main__":
    main()
