"""An image pipeline independent of tfl, to check `tfl classify` and `tfl detect`.

Decoding is Pillow's; the resize, normalization and quantization reimplement in
NumPy float32 the formulas that src/vision/preprocess.c documents (TFLite
RESIZE_BILINEAR with half-pixel centers, same order of float32 operations);
the model runs in LiteRT with TFLite's reference kernels (BUILTIN_REF). What
tfl does on top of the model (dequantize, softmax when the output is not a
probability already, top-k, boxes to pixels) is redone here from its
description, so a difference anywhere shows up as a mismatch.

Usable as a script too:
    python pipeline.py classify MODEL IMAGE [--mean M] [--std S] [--crop F]
    python pipeline.py detect MODEL IMAGE
"""
import math

import numpy as np
from PIL import Image, ImageOps

F32 = np.float32

# Ops that only move or requantize values (tfl's rule for "already a probability").
_PASS_THROUGH = {"RESHAPE", "SQUEEZE", "QUANTIZE", "DEQUANTIZE", "EXPAND_DIMS"}


def make_interpreter(model_path):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_path=str(model_path),
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    return it


# ---- image -> input tensor -------------------------------------------------


def decode(path, channels):
    """HxWxC uint8 with C = channels (1: Pillow "L", 3: "RGB"), EXIF applied."""
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        im = im.convert("L" if channels == 1 else "RGB")
        a = np.asarray(im, dtype=np.uint8)
    return a.reshape(a.shape[0], a.shape[1], channels)


def crop_box(width, height, crop):
    """(x, y, w, h) of the center crop keeping `crop` of each side (float32
    rounding as preprocess.c), or the whole image."""
    if crop is None or not (0.0 < crop < 1.0):
        return 0, 0, width, height
    cw = max(1, int(F32(width) * F32(crop) + F32(0.5)))
    ch = max(1, int(F32(height) * F32(crop) + F32(0.5)))
    return (width - cw) // 2, (height - ch) // 2, cw, ch


def _interp(out_size, in_size):
    """TFLite's half-pixel source coordinate, lower and upper neighbours."""
    scale = F32(in_size) / F32(out_size)
    v = (np.arange(out_size, dtype=F32) + F32(0.5)) * scale - F32(0.5)
    lo = np.maximum(np.floor(v).astype(np.int64), 0)
    hi = np.minimum(np.ceil(v).astype(np.int64), in_size - 1)
    return v, lo, hi


def resize_bilinear(img, out_h, out_w):
    """HxWxC uint8 -> out_h x out_w x C float32, TFLite RESIZE_BILINEAR with
    half_pixel_centers: the four products summed in the same order as C."""
    p = img.astype(F32)
    iy, y0, y1 = _interp(out_h, img.shape[0])
    ix, x0, x1 = _interp(out_w, img.shape[1])
    dy = (iy - y0.astype(F32))[:, None, None]
    dx = (ix - x0.astype(F32))[None, :, None]
    one = F32(1)
    p00 = p[y0][:, x0]
    p10 = p[y1][:, x0]
    p01 = p[y0][:, x1]
    p11 = p[y1][:, x1]
    return (p00 * (one - dy) * (one - dx) + p10 * dy * (one - dx) + p01 * (one - dy) * dx +
            p11 * dy * dx)


def _round_half_away(x):
    """C roundf on float32 values, exactly (float64 holds x + 0.5 exactly)."""
    x = x.astype(np.float64)
    return np.trunc(x + np.copysign(0.5, x))


def _per_channel(values, c):
    values = [F32(v) for v in values]
    return np.array([values[min(k, len(values) - 1)] for k in range(c)], dtype=F32)


def image_layout(shape):
    """(height, width, channels, nchw) of an image input, as tfl reads it."""
    s = list(shape)
    if len(s) == 4 and s[0] == 1 and s[3] in (1, 3):
        return s[1], s[2], s[3], False
    if len(s) == 4 and s[0] == 1 and s[1] in (1, 3):
        return s[2], s[3], s[1], True
    if len(s) == 3 and s[2] in (1, 3):
        return s[0], s[1], s[2], False
    raise ValueError(f"not an image input: {s}")


def to_input(img, detail, mean=None, std=None, crop=None):
    """Fills an input like tfl_image_to_tensor: crop, resize, then uint8: raw
    rounded pixels; float32: (v - mean) / std; int8/int16: that, quantized."""
    h, w, c, nchw = image_layout(detail["shape"])
    x, y, cw, ch = crop_box(img.shape[1], img.shape[0], crop)
    v = resize_bilinear(img[y:y + ch, x:x + cw], h, w)
    dtype = detail["dtype"]
    if dtype == np.uint8:
        out = np.clip(np.floor(v + F32(0.5)), 0, 255).astype(np.uint8)
    else:
        m = _per_channel(mean if mean else [0.0], c)
        s = _per_channel(std if std else [1.0], c)
        f = (v - m) / s
        if dtype == np.float32:
            out = f.astype(F32)
        else:
            scale, zp = detail["quantization"]
            info = np.iinfo(dtype)
            r = _round_half_away(f / F32(scale))
            out = np.clip(r + zp, info.min, info.max).astype(dtype)
    if nchw:
        out = out.transpose(2, 0, 1)
    return out.reshape(detail["shape"])


