#!/usr/bin/env python3
"""Writes seed corpora for the fuzz harnesses in tests/fuzz: OUTDIR/<harness>/.

usage: python3 tools/gen_fuzz_corpus.py OUTDIR [--shared ../shared]

Needs Python 3 with numpy, Pillow and flatbuffers. Deterministic: the same
inputs give the same files. With --shared, files under the shared data
directory are read (never copied into the repository).
"""
import argparse
import io
import os
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image
from flatbuffers import flexbuffers

ROOT = Path(__file__).resolve().parent.parent

# Keep every seed small enough for libFuzzer's default -max_len to matter
# little: big files slow each run without adding coverage.
MODEL_LIMIT = 64 * 1024
METADATA_LIMIT = 256 * 1024


class Writer:
    """Files per harness, named by a counter and a short tag."""

    def __init__(self, outdir):
        self.outdir = Path(outdir)
        self.counts = {}

    def put(self, harness, tag, data):
        d = self.outdir / harness
        d.mkdir(parents=True, exist_ok=True)
        n = self.counts.get(harness, 0)
        self.counts[harness] = n + 1
        (d / f"{n:03d}_{tag}").write_bytes(bytes(data))


def sorted_files(directory, pattern):
    d = Path(directory)
    return sorted(d.glob(pattern)) if d.is_dir() else []


# ---- model --------------------------------------------------------------

def model_seeds(w, shared):
    paths = [ROOT / "examples/digits/digits_int8.tflite"]
    paths += sorted_files(ROOT / "tests/python/models", "*.tflite")
    paths += sorted_files(ROOT / "tests/fuzz/models", "*.tflite")
    if shared:
        paths += [p for p in sorted_files(shared / "models", "**/*.tflite")
                  if p.stat().st_size < MODEL_LIMIT]
    for p in paths:
        w.put("model", p.stem, p.read_bytes())


# ---- metadata -----------------------------------------------------------

def metadata_entry(model):
    """The TFLITE_METADATA flatbuffer inside a model: the buffer whose
    identifier is M001 (its length is the uint32 just before it)."""
    at = model.find(b"M001")
    while at >= 8:
        start = at - 4
        (n,) = struct.unpack_from("<I", model, start - 4)
        if 8 <= n <= len(model) - start:
            return model[start:start + n]
        at = model.find(b"M001", at + 1)
    return None


def packed_files(model):
    """Stored copies of the model's associated files, as a ZIP whose offsets
    count from its own start (the harness appends it after a tiny model)."""
    out = io.BytesIO()
    try:
        src = zipfile.ZipFile(io.BytesIO(model))
        infos = src.infolist()
    except zipfile.BadZipFile:
        infos = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for info in infos:
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(zi, src.read(info.filename))
    return out.getvalue() if infos else b""


def templated(entry, tail):
    """fuzz_metadata's second form: 2-byte entry length, entry, file tail."""
    return struct.pack("<H", min(len(entry), 0xFFFF)) + entry + tail


