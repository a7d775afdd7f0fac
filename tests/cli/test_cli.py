"""The `tfl` command-line tool: help and usage errors, `inspect` (text and
JSON, checked against LiteRT's own view of each model), `run` with .npy
inputs and outputs (checked against LiteRT), random inputs, and every kind of
bad input with its exit status and message."""
import json
import os
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

SHARED = Path(os.environ.get("TFL_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))

# ---- help, version, usage errors ------------------------------------------


def test_version(tfl):
    p = tfl("--version")
    assert p.returncode == 0
    assert re.fullmatch(r"tfl \d+\.\d+\.\d+\n", p.stdout)


@pytest.mark.parametrize("args", [["help"], ["--help"], ["-h"]])
def test_help(tfl, args):
    p = tfl(*args)
    assert p.returncode == 0, p.stderr
    assert "usage: tfl" in p.stdout
    assert "inspect" in p.stdout and "run" in p.stdout


@pytest.mark.parametrize("cmd", ["inspect", "run"])
def test_command_help(tfl, cmd):
    for args in ([cmd, "--help"], [cmd, "-h"], ["help", cmd]):
        p = tfl(*args)
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith(f"usage: tfl {cmd} MODEL"), p.stdout


def test_run_help_documents_random_inputs(tfl):
    out = tfl("run", "--help").stdout
    assert "[-1, 1)" in out and "[0, 100)" in out and "--seed" in out


@pytest.mark.parametrize("args,message", [
    ([], "usage: tfl"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["--frob"], "unknown option '--frob'"),
    (["help", "frobnicate"], "unknown command 'frobnicate'"),
    (["inspect"], "missing MODEL"),
    (["run"], "missing MODEL"),
    (["inspect", "--frob", "m.tflite"], "unknown option '--frob'"),
    (["run", "m.tflite", "--frob"], "unknown option '--frob'"),
    (["inspect", "a.tflite", "b.tflite"], "unexpected argument 'b.tflite'"),
    (["run", "m.tflite", "-i"], "-i needs a file"),
    (["run", "m.tflite", "-o"], "-o needs a directory"),
    (["run", "m.tflite", "--threads", "0"], "--threads"),
    (["run", "m.tflite", "--threads", "two"], "--threads"),
    (["run", "m.tflite", "--repeat", "-1"], "--repeat"),
    (["run", "m.tflite", "--seed", "x"], "--seed"),
    (["run", "m.tflite", "--seed"], "--seed"),
    (["inspect", "m.tflite", "--subgraph", "-2"], "--subgraph"),
    (["run", "m.tflite", "--max-work", "0"], "--max-work needs a positive integer"),
    (["run", "m.tflite", "--max-memory", "-5"], "--max-memory needs a positive number"),
])
def test_usage_errors(tfl, args, message):
    p = tfl(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert message in p.stderr, p.stderr
    assert "usage:" in p.stderr, p.stderr
    assert p.stdout == ""


# ---- model file errors ------------------------------------------------------


@pytest.mark.parametrize("cmd", ["inspect", "run"])
def test_missing_model(tfl, cmd, tmp_path):
    p = tfl(cmd, "x.tflite", cwd=tmp_path)
    assert p.returncode == 1
    assert p.stderr == "tfl: cannot open 'x.tflite': No such file or directory\n"


@pytest.mark.parametrize("cmd", ["inspect", "run"])
def test_directory_as_model(tfl, cmd, tmp_path):
    p = tfl(cmd, tmp_path)
    assert p.returncode == 1
    assert p.stderr.startswith("tfl: ") and "directory" in p.stderr


@pytest.mark.parametrize("cmd", ["inspect", "run"])
def test_text_file_as_model(tfl, cmd, tmp_path):
    path = tmp_path / "notes.tflite"
    path.write_text("not a model\n" * 10)
    p = tfl(cmd, path)
    assert p.returncode == 1
    assert "not a TFLite model" in p.stderr


def test_model_litert_rejects(tfl, shared_model):
    """person_detect.tflite has per-channel scales on a dimension of the wrong
    size, which LiteRT refuses. tfl may load it (TFLite Micro runs it) or
    refuse it, but only with exit 1 and a message naming the tensor."""
    p = tfl("inspect", shared_model("person_detect.tflite"))
    assert p.returncode in (0, 1), p.stderr
    if p.returncode == 1:
        assert p.stderr.startswith("tfl: ") and "tensor" in p.stderr, p.stderr


# ---- inspect ----------------------------------------------------------------


def test_inspect_text(tfl, shared_model):
    p = tfl("inspect", shared_model("mobilenet_v1_0.25_128_quant.tflite"))
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "schema version: 3" in out
    assert "0: 'input' (tensor" in out
    assert "uint8 [1, 128, 128, 3], scale 0.0078125 zero_point 128" in out
    assert "0: 'MobilenetV1/Predictions/Reshape_1'" in out and "[1, 1001]" in out
    assert re.search(r"^  CONV_2D +v1 +15( |$)", out, re.M), out
    assert re.search(r"^  DEPTHWISE_CONV_2D +v1 +13( |$)", out, re.M), out
    assert "'min_runtime_version' 16 bytes: \"1.5.0\"" in out
    assert "'TFLITE_METADATA'" in out
    assert re.search(r"^arena: (\d+ bytes \(subgraph 0\)|not allocated: .+)$", out, re.M), out


def test_inspect_text_signature_and_shape_signature(tfl, shared_model):
    out = tfl("inspect", shared_model("hello_world_float.tflite")).stdout
    assert "float32 [1, 1] signature [-1, 1], not quantized" in out
    assert "'serving_default' (subgraph 0)" in out
    assert "inputs: dense_input=0" in out


def test_inspect_unsupported_ops_are_flagged(tfl, shared_model):
    path = shared_model("posenet_custom_decoder_op.tflite")
    p = tfl("inspect", path)
    assert p.returncode == 0, p.stderr
    assert re.search(r"PosenetDecoderOp +v1 +1  UNSUPPORTED", p.stdout), p.stdout
    assert "arena: not allocated: " in p.stdout
    info = tfl.inspect(path)
    assert "PosenetDecoderOp" in info["unsupported_ops"]
    assert info["allocation"]["ok"] is False
    assert info["allocation"]["status"] == "unsupported"
    assert "not supported" in info["allocation"]["error"]
    assert info["allocation"]["arena_bytes"] is None


def _shared_models():
    d = SHARED / "models"
    return sorted(d.glob("*.tflite")) if d.is_dir() else []


def _qparams(q):
    """tfl's JSON quantization as LiteRT's (scale, zero_point) pair."""
    if q is None:
        return (0.0, 0)
    if q["per_channel"]:
        return (0.0, 0)  # LiteRT reports per-channel tensors this way too
    return (q["scale"], q["zero_point"])


@pytest.mark.parametrize("model", _shared_models() or [None],
                         ids=[m.name for m in _shared_models()] or ["no-shared-models"])
def test_inspect_json_matches_litert(tfl, litert, model):
    if model is None:
        pytest.skip("shared models are absent (set TFL_SHARED_DIR)")
    try:
        ref = litert(model)
    except Exception as e:
        p = tfl("inspect", "--json", model)
        assert p.returncode in (0, 1), p.stderr  # either way, no crash
        pytest.skip(f"LiteRT cannot load it: {str(e).splitlines()[0][:120]}")
    info = tfl.inspect(model)
    assert info["schema_version"] == 3
    assert info["size_bytes"] == model.stat().st_size
    assert len(info["subgraphs"]) >= 1
    for side, details in (("inputs", ref.get_input_details()), ("outputs", ref.get_output_details())):
        ours = info[side]
        assert len(ours) == len(details)
        for i, (t, d) in enumerate(zip(ours, details)):
            what = f"{side}[{i}]"
            assert t["index"] == i
            assert t["tensor_index"] == d["index"], what
            assert t["name"] == d["name"], what
            assert t["dtype"] == np.dtype(d["dtype"]).name, what
            assert t["shape"] == [int(x) for x in d["shape"]], what
            assert t["shape_signature"] == [int(x) for x in d["shape_signature"]], what
            scale, zp = _qparams(t["quantization"])
            assert np.float32(scale) == np.float32(d["quantization"][0]), what
            assert zp == d["quantization"][1], what
            qp = d["quantization_parameters"]
            if t["quantization"] is not None:
                assert np.array_equal(np.float32(t["quantization"]["scales"]), qp["scales"]), what
                assert t["quantization"]["zero_points"] == [int(z) for z in qp["zero_points"]]
                assert t["quantization"]["quantized_dimension"] == qp["quantized_dimension"]
            else:
                assert len(qp["scales"]) == 0, what
    # Signatures: same keys, aliases and order.
    sigs = ref.get_signature_list()
    assert sorted(s["key"] for s in info["signatures"]) == sorted(sigs)
    for s in info["signatures"]:
        assert sorted(t["name"] for t in s["inputs"]) == sorted(sigs[s["key"]]["inputs"])
        assert sorted(t["name"] for t in s["outputs"]) == sorted(sigs[s["key"]]["outputs"])
    # Op counts of the main subgraph against LiteRT's node list, where the
    # wheel exposes it (a private helper; absent in some versions).
    get_ops = getattr(ref, "_get_ops_details", None)
    if get_ops is not None and len(info["subgraphs"]) == 1:
        want = Counter(o["op_name"] for o in get_ops())
        got = Counter()
        for o in info["ops"]:
            got[o["name"]] += o["count"]
        assert got == want
    assert sum(o["count"] for o in info["ops"]) == sum(s["num_ops"] for s in info["subgraphs"])


def test_inspect_json_metadata_and_allocation(tfl, shared_model):
    info = tfl.inspect(shared_model("mobilenet_v1_0.25_128_quant.tflite"))
    meta = {m["name"]: m for m in info["metadata"]}
    assert meta["min_runtime_version"]["size"] == 16
    assert meta["min_runtime_version"]["text"] == "1.5.0"
    assert meta["TFLITE_METADATA"]["size"] > 100
    assert "text" not in meta["TFLITE_METADATA"]
    alloc = info["allocation"]
    assert set(alloc) == {"ok", "status", "arena_bytes", "error"}
    assert alloc["ok"] == (alloc["status"] == "ok")
    if alloc["ok"]:
        # At least the largest activation (the 64x64x8 uint8 after the first conv)
        assert alloc["arena_bytes"] >= 64 * 64 * 8
        assert alloc["error"] is None
    else:
        assert alloc["arena_bytes"] is None and alloc["error"]


def test_inspect_tflite_metadata(tfl, shared_model):
    path = shared_model("mobilenet_v1_0.25_224_quant_metadata.tflite")
    md = tfl.inspect(path)["tflite_metadata"]
    assert md["has_entry"] is True
    assert md["name"] == "MobileNetV1 image classifier (quantized)"
    assert md["inputs"][0]["content"] == "image" and md["inputs"][0]["color_space"] == "rgb"
    assert md["inputs"][0]["mean"] == [127.5] and md["inputs"][0]["std"] == [127.5]
    assert md["outputs"][0]["label_file"] == "labels.txt"
    assert {"name": "labels.txt", "size": 10484, "compressed": False} in md["packed_files"]
    out = tfl("inspect", path).stdout
    assert "output 0 'probability': feature, labels in 'labels.txt' (10484 bytes)" in out
    # No TFLite metadata at all: null in JSON, no section in the text.
    plain = shared_model("hello_world_int8.tflite")
    assert tfl.inspect(plain)["tflite_metadata"] is None
    assert "TFLite metadata" not in tfl("inspect", plain).stdout


def test_inspect_json_is_valid_for_every_model(tfl):
    models = _shared_models()
    if not models:
        pytest.skip("shared models are absent")
    for m in models:
        p = tfl("inspect", "--json", m)
        assert p.returncode in (0, 1), (m.name, p.stderr)
        if p.returncode == 0:
            info = json.loads(p.stdout)
            assert {"inputs", "outputs", "ops", "signatures", "metadata", "allocation",
                    "subgraphs", "unsupported_ops", "schema_version", "description",
                    "tflite_metadata"} <= set(info)
        else:
            assert p.stdout == "" and p.stderr.startswith("tfl: ")


# ---- run --------------------------------------------------------------------


def _litert_run(litert, model, inputs, resize=False):
    it = litert(model)
    if resize:
        for d, x in zip(it.get_input_details(), inputs):
            it.resize_tensor_input(d["index"], list(x.shape))
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]).copy() for d in it.get_output_details()]