def default_norm(detail):
    """tfl's normalization when neither the metadata nor --mean/--std give one:
    int8 inputs map pixels 0..255 onto -128..127; others take raw pixels."""
    scale, zp = detail["quantization"]
    if detail["dtype"] == np.int8 and scale > 0:
        return [F32(128) + F32(zp)], [F32(1) / F32(scale)]
    return None, None


# ---- outputs ---------------------------------------------------------------


def dequantize(values, detail):
    """(q - zero_point) * scale, rounded once to float32; float32 passes."""
    if values.dtype == np.float32:
        return values.reshape(-1)
    scale, zp = detail["quantization"]
    q = values.reshape(-1).astype(np.float64)
    return ((q - zp) * np.float64(F32(scale))).astype(F32)


def is_probability(interpreter, tensor_index):
    """Does the tensor come from SOFTMAX or LOGISTIC (through reshapes and
    (de)quantization)? Read from LiteRT's own view of the graph."""
    producer = {}
    for op in interpreter._get_ops_details():
        for t in op["outputs"]:
            producer[int(t)] = op
    t = tensor_index
    for _ in range(16):
        op = producer.get(t)
        if op is None:
            return False
        if op["op_name"] in ("SOFTMAX", "LOGISTIC"):
            return True
        if op["op_name"] not in _PASS_THROUGH or len(op["inputs"]) == 0:
            return False
        t = int(op["inputs"][0])
    return False


def softmax(scores):
    """exp(s - max) in double with libm's exp (math.exp), summed in index
    order, each quotient rounded to float32: the arithmetic tfl uses."""
    d = scores.astype(F32) - scores.astype(F32).max()
    e = [math.exp(float(x)) for x in d]
    total = 0.0
    for x in e:
        total += x
    return np.array([x / total for x in e], dtype=F32)


def top_k(scores, k):
    """Best first; ties go to the lower index."""
    order = np.argsort(-scores, kind="stable")[:k]
    return [(int(i), float(scores[i])) for i in order]


def classify(model_path, image_path, k=5, mean=None, std=None, crop=None, softmax_mode="auto",
             interpreter=None):
    """[(index, score)] of the top k, as `tfl classify` should print them."""
    it = interpreter or make_interpreter(model_path)
    detail = it.get_input_details()[0]
    _, _, c, _ = image_layout(detail["shape"])
    if mean is None and std is None:
        mean, std = default_norm(detail)
    it.set_tensor(detail["index"], to_input(decode(image_path, c), detail, mean, std, crop))
    it.invoke()
    out = it.get_output_details()[0]
    scores = dequantize(it.get_tensor(out["index"]), out)
    apply = softmax_mode == "on" or (softmax_mode == "auto" and
                                     not is_probability(it, out["index"]))
    if apply:
        scores = softmax(scores)
    return top_k(scores, k)


def detect(model_path, image_path, mean=None, std=None, crop=None, interpreter=None):
    """Every detection the post-processing op reports, best first, as
    {"index", "score", "box": {"x", "y", "width", "height"}}: boxes
    [ymin, xmin, ymax, xmax] clipped to [0, 1] and scaled in float32 to
    pixels of the image (or of the crop box, offset into the image)."""
    it = interpreter or make_interpreter(model_path)
    detail = it.get_input_details()[0]
    _, _, c, _ = image_layout(detail["shape"])
    img = decode(image_path, c)
    it.set_tensor(detail["index"], to_input(img, detail, mean, std, crop))
    it.invoke()
    op = next(o for o in it._get_ops_details() if o["op_name"] == "TFLite_Detection_PostProcess")
    boxes, classes, scores, count = (it.get_tensor(int(t)) for t in op["outputs"][:4])
    n = int(min(max(float(count.reshape(-1)[0]), 0.0), scores.size))
    cx, cy, cw, ch = crop_box(img.shape[1], img.shape[0], crop)
    boxes = np.clip(boxes.reshape(-1, 4)[:n].astype(F32), F32(0), F32(1))
    out = []
    for i in range(n):
        ymin, xmin, ymax, xmax = boxes[i]
        out.append({
            "index": int(classes.reshape(-1)[i]),
            "score": float(scores.reshape(-1)[i]),
            "box": {
                "x": float(F32(cx) + xmin * F32(cw)),
                "y": float(F32(cy) + ymin * F32(ch)),
                "width": float((xmax - xmin) * F32(cw)) if xmax > xmin else 0.0,
                "height": float((ymax - ymin) * F32(ch)) if ymax > ymin else 0.0,
            },
        })
    return {"width": img.shape[1], "height": img.shape[0], "detections": out}


if __name__ == "__main__":
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["classify", "detect"])
    ap.add_argument("model")
    ap.add_argument("image")
    ap.add_argument("--mean", type=lambda s: [float(v) for v in s.split(",")])
    ap.add_argument("--std", type=lambda s: [float(v) for v in s.split(",")])
    ap.add_argument("--crop", type=float)
    ap.add_argument("--top-k", type=int, default=5)
    a = ap.parse_args()
    if a.command == "classify":
        for i, s in classify(a.model, a.image, a.top_k, a.mean, a.std, a.crop):
            print(f"  {s:.4f}  {i}")
    else:
        print(json.dumps(detect(a.model, a.image, a.mean, a.std, a.crop), indent=2))
