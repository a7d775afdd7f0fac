"""tfl.Model: an Interpreter with the helpers scripts otherwise hand-write —
labels and metadata packed in the model, (de)quantization with the tensor's
own parameters, and image classification through tfl's C image pipeline.

    m = tfl.Model("mobilenet_v1_0.25_224_quant_metadata.tflite")
    for c in m.classify("cat.jpg", top_k=3):
        print(f"{c.score:.4f} {c.index} {c.label}")
"""
import collections
import ctypes
import json
import os
import re
import warnings

import numpy as np

from tfl._lib import OK, Error, Image, OpInfo, Preprocess, cstr, lib
from tfl.interpreter import Interpreter

__all__ = ["Model", "Category", "load_labels", "load_image", "unsupported_ops"]

Category = collections.namedtuple("Category", ["index", "score", "label"])
Category.__doc__ = "One classification result: class index, score (dequantized), label."

_CONTENT = {0: None, 1: "feature", 2: "image", 3: "bounding_box", 4: "audio"}
_FILE_TYPE = {0: "UNKNOWN", 1: "DESCRIPTIONS", 2: "TENSOR_AXIS_LABELS",
              3: "TENSOR_VALUE_LABELS", 4: "TENSOR_AXIS_SCORE_CALIBRATION", 5: "VOCABULARY",
              6: "SCANN_INDEX_FILE"}
_PROCESS = {0: None, 1: "normalization", 2: "score_calibration", 3: "score_thresholding",
            4: "bert_tokenizer", 5: "sentence_piece_tokenizer", 6: "regex_tokenizer"}
_COLOR = {0: "unknown", 1: "rgb", 2: "grayscale"}
_BOX = {0: "unknown", 1: "boundaries", 2: "upper_left", 3: "center"}
_SCORE_TRANSFORM = {0: "identity", 1: "log", 2: "inverse_logistic"}

_TYPE_NAMES = {0: "float32", 1: "float16", 2: "int32", 3: "uint8", 7: "int16", 9: "int8"}

_NO_VISION = ("tfl was built without its image part (the libjpeg, libpng and cJSON headers were "
              "not found when the package was built): install them (Debian: apt-get install "
              "libjpeg-dev libpng-dev libcjson-dev) and reinstall tfl")


def _need_vision():
    if not lib.has_vision:
        raise RuntimeError(_NO_VISION)


def unsupported_ops(model_path=None, model_content=None):
    """The ops of a model that tfl cannot run, as "NAME vVERSION" strings in
    order of first use ([] when tfl runs the whole model). Raises ValueError
    when the file cannot be read or parsed."""
    err = Error()
    if model_path is not None:
        model = lib.model_load_file(os.fsencode(os.fspath(model_path)), ctypes.byref(err))
    else:
        data = bytes(model_content)
        model = lib.model_load_buffer(ctypes.c_char_p(data), len(data), ctypes.byref(err))
    if not model:
        raise ValueError(err.text())
    try:
        seen = []
        info = OpInfo()
        for s in range(lib.model_num_subgraphs(model)):
            for n in range(lib.model_num_ops(model, s)):
                if lib.model_op(model, s, n, ctypes.byref(info)) != OK or info.supported:
                    continue
                what = "%s v%d" % (cstr(info.name), info.version)
                if what not in seen:
                    seen.append(what)
        return seen
    finally:
        lib.model_free(model)


# ---- labels ---------------------------------------------------------------

def _labels_from_c(handle):
    try:
        return [cstr(lib.labels_get(handle, i)) for i in range(lib.labels_count(handle))]
    finally:
        lib.labels_free(handle)


_INDEX_LINE = re.compile(r"^\s*(-?\d+)\s+(.*?)\s*$")