def _assert_same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * max(np.abs(want).max(), 1e-30))
    else:
        np.testing.assert_array_equal(got, want)


def test_run_npy_round_trip(tfl, litert, runnable_model, tmp_path):
    model = runnable_model("simple_add_two_inputs.tflite")
    rng = np.random.default_rng(1)
    a = rng.integers(-128, 127, (1, 128, 128, 1), dtype=np.int8, endpoint=True)
    b = rng.integers(-128, 127, (1, 128, 128, 1), dtype=np.int8, endpoint=True)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    p = tfl("run", model, "-i", tmp_path / "a.npy", "--input", tmp_path / "b.npy",
            "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    assert "output 0 'PartitionedCall:0': int8 [1, 128, 128, 1]" in p.stdout
    assert "real:" in p.stdout and "min" in p.stdout and "max" in p.stdout
    assert sorted(x.name for x in (tmp_path / "out").iterdir()) == ["output_0.npy"]
    got = np.load(tmp_path / "out" / "output_0.npy")
    _assert_same(got, _litert_run(litert, model, [a, b])[0])


def test_run_float_model(tfl, litert, runnable_model, tmp_path):
    model = runnable_model("hello_world_float.tflite")
    x = np.array([[0.5]], dtype=np.float32)
    np.save(tmp_path / "x.npy", x)
    p = tfl("run", model, "-i", tmp_path / "x.npy", "-o", tmp_path)
    assert p.returncode == 0, p.stderr
    _assert_same(np.load(tmp_path / "output_0.npy"), _litert_run(litert, model, [x])[0])


def test_run_npy_format_versions(tfl, litert, runnable_model, tmp_path):
    """.npy 1.0, 2.0 and 3.0 inputs are all read."""
    model = runnable_model("hello_world_int8.tflite")
    x = np.array([[-7]], dtype=np.int8)
    want = _litert_run(litert, model, [x])[0]
    for version in ((1, 0), (2, 0), (3, 0)):
        path = tmp_path / f"x{version[0]}.npy"
        with open(path, "wb") as f:
            np.lib.format.write_array(f, x, version=version)
        out = tmp_path / f"out{version[0]}"
        p = tfl("run", model, "-i", path, "-o", out)
        assert p.returncode == 0, (version, p.stderr)
        _assert_same(np.load(out / "output_0.npy"), want)


def test_run_resizes_free_dimension(tfl, litert, runnable_model, tmp_path):
    """hello_world's input signature is [-1, 1]: a batch of 5 resizes it."""
    model = runnable_model("hello_world_float.tflite")
    x = np.linspace(-3, 3, 5, dtype=np.float32).reshape(5, 1)
    np.save(tmp_path / "x.npy", x)
    p = tfl("run", model, "-i", tmp_path / "x.npy", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    got = np.load(tmp_path / "out" / "output_0.npy")
    assert got.shape == (5, 1)
    _assert_same(got, _litert_run(litert, model, [x], resize=True)[0])


def test_run_random_inputs(tfl, litert, runnable_model, tmp_path):
    model = runnable_model("simple_add_two_inputs.tflite")
    p = tfl("run", model, "--seed", 42, "-o", tmp_path / "a")
    assert p.returncode == 0, p.stderr
    assert "random inputs, seed 42" in p.stdout
    files = sorted(x.name for x in (tmp_path / "a").iterdir())
    assert files == ["input_0.npy", "input_1.npy", "output_0.npy"]
    ins = [np.load(tmp_path / "a" / f"input_{i}.npy") for i in range(2)]
    for x in ins:
        assert x.dtype == np.int8 and x.shape == (1, 128, 128, 1)
        # uniform over the whole int8 range
        assert x.min() == -128 and x.max() == 127
        assert abs(float(x.mean()) + 0.5) < 2
    assert not np.array_equal(ins[0], ins[1])
    _assert_same(np.load(tmp_path / "a" / "output_0.npy"), _litert_run(litert, model, ins)[0])
    # Same seed: same inputs; another seed: different ones.
    assert tfl("run", model, "--seed", 42, "-o", tmp_path / "b").returncode == 0
    assert tfl("run", model, "--seed", 43, "-o", tmp_path / "c").returncode == 0
    assert np.array_equal(np.load(tmp_path / "b" / "input_0.npy"), ins[0])
    assert not np.array_equal(np.load(tmp_path / "c" / "input_0.npy"), ins[0])


def test_run_random_float_range(tfl, runnable_model, tmp_path):
    model = runnable_model("hello_world_float.tflite")
    for seed in range(20):
        p = tfl("run", model, "--seed", seed, "-o", tmp_path)
        assert p.returncode == 0, p.stderr
        x = np.load(tmp_path / "input_0.npy")
        assert x.dtype == np.float32 and -1 <= x.item() < 1


def test_run_without_output_dir_writes_nothing(tfl, runnable_model, tmp_path):
    model = runnable_model("hello_world_int8.tflite")
    p = tfl("run", model, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert list(tmp_path.iterdir()) == []
    assert "output 0 'StatefulPartitionedCall:0': int8 [1, 1]" in p.stdout


def test_run_repeat_and_threads(tfl, runnable_model):
    model = runnable_model("hello_world_int8.tflite")
    p = tfl("run", model, "--repeat", 3, "--threads", 2)
    assert p.returncode == 0, p.stderr
    assert re.search(r"invoke: 3 runs, mean [\d.]+ ms, best [\d.]+ ms \(2 threads\)", p.stdout)


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "digits" / "digits_int8.tflite"


def test_run_limits(tfl):
    """The work and memory caps refuse at allocate with a message naming the
    limit, and a raised cap runs the same model."""
    p = tfl("run", EXAMPLE, "--max-work", 1000)
    assert p.returncode == 1
    assert "CONV_2D (node 0): the graph needs at least" in p.stderr
    assert "more than the limit of 1000" in p.stderr
    p = tfl("run", EXAMPLE, "--max-memory", 1000)
    assert p.returncode == 1
    assert "more than the 1000-byte memory limit" in p.stderr
    p = tfl("run", EXAMPLE, "--max-work", 10 ** 9, "--max-memory", 10 ** 8)
    assert p.returncode == 0, p.stderr


# ---- run: bad inputs ----------------------------------------------------------


def test_run_wrong_dtype(tfl, runnable_model, tmp_path):
    model = runnable_model("hello_world_int8.tflite")
    np.save(tmp_path / "x.npy", np.zeros((1, 1), np.float32))
    p = tfl("run", model, "-i", tmp_path / "x.npy")
    assert p.returncode == 1
    assert ("input 0 'serving_default_dense_input:0': expected dtype int8, got float32 "
            f"(from '{tmp_path / 'x.npy'}')") in p.stderr, p.stderr


def test_run_wrong_shape(tfl, runnable_model, tmp_path):
    """Input 0 resized to 64x64 no longer broadcasts against input 1 (128x128):
    allocation fails and the message names the input, its shape and signature."""
    model = runnable_model("simple_add_two_inputs.tflite")
    np.save(tmp_path / "a.npy", np.zeros((1, 64, 64, 1), np.int8))
    np.save(tmp_path / "b.npy", np.zeros((1, 128, 128, 1), np.int8))
    p = tfl("run", model, "-i", tmp_path / "a.npy", "-i", tmp_path / "b.npy")
    assert p.returncode == 1, p.stdout
    assert p.stderr.startswith("tfl: input 0 'serving_default_input_1:0': "), p.stderr
    assert "shape [1, 64, 64, 1]" in p.stderr and "[-1, 128, 128, 1]" in p.stderr, p.stderr
    assert "ADD (node 0)" in p.stderr, p.stderr


def test_run_wrong_input_count(tfl, runnable_model, tmp_path):
    model = runnable_model("simple_add_two_inputs.tflite")
    np.save(tmp_path / "a.npy", np.zeros((1, 128, 128, 1), np.int8))
    p = tfl("run", model, "-i", tmp_path / "a.npy")
    assert p.returncode == 1
    assert "the model has 2 inputs but 1 -i file was given" in p.stderr, p.stderr


@pytest.mark.parametrize("case,message", [
    ("missing", "cannot open"),
    ("garbage", "not a .npy file (bad magic)"),
    ("truncated", "data is truncated"),
    ("fortran", "Fortran-order arrays are not supported"),
    ("big_endian", "big-endian"),
    ("object", "dtype '|O' is not supported"),
    ("huge_header", "header length"),
])
def test_run_bad_npy(tfl, runnable_model, tmp_path, case, message):
    model = runnable_model("hello_world_float.tflite")
    path = tmp_path / "x.npy"
    if case == "garbage":
        path.write_bytes(b"hello, this is not numpy" * 3)
    elif case == "truncated":
        np.save(path, np.zeros((4, 1), np.float32))
        path.write_bytes(path.read_bytes()[:-3])
    elif case == "fortran":
        np.save(path, np.asfortranarray(np.zeros((2, 3), np.float32)))
    elif case == "big_endian":
        np.save(path, np.zeros((1, 1), ">f4"))
    elif case == "object":
        np.save(path, np.array([[None]], dtype=object), allow_pickle=True)
    elif case == "huge_header":
        path.write_bytes(b"\x93NUMPY\x02\x00\xff\xff\xff\x7f{")
    p = tfl("run", model, "-i", path)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith("tfl: input 0: "), p.stderr
    assert message in p.stderr, p.stderr
    if case != "missing":
        assert str(path) in p.stderr


def test_run_output_dir_is_a_file(tfl, runnable_model, tmp_path):
    model = runnable_model("hello_world_int8.tflite")
    f = tmp_path / "file"
    f.write_text("x")
    p = tfl("run", model, "-o", f)
    assert p.returncode == 1
    assert "exists and is not a directory" in p.stderr


def test_run_unsupported_model_names_the_op(tfl, shared_model):
    p = tfl("run", shared_model("invalid_model_invoking_error.tflite"))
    assert p.returncode == 1
    assert p.stderr == "tfl: fake-op-double (node 0): custom op is not supported\n"
