"""`tfl classify` end to end against an independent pipeline (pipeline.py:
Pillow decode, NumPy float32 resize/normalize/quantize, LiteRT BUILTIN_REF,
dequantize, softmax when needed, top-k), on every classifier in
../shared/models and every image in ../shared/images; then known answers.

Tolerance: none. The top-5 indices must be equal and the scores equal as
float32 values. tfl prints scores with 9 significant digits, which
round-trips a float32 exactly; dequantized scores are (q - zero_point) *
scale rounded once to float32 on both sides, and where softmax is applied
both sides use libm's exp in double with an index-order sum. The input
tensors are bit-identical because the resize formula is reimplemented in
the same float32 operation order, and both JPEG decoders are libjpeg-turbo
with its default (islow DCT, fancy upsampling) settings.
"""
import json
import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
DIGITS = REPO / "examples" / "digits"
TOP_K = 5
# Float scores: relative and absolute tolerance (see test_classify_matches_pipeline).
FLOAT_RTOL = 1e-4
FLOAT_ATOL = 1e-6

IMAGENET_MEAN = [123.675, 116.28, 103.53]  # PyTorch's ImageNet normalization, in pixels
IMAGENET_STD = [58.395, 57.12, 57.375]


def csv(values):
    return ",".join(repr(v) for v in values)


def images_in(d, *suffixes):
    if not d.is_dir():
        return []
    suffixes = suffixes or (".jpg", ".jpeg", ".png", ".bmp")
    return sorted(p for p in d.iterdir() if p.suffix.lower() in suffixes)


# id -> (model path relative to ../shared/models or absolute, tfl options, pipeline options).
# The pipeline gets the normalization explicitly: for models with metadata the
# values are the metadata's (tests/conformance/test_metadata.py checks tfl
# reads them as tflite-support does); uint8 models take raw pixels.
CASES = {
    "v1_0.25_224_quant_metadata": ("mobilenet_v1_0.25_224_quant_metadata.tflite", [], {}),
    "v1_0.25_224_quant_no_subgraph_metadata":
        ("mobilenet_v1_0.25_224_quant_no_subgraph_metadata.tflite", [], {}),
    "v1_0.25_224_float_metadata": ("mobilenet_v1_0.25_224_float_metadata.tflite", [],
                                   {"mean": [127.5], "std": [127.5]}),
    "v1_0.25_224_float_metadata_crop": ("mobilenet_v1_0.25_224_float_metadata.tflite",
                                        ["--crop", "0.875"],
                                        {"mean": [127.5], "std": [127.5], "crop": 0.875}),
    "v1_0.25_224_float_mean_std": ("mobilenet_v1_0.25_224_float.tflite",
                                   ["--mean", "127.5", "--std", "127.5"],
                                   {"mean": [127.5], "std": [127.5]}),
    "v1_0.25_128_quant": ("mobilenet_v1_0.25_128_quant.tflite", [], {}),
    "v1_0.5_160_quant": ("mobilenet_v1_0.5_160_quant.tflite", [], {}),
    "v1_0.75_192_quant": ("mobilenet_v1_0.75_192_quant.tflite", [], {}),
    "v2_1.0_224_quant": ("mobilenet_v2_1.0_224_quant.tflite", [], {}),
    "v2_1.0_224_quant_metadata_logits": ("mobilenet_v2_1.0_224_quant_metadata.tflite", [], {}),
    "v2_1.0_224_quant_forced_softmax": ("mobilenet_v2_1.0_224_quant.tflite", ["--softmax"],
                                        {"softmax_mode": "on"}),
    "tf2_v2_1.0_224_ptq": ("tf2_mobilenet_v2_1.0_224_ptq.tflite", [], {}),
    "v2_inat_bird_quant": ("mobilenet_v2_1.0_224_inat_bird_quant.tflite", [], {}),
    "automl_labeler": ("automl_labeler.tflite", [], {}),
    "v2_int8_nchw_imagenet_norm": ("mobilenet_v2_quantized_1x3x224x224.tflite",
                                   ["--mean", csv(IMAGENET_MEAN), "--std", csv(IMAGENET_STD)],
                                   {"mean": IMAGENET_MEAN, "std": IMAGENET_STD}),
    "v2_int8_nchw_default_norm": ("mobilenet_v2_quantized_1x3x224x224.tflite", [], {}),
    "digits_int8_gray": (str(DIGITS / "digits_int8.tflite"), [], {"mean": [0.0], "std": [255.0]}),
}


