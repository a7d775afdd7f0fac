"""Every model in ../shared/models, on three seeded random inputs, through
`tfl run` and through LiteRT's reference kernels (BUILTIN_REF): integer
outputs must be byte-identical, float outputs close (see FLOAT_RTOL). Inputs
are made here with NumPy (see random_input) and fed to both as .npy files.

Models tfl cannot run yet (ops it lacks, as `tfl inspect --json` reports) and
models LiteRT itself rejects are skipped with the reason; the end-of-run
summary (conftest.py) lists them. Also checks that broken model files give
clean errors.
"""
import zlib

import numpy as np
import pytest

SEEDS = (0, 1, 2)
# Seed 1 runs tfl with two threads: results must not depend on the split.
THREADS = {0: 1, 1: 2, 2: 1}

# Float tolerance: |tfl - litert| <= FLOAT_ATOL * max|litert| + FLOAT_RTOL * |litert|.
# Float kernels may sum in a different order than TFLite's (blocked or SIMD
# accumulation), which moves each op's result by a few ulp; through a few dozen
# layers that stays well under 1e-5 of an output's magnitude. The absolute
# part scales with the output's range so that near-zero elements of a large
# output (e.g. logits around 0) are not held to a relative bound, and
# rtol 1e-4 still catches any real bug (a wrong padding, activation or
# rounding moves results by far more).
FLOAT_RTOL = 1e-4
FLOAT_ATOL = 1e-5

# Models of ../shared/models that tfl runs and matches today. For these a
# skip is a regression (an op that starts refusing a parameter it used to
# take would otherwise only move the model to the skipped list).
MUST_RUN = {
    "automl_labeler.tflite", "trained_lstm.tflite", "deeplab_mobilenet_edgetpu_slim_cityscapes_quant.tflite",
    "deeplabv3_metadata.tflite", "deeplabv3_mnv2_dm05_pascal_quant.tflite", "dilated_conv.tflite",
    "hello_world_float.tflite", "hello_world_int8.tflite", "micro_speech_quantized.tflite",
    "mobilenet_v1_0.25_128_quant.tflite", "mobilenet_v1_0.25_224_float.tflite",
    "mobilenet_v1_0.25_224_float_metadata.tflite", "mobilenet_v1_0.25_224_quant_metadata.tflite",
    "mobilenet_v1_0.25_224_quant_no_subgraph_metadata.tflite", "mobilenet_v1_0.5_160_quant.tflite",
    "mobilenet_v1_0.75_192_quant.tflite", "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
    "mobilenet_v2_1.0_224_inat_bird_quant.tflite", "mobilenet_v2_1.0_224_quant.tflite",
    "mobilenet_v2_1.0_224_quant_metadata.tflite", "mobilenet_v2_quantized_1x3x224x224.tflite",
    "movenet_single_pose_lightning_ptq.tflite", "nl_classifier_builtin_ops_metadata.tflite",
    "simple_add_two_inputs.tflite", "split_concat.tflite",
    "ssd_mobilenet_v1_coco_quant_metadata.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
    "traffic_model_multi_input.tflite", "yamnet_classifier_metadata.tflite",
    "trained_lstm_int8.tflite", "keras_lstm_mnist_ptq.tflite", "micro_speech_lstm.tflite",
    "dtln_noise_suppression.tflite", "keyword_scrambled.tflite",
}


def skip_unless_must_run(model, reason):
    if model.name in MUST_RUN:
        pytest.fail(f"{model.name} ran before and must run: {reason}")
    pytest.skip(reason)


def random_input(detail, rng):
    """A random array for one LiteRT input: uint8/int8/int16 uniform over the
    whole range (image-like and audio-like data), float uniform in [-1, 1),
    int32/int64 in [0, 100) (token ids and indices must stay in range)."""
    dtype = np.dtype(detail["dtype"])
    shape = tuple(int(d) for d in detail["shape"])
    if dtype.kind == "f":
        return rng.uniform(-1.0, 1.0, size=shape).astype(dtype)
    if dtype in (np.uint8, np.int8, np.int16, np.uint16):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    if dtype in (np.int32, np.int64):
        return rng.integers(0, 100, size=shape).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    pytest.skip(f"no random input for dtype {dtype} ({detail['name']})")


def run_litert(make, model_path, inputs):
    it = make(model_path)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]).copy() for d in it.get_output_details()]