def metadata_seeds(w, shared):
    models = [ROOT / "examples/digits/digits_int8.tflite"]
    if shared:
        for p in sorted_files(shared / "models", "**/*.tflite"):
            if p.stat().st_size < METADATA_LIMIT and b"M001" in p.read_bytes():
                models.append(p)
    for p in models:
        data = p.read_bytes()
        w.put("metadata", p.stem, data)
        entry = metadata_entry(data)
        zipped = packed_files(data)
        if entry is None:
            continue
        w.put("metadata", p.stem + "_tmpl", templated(entry, zipped))
        w.put("metadata", p.stem + "_entry", templated(entry, b""))
        if zipped:
            w.put("metadata", p.stem + "_zip", templated(b"", zipped))
            # A truncated archive and one with a flipped CRC byte.
            w.put("metadata", p.stem + "_zipcut", templated(entry, zipped[:-7]))
            bad = bytearray(zipped)
            bad[14] ^= 0x55
            w.put("metadata", p.stem + "_zipcrc", templated(entry, bytes(bad)))
        # Truncated metadata and one with its root offset patched.
        w.put("metadata", p.stem + "_cut", templated(entry[:len(entry) // 2], zipped))
        bad = bytearray(entry)
        bad[0] ^= 0x10
        w.put("metadata", p.stem + "_root", templated(bytes(bad), zipped))


# ---- labels -------------------------------------------------------------

def label_seeds(w, shared):
    w.put("labels", "plain", b"background\ncat\ndog\n\nbird\n")
    w.put("labels", "crlf", b"\xef\xbb\xbfzero\r\n  one  \r\ntwo\r\n\r\n")
    w.put("labels", "indexed", b"0 person\n1 bicycle\n3 car\n\n7 truck\n")
    w.put("labels", "indexed_tab", b"2\tthree\n0\tone\n")
    w.put("labels", "json_obj", b'{"0": "cat", "2": "dog", "10": "bird"}')
    w.put("labels", "json_arr", b'["cat", "dog", "\\u00e9l\\u00e8ve", ""]\n')
    w.put("labels", "json_bad", b'{"0": "cat", "-1": "x"}')
    w.put("labels", "bracket", b"[PAD]\n[UNK]\nthe\n")
    w.put("labels", "digits", (ROOT / "examples/digits/labels.txt").read_bytes())
    if shared:
        for p in sorted_files(shared / "labels", "*"):
            data = p.read_bytes()
            w.put("labels", p.name, data[:8192])


# ---- image --------------------------------------------------------------

# fuzz_image's first byte: low 3 bits the tensor, bit 3 mean/std, bits 4-5
# center crop. Seeds spread over the choices.
def selector(i):
    return bytes([(i * 13) & 0x3F])


def encode(img, fmt, **kw):
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def gradient(w, h, mode):
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // max(w - 1, 1)).astype(np.uint8)
    g = (y * 255 // max(h - 1, 1)).astype(np.uint8)
    b = ((x + y) * 7 % 256).astype(np.uint8)
    rgb = Image.fromarray(np.dstack([r, g, b]), "RGB")
    return rgb.convert(mode) if mode != "RGB" else rgb


def image_seeds(w):
    imgs = []
    rgb = gradient(13, 9, "RGB")
    gray = gradient(11, 7, "L")
    imgs.append(("jpeg_rgb", encode(rgb, "JPEG", quality=80)))
    imgs.append(("jpeg_gray", encode(gray, "JPEG", quality=60)))
    imgs.append(("jpeg_prog", encode(rgb, "JPEG", quality=70, progressive=True)))
    for orientation in (3, 6, 8):
        exif = Image.Exif()
        exif[0x0112] = orientation
        imgs.append((f"jpeg_exif{orientation}", encode(rgb, "JPEG", quality=75, exif=exif)))
    imgs.append(("png_gray", encode(gray, "PNG")))
    imgs.append(("png_rgb", encode(rgb, "PNG")))
    imgs.append(("png_rgba", encode(gradient(6, 5, "RGBA"), "PNG")))
    g16 = Image.new("I;16", (7, 5))
    g16.putdata([v * 1800 for v in range(35)])
    imgs.append(("png_16bit", encode(g16, "PNG")))
    imgs.append(("png_palette", encode(rgb.convert("P", palette=Image.ADAPTIVE, colors=16), "PNG")))
    imgs.append(("png_1bit", encode(gray.convert("1"), "PNG")))
    imgs.append(("bmp_1bit", encode(gray.convert("1"), "BMP")))
    imgs.append(("bmp_4bit", encode(rgb.convert("P", palette=Image.ADAPTIVE, colors=16), "BMP")))
    imgs.append(("bmp_8bit", encode(gray, "BMP")))
    imgs.append(("bmp_8bit_pal", encode(rgb.convert("P", palette=Image.ADAPTIVE, colors=200),
                                        "BMP")))
    imgs.append(("bmp_24bit", encode(rgb, "BMP")))
    imgs.append(("bmp_32bit", encode(gradient(5, 4, "RGBA"), "BMP")))
    for p in sorted_files(ROOT / "examples/digits", "*.png"):
        imgs.append((p.stem, p.read_bytes()))
    for i, (tag, data) in enumerate(imgs):
        w.put("image", tag, selector(i) + data)


# ---- npy ----------------------------------------------------------------

NPY_DTYPES = ["<f4", "<f2", "<f8", "|u1", "|i1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8",
              "|b1", "<c8", "<c16"]


def npy_bytes(arr, version):
    out = io.BytesIO()
    np.lib.format.write_array(out, arr, version=version)
    return out.getvalue()


def npy_seeds(w):
    shapes = [(), (3,), (2, 3), (1, 2, 2, 1), (0, 4), (1, 1, 1, 1, 1, 1, 1, 2)]
    k = 0
    for dt in NPY_DTYPES:
        for shape in shapes:
            n = int(np.prod(shape)) if shape else 1
            arr = (np.arange(n) % 7).astype(np.dtype(dt)).reshape(shape)
            version = [(1, 0), (2, 0), (3, 0)][k % 3]
            k += 1
            w.put("npy", f"{dt[1:]}_{len(shape)}d_v{version[0]}", npy_bytes(arr, version))
    # Refused by tfl but good starting points: big-endian and Fortran order.
    w.put("npy", "big_endian", npy_bytes(np.arange(4, dtype=">i4"), (1, 0)))
    w.put("npy", "fortran", npy_bytes(np.asfortranarray(np.ones((2, 3), "<f4")), (1, 0)))


# ---- flexbuf ------------------------------------------------------------

def flex(value):
    return bytes(flexbuffers.Dumps(value))


def dpp_options(**over):
    opts = {
        "max_detections": 10,
        "max_classes_per_detection": 1,
        "detections_per_class": 100,
        "use_regular_nms": False,
        "nms_score_threshold": 0.3,
        "nms_iou_threshold": 0.6,
        "num_classes": 3,
        "y_scale": 10.0,
        "x_scale": 10.0,
        "h_scale": 5.0,
        "w_scale": 5.0,
    }
    opts.update(over)
    return opts


def flexbuf_seeds(w):
    w.put("flexbuf", "ssd", flex(dpp_options()))
    w.put("flexbuf", "ssd_regular", flex(dpp_options(use_regular_nms=True, detections_per_class=4)))
    w.put("flexbuf", "ssd_multiclass", flex(dpp_options(max_classes_per_detection=3,
                                                        num_classes=5)))
    w.put("flexbuf", "ssd_ints", flex(dpp_options(nms_iou_threshold=1, y_scale=1, x_scale=1,
                                                  h_scale=1, w_scale=1, num_classes=1)))
    w.put("flexbuf", "ssd_missing", flex({"max_detections": 5, "num_classes": 2}))
    w.put("flexbuf", "vector", flex([1, -2, 3.5, "four", [5, 6], {"k": True}, None]))
    w.put("flexbuf", "typed_vec", flex([1.0, 2.0, 3.0]))
    w.put("flexbuf", "int_vec", flex(list(range(20))))
    w.put("flexbuf", "nested", flex({"a": {"b": {"c": [[1, 2], [3, 4]]}}, "s": "x" * 40}))
    w.put("flexbuf", "blob", flex(b"\x00\x01\x02\xff"))
    w.put("flexbuf", "scalar", flex(-123456789012))
    w.put("flexbuf", "string", flex("hello"))
    w.put("flexbuf", "bools", flex([True, False, True]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--shared", type=Path, help="shared data directory (models, labels)")
    args = ap.parse_args()
    shared = args.shared
    if shared and not shared.is_dir():
        sys.exit(f"{shared}: not a directory")
    w = Writer(args.outdir)
    model_seeds(w, shared)
    metadata_seeds(w, shared)
    label_seeds(w, shared)
    image_seeds(w)
    npy_seeds(w)
    flexbuf_seeds(w)
    for h in sorted(w.counts):
        print(f"{h}: {w.counts[h]} files")


if __name__ == "__main__":
    main()