def model_path(model, name):
    if os.path.isabs(name):
        p = Path(name)
        if not p.is_file():
            pytest.skip(f"{p} is absent")
        return p
    return model(name)


def run_tfl(tfl, model, images, options):
    p = tfl("classify", model, *images, "--json", "--top-k", TOP_K, *options)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == len(images), p.stdout
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("case", sorted(CASES))
def test_classify_matches_pipeline(tfl, pipeline, model, case):
    name, options, kwargs = CASES[case]
    path = model_path(model, name)
    images = images_in(SHARED / "images") + images_in(DIGITS, ".png")
    if not images:
        pytest.skip("no images")
    interp = pipeline.make_interpreter(path)
    got = run_tfl(tfl, path, images, options)
    # Quantized models must match exactly. Float ones run tfl's float SIMD
    # kernels, whose fused multiply-adds may move a score in its last bits
    # (docs/ops.md): the same top-k classes, scores within FLOAT_RTOL.
    float_model = interp.get_output_details()[0]["dtype"] == np.float32
    mismatches = []
    for image, result in zip(images, got):
        assert result["image"] == str(image)
        want = pipeline.classify(path, image, TOP_K, interpreter=interp, **kwargs)
        have = [(r["index"], np.float32(r["score"]).item()) for r in result["results"]]
        want = [(i, np.float32(s).item()) for i, s in want]
        if float_model:
            same = [i for i, _ in have] == [i for i, _ in want] and np.allclose(
                [v for _, v in have], [v for _, v in want], rtol=FLOAT_RTOL, atol=FLOAT_ATOL)
        else:
            same = have == want
        if not same:
            mismatches.append(f"{image.name}: tfl {have} vs pipeline {want}")
    print(f"{case}: {len(images) - len(mismatches)}/{len(images)} images match")
    assert not mismatches, "\n".join(mismatches)


# ---- known answers -----------------------------------------------------------

KNOWN = [
    # (model, labels file or None for the model's own, image, expected top-1 label)
    ("mobilenet_v2_1.0_224_quant_metadata.tflite", "labels/imagenet_1001_labels.txt",
     "images/burger.jpg", "cheeseburger"),
    ("mobilenet_v1_0.25_224_quant_metadata.tflite", None, "images/burger.jpg", "cheeseburger"),
    ("mobilenet_v1_0.25_224_float_metadata.tflite", None, "images/burger.jpg", "cheeseburger"),
    ("mobilenet_v2_1.0_224_quant.tflite", None, "images/cat.bmp", "Egyptian cat"),
    ("mobilenet_v2_1.0_224_quant.tflite", None, "images/grace_hopper.bmp", "military uniform"),
    ("mobilenet_v2_1.0_224_quant.tflite", None, "images/hot_dog.jpg",
     "hotdog, hot dog, red hot"),
    ("mobilenet_v2_1.0_224_inat_bird_quant.tflite", "labels/coral_inat_bird_labels.txt",
     "images/bird.bmp", "Poecile atricapillus (Black-capped Chickadee)"),
    ("mobilenet_v2_1.0_224_inat_bird_quant.tflite", "labels/coral_inat_bird_labels.txt",
     "images/parrot.jpg", "Ara macao (Scarlet Macaw)"),
    ("automl_labeler.tflite", None, "images/sunflower.bmp", "sunflowers"),
]


@pytest.mark.parametrize("name,labels,image,label", KNOWN,
                         ids=[f"{k[0]}-{Path(k[2]).name}" for k in KNOWN])
def test_known_answer(tfl, model, shared, name, labels, image, label):
    path = model(name)
    options = ["--labels", shared(labels)] if labels else []
    p = tfl("classify", path, shared(image), "--json", "--top-k", "1", *options)
    assert p.returncode == 0, p.stderr
    top = json.loads(p.stdout)["results"][0]
    assert top["label"] == label, top


@pytest.mark.parametrize("image", images_in(DIGITS, ".png"), ids=lambda p: p.name)
def test_bundled_digits(tfl, image):
    model = DIGITS / "digits_int8.tflite"
    if tfl.unsupported(model):
        pytest.skip(tfl.unsupported(model))
    p = tfl("classify", model, image, "--json", "--top-k", "1")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["results"][0]["label"] == image.name.split("_")[0]
