"""`tfl bench`: output fields (text and JSON), --per-op tables naming the
model's own ops, option parsing and error exits. Functional only: nothing
here asserts on how long anything takes."""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIGITS = REPO / "examples" / "digits" / "digits_int8.tflite"


def _model_ops(tfl, model):
    """Op name -> node count, from `tfl inspect --json` (which counts over all
    subgraphs: the models here have one)."""
    info = tfl.inspect(model)
    assert len(info["subgraphs"]) == 1
    counts = Counter()
    for op in info["ops"]:
        counts[op["name"]] += op["count"]
    return counts


def _bench_json(tfl, *args, env=None):
    p = tfl("bench", *args, "--json", env=env)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_help(tfl):
    for args in (["bench", "--help"], ["bench", "-h"], ["help", "bench"]):
        p = tfl(*args)
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith("usage: tfl bench MODEL"), p.stdout
        for opt in ("--threads", "--warmup", "--runs", "--seed", "--per-op", "--json"):
            assert opt in p.stdout
    assert "bench" in tfl("help").stdout


def test_text_output(tfl):
    p = tfl("bench", DIGITS, "--runs", "3", "--warmup", "1")
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    lines = p.stdout.splitlines()
    assert lines[0] == f"model: {DIGITS}"
    assert lines[1] == "threads 1, warm-up 1, runs 3, random inputs (seed 0)"
    # The CPU features detected at run time (x86: cpuid + XGETBV), as named in docs.
    assert re.fullmatch(r"cpu: (none|[a-z0-9.\-]+( [a-z0-9.\-]+)*)", lines[2]), lines[2]
    assert re.fullmatch(r"arena: \d+ bytes \(\d+\.\d\d MiB\), packed weights: \d+ bytes "
                        r"\(\d+\.\d\d MiB\)", lines[3]), lines[3]
    m = re.fullmatch(r"latency: min ([\d.]+) ms, median ([\d.]+) ms, mean ([\d.]+) ms, "
                     r"max ([\d.]+) ms", lines[4])
    assert m, lines[4]
    lo, med, mean, hi = map(float, m.groups())
    assert lo <= med <= hi and lo <= mean <= hi
    assert re.fullmatch(r"load: [\d.]+ ms \(model, interpreter, allocate\), "
                        r"first invoke: [\d.]+ ms", lines[5]), lines[5]
    m = re.fullmatch(r"macs: (\d+) per invoke \(([\d.]+) GMAC/s at the median\), "
                     r"peak RSS: (\d+) KiB", lines[6])
    assert m, lines[6]
    assert int(m.group(1)) > 0 and int(m.group(3)) > 0
    assert len(lines) == 7  # no per-op tables without --per-op


def test_json_fields(tfl):
    info = tfl.inspect(DIGITS)
    d = _bench_json(tfl, DIGITS, "--runs", "5", "--warmup", "0", "--threads", "2",
                    "--seed", "7")
    assert d["model"] == str(DIGITS)
    assert (d["threads"], d["warmup"], d["runs"], d["seed"]) == (2, 0, 5, 7)
    # inspect plans for 1 thread; at 2 threads each worker's scratch slice
    # (e.g. the AVX2 convolution's gathered rows) may make the arena larger.
    assert d["arena_bytes"] >= info["allocation"]["arena_bytes"]
    d1 = _bench_json(tfl, DIGITS, "--runs", "1", "--warmup", "0", "--threads", "1")
    assert d1["arena_bytes"] == info["allocation"]["arena_bytes"]
    # Packed weights are made once per model, whatever the thread count;
    # without SIMD records (TFL_ISA=ref) there are none.
    assert d["packed_bytes"] == d1["packed_bytes"] >= 0
    d0 = _bench_json(tfl, DIGITS, "--runs", "1", "--warmup", "0", env={"TFL_ISA": "ref"})
    assert d0["packed_bytes"] == 0
    assert d["cpu_features"] == info["cpu_features"]
    assert len(d["runs_ms"]) == 5 and all(t >= 0 for t in d["runs_ms"])
    lat = d["latency_ms"]
    assert set(lat) == {"min", "median", "mean", "max"}
    assert lat["min"] == min(d["runs_ms"]) and lat["max"] == max(d["runs_ms"])
    assert lat["median"] == sorted(d["runs_ms"])[2]
    assert lat["mean"] == pytest.approx(sum(d["runs_ms"]) / 5)
    assert "ops" not in d and "top_nodes" not in d
    assert d["load_ms"] > 0 and d["first_invoke_ms"] > 0 and d["peak_rss_kb"] > 0
    assert d["macs"] == d1["macs"] == d0["macs"] > 0  # from shapes: same for any threads/ISA


def test_macs_mobilenet(tfl, runnable_model):
    # Sum over the CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED nodes of
    # out_elems * kh * kw * in_ch / groups (depthwise: out_elems * kh * kw;
    # FC: batch * out * in); the MobileNet paper rounds it to 14 million.
    model = runnable_model("mobilenet_v1_0.25_128_quant.tflite")
    d = _bench_json(tfl, model, "--runs", "1", "--warmup", "0")
    assert d["macs"] == 13570304
    assert d["float_macs"] == 0  # all uint8


def test_float_macs(tfl, runnable_model):
    # The float model of the same network counts every MAC as float.
    model = runnable_model("mobilenet_v1_0.25_224_float.tflite")
    d = _bench_json(tfl, model, "--runs", "1", "--warmup", "0")
    assert d["float_macs"] == d["macs"] > 0