def compare(got, want, what):
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, LiteRT {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape}, LiteRT {want.shape}"
    if want.dtype.kind in "fc":
        scale = float(np.max(np.abs(want[np.isfinite(want)]), initial=0.0))
        err = np.abs(got.astype(np.float64) - want.astype(np.float64))
        bad = ~(err <= FLOAT_ATOL * scale + FLOAT_RTOL * np.abs(want))
        bad &= ~(np.isnan(got) & np.isnan(want))
        bad &= ~(np.isinf(want) & (got == want))
        if bad.any():
            i = tuple(int(k) for k in np.unravel_index(np.argmax(bad), want.shape))
            pytest.fail(f"{what}: {int(bad.sum())} of {want.size} elements differ beyond "
                        f"rtol {FLOAT_RTOL}, atol {FLOAT_ATOL} x {scale:.6g}; max error "
                        f"{float(np.nanmax(err)):.6g}; first at {i}: tfl {got[i].item()!r}, "
                        f"LiteRT {want[i].item()!r}")
    elif not np.array_equal(got, want):
        diff = got != want
        i = tuple(int(k) for k in np.unravel_index(np.argmax(diff), want.shape))
        wide = np.abs(got.astype(np.int64) - want.astype(np.int64)) if want.dtype != np.bool_ \
            else diff
        pytest.fail(f"{what}: {int(diff.sum())} of {want.size} elements differ (max |diff| "
                    f"{int(wide.max())}); first at {i}: tfl {got[i].item()!r}, LiteRT {want[i].item()!r}")


def test_model_matches_litert(model, tfl, litert, tmp_path):
    try:
        ref = litert(model)
        ref.allocate_tensors()
    except Exception as e:  # LiteRT raises ValueError/RuntimeError with its log
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        pytest.skip(f"LiteRT cannot load it: {first[:200]}")

    rc, info, err = tfl.inspect(model)
    assert rc == 0, f"tfl cannot load a model LiteRT loads: {err.strip()}"
    if info["unsupported_ops"]:
        ops = sorted({f"{o['name']} v{o['version']}" for o in info["ops"] if not o["supported"]})
        skip_unless_must_run(model, "unsupported ops: " + ", ".join(ops))
    alloc = info["allocation"]
    if not alloc["ok"]:
        # An op whose prepare rejects a dtype or option it does not handle yet
        # fails with TFL_ERROR_UNSUPPORTED; any other allocation failure is a bug.
        if alloc["status"] == "unsupported":
            skip_unless_must_run(model, f"tfl: {alloc['error']}")
        pytest.fail(f"tfl cannot allocate a model LiteRT runs: {alloc['error']}")

    in_details = ref.get_input_details()
    out_details = ref.get_output_details()
    for seed in SEEDS:
        rng = np.random.default_rng([seed, zlib.crc32(model.name.encode())])
        inputs = [random_input(d, rng) for d in in_details]
        want = run_litert(litert, model, inputs)
        run_dir = tmp_path / f"seed{seed}"
        run_dir.mkdir()
        args = []
        for i, x in enumerate(inputs):
            np.save(run_dir / f"in_{i}.npy", x)
            args += ["-i", run_dir / f"in_{i}.npy"]
        p = tfl("run", model, *args, "-o", run_dir / "out", "--threads", THREADS[seed])
        assert p.returncode == 0, f"seed {seed}: tfl run failed ({p.returncode}): {p.stderr.strip()}"
        for i, w in enumerate(want):
            got = np.load(run_dir / "out" / f"output_{i}.npy")
            compare(got, w, f"seed {seed}, output {i} '{out_details[i]['name']}'")


# ---- broken model files ----------------------------------------------------

def _hello(models_dir):
    p = models_dir / "hello_world_int8.tflite"
    if not p.is_file():
        pytest.skip(f"{p} is absent")
    return p.read_bytes()


BAD_FILES = {
    # name: (contents from the shared models folder, words the message must contain)
    "empty": (lambda d: b"", ["empty"]),
    "text": (lambda d: b"this is not a model, just some text\n" * 4, ["not a TFLite model"]),
    "short": (lambda d: b"TFL3", []),
    "identifier_only": (lambda d: b"\x10\x00\x00\x00TFL3" + b"\x00" * 8, []),
    "random_bytes": (lambda d: np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8)
                     .tobytes(), []),
    "truncated_16": (lambda d: _hello(d)[:16], []),
    "truncated_half": (lambda d: _hello(d)[:len(_hello(d)) // 2], []),
    "truncated_last_byte": (lambda d: _hello(d)[:-1], []),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["run", "inspect"])
def test_bad_model_file(case, command, tfl, models_dir, tmp_path):
    make, words = BAD_FILES[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(make(models_dir))
    p = tfl(command, path)
    assert p.returncode >= 0, f"tfl crashed with signal {-p.returncode}: {p.stderr}"
    assert p.returncode == 1, f"exit {p.returncode}, stderr: {p.stderr!r}"
    assert p.stderr.startswith("tfl: "), p.stderr
    assert len(p.stderr.strip()) > len("tfl: ") + 5, p.stderr
    for w in words:
        assert w in p.stderr, p.stderr
    assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr, p.stderr


@pytest.mark.parametrize("name,words", [
    ("invalid_model_invoking_error.tflite", ["fake-op-double", "not supported"]),
    ("posenet_custom_decoder_op.tflite", ["not supported"]),
])
def test_unrunnable_model(name, words, tfl, models_dir, tmp_path):
    """Models with ops no runtime has: `tfl run` says which op and exits 1."""
    path = models_dir / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    p = tfl("run", path, "-o", tmp_path)
    assert p.returncode == 1, p.stderr
    for w in words:
        assert w in p.stderr, p.stderr