def _parse_labels(data):
    """The C library's label formats, for builds without its label part:
    a JSON object or array, "index label" lines, or one label per line."""
    text = data.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        obj = json.loads(stripped)
        if isinstance(obj, list):
            return [str(v) for v in obj]
        pairs = {int(k): str(v) for k, v in obj.items()}
    else:
        lines = [ln.strip() for ln in text.replace("\r", "").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        nonempty = [ln for ln in lines if ln]
        matches = [_INDEX_LINE.match(ln) for ln in nonempty]
        if nonempty and all(matches):
            pairs = {int(m.group(1)): m.group(2) for m in matches}
        else:
            return lines
    pairs = {k: v for k, v in pairs.items() if k >= 0}
    count = max(pairs) + 1 if pairs else 0
    return [pairs.get(i, "class %d" % i) for i in range(count)]


def _parse_labels_checked(data):
    labels = _parse_labels(data)
    if not labels:
        raise ValueError("no labels (the file is empty)")
    return labels


def load_labels(source):
    """Labels from a file path or bytes: one label per line, "index label"
    lines, or a JSON map {"0": "cat", ...} / list. Returns a list indexed by
    class; classes the file does not name read "class N"."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if not lib.has_vision:
            return _parse_labels_checked(data)
        err = Error()
        buf = ctypes.create_string_buffer(data, len(data))
        h = lib.labels_load_buffer(buf, len(data), ctypes.byref(err))
        if not h:
            raise ValueError(err.text())
        return _labels_from_c(h)
    path = os.fspath(source)
    if not lib.has_vision:
        with open(path, "rb") as f:
            return _parse_labels_checked(f.read())
    err = Error()
    h = lib.labels_load_file(os.fsencode(path), ctypes.byref(err))
    if not h:
        raise ValueError(err.text())
    return _labels_from_c(h)


# ---- images ---------------------------------------------------------------

class _OwnedImage:
    """A decoded tfl_image, freed with tfl_image_free."""

    def __init__(self):
        self.c = Image()

    def __del__(self):
        if self.c.pixels:
            lib.image_free(ctypes.byref(self.c))

    def array(self):
        c = self.c
        n = c.width * c.height * c.channels
        flat = np.ctypeslib.as_array(c.pixels, shape=(n,)).copy()
        return flat.reshape(c.height, c.width, c.channels)


def _decode(source):
    _need_vision()
    img = _OwnedImage()
    err = Error()
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        st = lib.image_load_buffer(ctypes.c_char_p(data), len(data), ctypes.byref(img.c),
                                   ctypes.byref(err))
    else:
        st = lib.image_load_file(os.fsencode(os.fspath(source)), ctypes.byref(img.c),
                                 ctypes.byref(err))
    if st != OK:
        raise ValueError(err.text())
    return img


def load_image(source):
    """Decodes a JPEG (EXIF orientation applied), PNG or BMP file (path or
    bytes) with tfl's decoder: a uint8 array (height, width, channels),
    channels 1 for grayscale, else 3 (RGB)."""
    return _decode(source).array()


def _pixels(image):
    """A uint8 (H, W, C) C-contiguous array with C in (1, 3) from a PIL image
    or an array; None when `image` is neither."""
    if hasattr(image, "convert") and hasattr(image, "mode"):  # PIL.Image
        image = np.asarray(image.convert("L" if image.mode in ("L", "1", "I", "F") else "RGB"))
    if not isinstance(image, np.ndarray):
        return None
    if image.dtype != np.uint8:
        raise ValueError("an image array must be uint8 pixels (height, width[, channels]); got "
                         "%s %s" % (image.dtype, image.shape))
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise ValueError("an image array must be (height, width), (height, width, 1), "
                         "(height, width, 3) or (height, width, 4); got %s" % (image.shape,))
    if image.shape[2] == 4:
        image = image[:, :, :3]  # alpha dropped, as the decoder does
    return np.ascontiguousarray(image)


# ---- metadata -------------------------------------------------------------

def _floats(ptr, n):
    return [float(ptr[i]) for i in range(n)] if n > 0 and ptr else []


def _file(f):
    return {"name": cstr(f.name), "description": cstr(f.description), "locale": cstr(f.locale),
            "version": cstr(f.version), "type": _FILE_TYPE.get(f.type, str(f.type))}


def _files(ptr, n):
    return [_file(ptr[i]) for i in range(n)] if n > 0 and ptr else []


def _process_unit(p):
    d = {"kind": _PROCESS.get(p.kind, str(p.kind))}
    if p.kind == 1:
        d.update(mean=_floats(p.mean, p.num_mean), std=_floats(p.std, p.num_std))
    elif p.kind == 2:
        d.update(score_transformation=_SCORE_TRANSFORM.get(p.score_transformation,
                                                           p.score_transformation),
                 default_score=float(p.default_score))
    elif p.kind == 3:
        d.update(global_score_threshold=float(p.global_score_threshold))
    elif p.kind in (4, 5, 6):
        d.update(vocab_files=_files(p.vocab_files, p.num_vocab_files),
                 sentencepiece_models=_files(p.sentencepiece_models,
                                             p.num_sentencepiece_models))
        if p.kind == 6:
            d.update(delim_regex_pattern=cstr(p.delim_regex_pattern))
    return d


def _process_units(ptr, n):
    return [_process_unit(ptr[i]) for i in range(n)] if n > 0 and ptr else []


def _tensor_md(t):
    d = {"name": cstr(t.name), "description": cstr(t.description),
         "content": _CONTENT.get(t.content, str(t.content))}
    if t.content == 2:
        d.update(color_space=_COLOR.get(t.color_space, t.color_space),
                 image_width=int(t.image_width), image_height=int(t.image_height))
    elif t.content == 3:
        d.update(box_type=_BOX.get(t.box_type, t.box_type),
                 box_coordinate_type="pixel" if t.box_coordinate_type == 1 else "ratio",
                 box_index=[int(t.box_index[i]) for i in range(t.num_box_index)]
                 if t.box_index else [])
    elif t.content == 4:
        d.update(sample_rate=int(t.sample_rate), channels=int(t.channels))
    if t.has_range:
        d["range"] = (int(t.range_min), int(t.range_max))
    if t.num_mean or t.num_std:
        d.update(mean=_floats(t.mean, t.num_mean), std=_floats(t.std, t.num_std))
    if t.num_stats_min or t.num_stats_max:
        d.update(min=_floats(t.stats_min, t.num_stats_min),
                 max=_floats(t.stats_max, t.num_stats_max))
    d["process_units"] = _process_units(t.process_units, t.num_process_units)
    d["associated_files"] = _files(t.files, t.num_files)
    return d


class _Metadata:
    """A tfl_metadata*; keeps the model it points into alive."""

    def __init__(self, native):
        self._native = native
        err = Error()
        self.ptr = lib.metadata_read(native.model, ctypes.byref(err))
        if not self.ptr and err.status != OK:
            raise ValueError(err.text())

    def __del__(self):
        if getattr(self, "ptr", None):
            lib.metadata_free(self.ptr)
            self.ptr = None

    def as_dict(self):
        md = self.ptr
        n = ctypes.c_int(0)
        files = lib.metadata_associated_files(md, ctypes.byref(n))
        out = {
            "name": cstr(lib.metadata_name(md)),
            "description": cstr(lib.metadata_description(md)),
            "version": cstr(lib.metadata_version(md)),
            "author": cstr(lib.metadata_author(md)),
            "license": cstr(lib.metadata_license(md)),
            "min_parser_version": cstr(lib.metadata_min_parser_version(md)),
            "has_entry": bool(lib.metadata_has_entry(md)),
            "associated_files": _files(files, n.value),
            "subgraphs": [],
        }
        for s in range(lib.metadata_num_subgraphs(md)):
            sg = lib.metadata_subgraph(md, s)
            if not sg:
                continue
            sg = sg.contents
            out["subgraphs"].append({
                "name": cstr(sg.name), "description": cstr(sg.description),
                "inputs": [_tensor_md(sg.inputs[i]) for i in range(sg.num_inputs)],
                "outputs": [_tensor_md(sg.outputs[i]) for i in range(sg.num_outputs)],
                "input_process_units": _process_units(sg.input_process_units,
                                                      sg.num_input_process_units),
                "output_process_units": _process_units(sg.output_process_units,
                                                       sg.num_output_process_units),
                "associated_files": _files(sg.files, sg.num_files),
            })
        first = out["subgraphs"][0] if out["subgraphs"] else {"inputs": [], "outputs": []}
        out["inputs"], out["outputs"] = first["inputs"], first["outputs"]
        packed = []
        for i in range(lib.metadata_num_files(md)):
            name = ctypes.c_char_p()
            lib.metadata_file(md, i, ctypes.byref(name), None, None)
            packed.append(cstr(name.value))
        out["packed_files"] = packed
        return out

    def labels(self, output, locale):
        md = self.ptr
        loc = locale.encode() if locale else None
        err = Error()
        if lib.has_vision:
            h = lib.labels_from_metadata(md, output, loc, ctypes.byref(err))
            if not h:
                if err.status != OK:
                    raise ValueError(err.text())
                return []
            return _labels_from_c(h)
        name, data, size = ctypes.c_char_p(), ctypes.c_void_p(), ctypes.c_size_t(0)
        if lib.metadata_label_file(md, output, loc, ctypes.byref(name), ctypes.byref(data),
                                   ctypes.byref(size), ctypes.byref(err)) != OK:
            raise ValueError(err.text())
        if not data.value:
            return []
        return _parse_labels(ctypes.string_at(data.value, size.value))

    def input_normalization(self, i):
        """(mean list, std list) of subgraph 0's input i, or None."""
        sg = lib.metadata_subgraph(self.ptr, 0)
        if not sg or i >= sg.contents.num_inputs:
            return None
        t = sg.contents.inputs[i]
        if t.num_mean <= 0 or t.num_std <= 0:
            return None
        return _floats(t.mean, min(t.num_mean, 3)), _floats(t.std, min(t.num_std, 3))


# ---- the model ----------------------------------------------------------------

class Model(Interpreter):
    """An Interpreter (same constructor, same methods) plus helpers:

      labels(output=0)        labels packed in the model's metadata
      metadata()              the model's TFLite Metadata as a dict (None when absent)
      dequantize(index)       a tensor's values as float32, with its own scale/zero point
      quantize(index, floats) writes floats into a tensor, quantized as TFLite does
      set_image(image)        fills an image input through tfl's resize/normalize pipeline
      classify(image, top_k)  set_image + invoke + top-k of output 0 with labels

    Tensors are allocated on first use by the helpers.
    """

    def __init__(self, model_path=None, model_content=None, **kwargs):
        super().__init__(model_path=model_path, model_content=model_content, **kwargs)
        self._md = None
        self._md_read = False

    # -- metadata and labels

    def _metadata(self):
        if not self._md_read:
            md = _Metadata(self._native)
            self._md = md if md.ptr else None
            self._md_read = True
        return self._md

    def metadata(self):
        """The model's TFLite Metadata (name, description, version, author,
        license, per-input/output content, normalization, associated files,
        packed files) as a dict, or None when the model has none."""
        md = self._metadata()
        return md.as_dict() if md else None

    def labels(self, output=0, locale=None):
        """Labels of output `output` from the label file packed in the model
        (TENSOR_AXIS_LABELS, else TENSOR_VALUE_LABELS; `locale` picks among
        several). [] when the model has none."""
        md = self._metadata()
        return md.labels(int(output), locale) if md else []

    # -- quantization

    def _ensure_allocated(self):
        if not self._allocated.get(0):
            self._allocate(0)

    def _checked_tensor(self, tensor_index):
        tensor_index = int(tensor_index)
        self._check_tensor(tensor_index, 0)
        t = self._tensor(tensor_index, 0)
        if not lib.tensor_data(t) and lib.tensor_byte_size(t):
            raise ValueError("Tensor data is null. Run allocate_tensors() first")
        return t

    def dequantize(self, tensor_index):
        """The tensor's current values as a float32 array of its shape:
        (q - zero_point) * scale, per channel when it has several scales;
        float tensors are copied. ValueError for an integer tensor without
        quantization parameters."""
        with self._busy:
            t = self._checked_tensor(tensor_index)
            out = np.empty(self._dims(t), dtype=np.float32)
            ptr = out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            if lib.tensor_dequantize(t, ptr, out.size) != OK:
                raise ValueError(self._error(0))
            return out

    def quantize(self, input_index, floats):
        """Writes real values into a tensor (by tensor index, as set_tensor):
        quantized with its scale and zero point, rounding half away from zero
        and saturating as TFLite does; float tensors take the values as
        they are. `floats` must have the tensor's shape (or its size)."""
        with self._busy:
            t = self._checked_tensor(input_index)
            values = np.ascontiguousarray(np.asarray(floats, dtype=np.float32))
            dims = self._dims(t)
            if values.size != lib.tensor_num_elements(t):
                raise ValueError("quantize: tensor %d has shape %s (%d elements), got %d values"
                                 % (int(input_index), dims, lib.tensor_num_elements(t),
                                    values.size))
            ptr = values.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            if lib.tensor_quantize(t, ptr, values.size) != OK:
                raise ValueError(self._error(0))

    # -- images

    def _preprocess(self, input_pos, t, mean, std, center_crop):
        """Normalization for an image input, chosen as `tfl classify` does:
        the caller's mean/std; else the model's metadata; else uint8 inputs
        take raw pixels, int8 inputs map pixel p to the value p - 128, and
        other inputs get pixels 0..255 with a warning."""
        pp = Preprocess()
        pp.center_crop = float(center_crop or 0.0)
        ttype = lib.tensor_type(t)
        if mean is None and std is None:
            md = self._metadata()
            norm = md.input_normalization(input_pos) if md else None
            if norm is None:
                q = lib.tensor_quantization(t)
                if ttype == 3:  # uint8: raw pixels, as TFLite's Task library feeds them
                    return pp
                if ttype == 9 and q.count >= 1 and q.scales[0] > 0:  # int8
                    norm = [128.0 + float(q.zero_points[0])], [1.0 / float(q.scales[0])]
                else:
                    warnings.warn(
                        "the model gives no normalization for its %s input: feeding pixel "
                        "values 0..255 (pass mean= and std=, e.g. 127.5 and 127.5 for [-1, 1])"
                        % _TYPE_NAMES.get(ttype, str(ttype)), UserWarning, stacklevel=4)
                    return pp
            mean, std = norm
        mean = [float(v) for v in np.atleast_1d(0.0 if mean is None else mean)]
        std = [float(v) for v in np.atleast_1d(1.0 if std is None else std)]
        if not (1 <= len(mean) <= 3 and 1 <= len(std) <= 3) or 0.0 in std:
            raise ValueError("mean and std take one value or one per channel (3), std nonzero; "
                             "got mean %s, std %s" % (mean, std))
        n = max(len(mean), len(std))
        pp.norm_count = n
        for c in range(n):
            pp.mean[c] = mean[min(c, len(mean) - 1)]
            pp.std[c] = std[min(c, len(std) - 1)]
        return pp

    def set_image(self, image, input_index=None, mean=None, std=None, center_crop=None):
        """Fills an image input (input 0 unless `input_index`, a tensor index,
        says otherwise) from a path, encoded bytes, a PIL image or a uint8
        (H, W[, C]) array: channels converted, optionally center-cropped
        (`center_crop`, the fraction of each side kept), resized
        (bilinear, half-pixel centers) and normalized/quantized by tfl's C
        pipeline. Normalization (pixel - mean) / std comes from `mean`/`std`
        (one value or one per channel), else the model's metadata, else: uint8
        inputs take raw pixels, int8 inputs map pixel p to p - 128, other
        inputs take pixels 0..255 with a warning. An array that already has
        the tensor's dtype and shape (with or without the batch dimension)
        is copied in as it is."""
        with self._busy:
            self._ensure_allocated()
            it = self._interp(0)
            if input_index is None:
                input_index = lib.interpreter_input_index(it, 0)
            input_index = int(input_index)
            t = self._checked_tensor(input_index)
            pos = self._input_position(input_index, 0)
            dims = self._dims(t)
            np_type = self._tensor_details(input_index, 0)["dtype"]
            if isinstance(image, np.ndarray) and image.dtype == np_type and \
                    tuple(image.shape) in (tuple(dims), tuple(dims[1:])):
                self._set_tensor(input_index, image.reshape(dims), 0)
                return
            pixels = _pixels(image)
            if pixels is not None:
                _need_vision()
                c_img = Image(pixels.shape[1], pixels.shape[0], pixels.shape[2],
                              pixels.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8)))
                owner = None
            else:
                owner = _decode(image)
                c_img = owner.c
            pp = self._preprocess(max(pos, 0), t, mean, std, center_crop)
            err = Error()
            st = lib.image_to_tensor(ctypes.byref(c_img), t, ctypes.byref(pp), ctypes.byref(err))
            del owner, pixels
            if st != OK:
                raise ValueError(err.text())

    def classify(self, image_or_array, top_k=5, labels=None, mean=None, std=None,
                 center_crop=None):
        """Runs the model on one image and returns the top_k classes of
        output 0 as Category(index, score, label), best first (ties by
        index). Scores are dequantized. Labels come from `labels` (a list or
        a label file path) or else from the model's metadata; indices they
        do not name read "class N". mean, std and center_crop as set_image."""
        self.set_image(image_or_array, mean=mean, std=std, center_crop=center_crop)
        self.invoke()
        with self._busy:
            out_index = lib.interpreter_output_index(self._interp(0), 0)
        scores = self.dequantize(out_index).reshape(-1)
        if labels is None:
            names = self.labels(0)
        elif isinstance(labels, (str, bytes, os.PathLike)):
            names = load_labels(labels)
        else:
            names = list(labels)
        order = np.argsort(-scores.astype(np.float64), kind="stable")[:max(int(top_k), 0)]
        return [Category(int(i), float(scores[i]),
                         names[i] if 0 <= i < len(names) else "class %d" % i) for i in order]