def test_peak(tfl):
    d = _bench_json(tfl, "--peak")
    assert set(d) == {"cpu", "f32_gmacs_per_core", "f32_isa", "int8_gmacs_per_core",
                      "int8_isa"}
    feats = d["cpu"].split()
    # Measured only where a SIMD path exists; otherwise 0 and "none".
    if "avx512f" in feats or "avx2" in feats:
        assert d["f32_gmacs_per_core"] > 0 and "vfmadd231ps" in d["f32_isa"]
        assert d["int8_gmacs_per_core"] > 0 and d["int8_isa"] != "none"
    else:
        assert d["f32_gmacs_per_core"] == 0 and d["f32_isa"] == "none"
    p = tfl("bench", "--peak")
    assert p.returncode == 0 and "float32 peak per core:" in p.stdout
    p = tfl("bench", "--peak", DIGITS)
    assert p.returncode == 2 and "--peak takes no MODEL" in p.stderr


def test_json_median_of_even_runs(tfl):
    d = _bench_json(tfl, DIGITS, "--runs", "4", "--warmup", "0")
    s = sorted(d["runs_ms"])
    assert d["latency_ms"]["median"] == pytest.approx((s[1] + s[2]) / 2)


def _check_per_op(d, ops):
    assert {o["op"] for o in d["ops"]} == set(ops)
    assert {o["op"]: o["nodes"] for o in d["ops"]} == dict(ops)
    ms = [o["ms"] for o in d["ops"]]
    assert ms == sorted(ms, reverse=True)
    assert sum(o["percent"] for o in d["ops"]) == pytest.approx(100, abs=1e-6) or \
        d["node_total_ms"] == 0
    assert sum(ms) == pytest.approx(d["node_total_ms"], rel=1e-6, abs=1e-9)
    nodes = d["top_nodes"]
    assert len(nodes) == min(10, sum(ops.values()))
    assert len({n["node"] for n in nodes}) == len(nodes)
    assert all(n["op"] in ops and isinstance(n["output"], str) for n in nodes)
    assert [n["ms"] for n in nodes] == sorted((n["ms"] for n in nodes), reverse=True)


def test_per_op_json_digits(tfl):
    ops = _model_ops(tfl, DIGITS)
    d = _bench_json(tfl, DIGITS, "--per-op", "--runs", "3")
    _check_per_op(d, ops)
    assert len(d["top_nodes"]) == sum(ops.values())  # fewer than 10 nodes: all listed


def test_per_op_json_shared_model(tfl, runnable_model):
    model = runnable_model("mobilenet_v1_0.25_128_quant.tflite")
    ops = _model_ops(tfl, model)
    d = _bench_json(tfl, model, "--per-op", "--runs", "1", "--warmup", "0")
    _check_per_op(d, ops)
    assert len(d["top_nodes"]) == 10
    assert {"CONV_2D", "DEPTHWISE_CONV_2D"} <= {o["op"] for o in d["ops"]}


def test_per_op_text(tfl):
    ops = _model_ops(tfl, DIGITS)
    p = tfl("bench", DIGITS, "--per-op", "--runs", "2")
    assert p.returncode == 0, p.stderr
    text = p.stdout
    assert "per op type (mean ms per invoke" in text
    table = text.split("per op type")[1].split("top ")[0]
    rows = re.findall(r"^  ([A-Z0-9_]+) +(\d+) +[\d.]+ +[\d.]+%$", table, re.M)
    assert {name: int(n) for name, n in rows} == dict(ops)
    top = text.split("top ")[1]
    assert top.startswith(f"{sum(ops.values())} nodes:")
    node_rows = re.findall(r"^ +(\d+)  ([A-Z0-9_]+) +[\d.]+ +[\d.]+%  \S", top, re.M)
    assert len(node_rows) == sum(ops.values())
    assert all(op in ops for _, op in node_rows)


@pytest.mark.parametrize("args,message", [
    ([], "missing MODEL"),
    (["m.tflite", "--frob"], "unknown option '--frob'"),
    (["a.tflite", "b.tflite"], "unexpected argument 'b.tflite'"),
    (["m.tflite", "--threads", "0"], "--threads needs an integer in [1, 256]"),
    (["m.tflite", "--threads"], "--threads needs"),
    (["m.tflite", "--runs", "0"], "--runs needs an integer"),
    (["m.tflite", "--runs", "x"], "--runs needs an integer"),
    (["m.tflite", "--warmup", "-1"], "--warmup needs an integer"),
    (["m.tflite", "--seed", "-3"], "--seed needs a non-negative integer"),
])
def test_usage_errors(tfl, args, message):
    p = tfl("bench", *args)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith(f"tfl bench: {message}"), p.stderr
    assert "usage: tfl bench MODEL" in p.stderr
    assert p.stdout == ""


def test_missing_model(tfl, tmp_path):
    p = tfl("bench", "x.tflite", cwd=tmp_path)
    assert p.returncode == 1
    assert p.stderr == "tfl: cannot open 'x.tflite': No such file or directory\n"
    assert p.stdout == ""


def test_text_file_as_model(tfl, tmp_path):
    path = tmp_path / "notes.tflite"
    path.write_text("not a model\n" * 10)
    p = tfl("bench", path, "--json")
    assert p.returncode == 1
    assert "not a TFLite model" in p.stderr
    assert p.stdout == ""


def test_unsupported_op_names_it(tfl, shared_model):
    p = tfl("bench", shared_model("posenet_custom_decoder_op.tflite"), "--json")
    assert p.returncode == 1
    assert p.stderr.startswith("tfl: ") and "PosenetDecoderOp" in p.stderr
    assert p.stdout == ""
