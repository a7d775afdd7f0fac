#!/usr/bin/env python3
"""Side-by-side benchmark: tfl (`tfl bench --json`) against LiteRT
(`ai_edge_litert` with its default op resolver, i.e. XNNPACK), on the same
seeded random inputs and thread count, the two engines alternating round by
round in one run of this script.

    python bench/compare.py [MODEL ...] [--threads 1 2] [--warmup 5] [--runs 30]
                            [--rounds 3] [--seed 0] [--json-out PATH] [--md-out PATH]

Without MODEL arguments it runs the fixed list of `make bench`: models from
TFL_SHARED_DIR/models (default ../shared; absent ones are skipped with a
message) and those tools/gen_bench_models.py generates (written to
--generated-dir when absent). TFL_BIN names the tfl binary (default build/tfl).

Every round runs each engine in a fresh process: `tfl bench` for tfl, and
this script with --litert-worker for LiteRT, so load time, first invoke and
peak RSS are per model. Per model and thread count it reports the median and
p90 invoke latency of each engine, the ratio tfl/LiteRT of the medians
(< 1: tfl is faster), load and first-invoke time, peak RSS, and the achieved
GMAC/s against the CPU's measured per-core peak, float32 for models whose
multiply-accumulates are mostly float, int8 for the others (bench/README.md).
Prints a table; writes JSON (--json-out) and a markdown table (--md-out).
Nothing here asserts on time.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
SHARED_MODELS = [
    "mobilenet_v1_0.25_224_float",
    "deeplabv3_metadata",
    "yamnet_classifier_metadata",
    "dilated_conv",
    "mobilenet_v1_0.25_224_quant_metadata",
    "mobilenet_v1_0.5_160_quant",
    "mobilenet_v2_1.0_224_quant",
    "tf2_mobilenet_v2_1.0_224_ptq",
    "mobilenet_v2_quantized_1x3x224x224",
    "ssd_mobilenet_v1_coco_quant_metadata",
    "deeplabv3_mnv2_dm05_pascal_quant",
    "movenet_single_pose_lightning_ptq",
]
sys.path.insert(0, str(REPO / "tools"))
from gen_bench_models import MODELS as _GENERATED  # noqa: E402  (names only)
GENERATED_MODELS = list(_GENERATED)


class Skip(Exception):
    """A model one engine cannot run: reported in the table, not fatal."""


def last_line(text, default="failed"):
    lines = text.strip().splitlines()
    return lines[-1] if lines else default


# ---- the LiteRT worker (one process per round) ---------------------------

def rss_kb():
    """Peak RSS of this process so far, KiB: VmHWM on Linux (ru_maxrss survives
    execve, so it would start at the parent's peak), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r // 1024 if sys.platform == "darwin" else r


def litert_worker(args):
    """Loads the model, times the first invoke, warm-up and timed runs, and
    prints one JSON object shaped like `tfl bench --json`'s (or {"error"})."""
    try:
        import numpy as np
        from ai_edge_litert.interpreter import Interpreter
        inputs, i = [], 0
        while (args.inputs / f"input_{i}.npy").is_file():
            inputs.append(np.load(args.inputs / f"input_{i}.npy"))
            i += 1
        base_rss = rss_kb()
        t0 = time.perf_counter_ns()
        it = Interpreter(model_path=str(args.litert_worker), num_threads=args.threads[0])
        details = it.get_input_details()
        if len(details) != len(inputs):
            raise Skip(f"{len(details)} inputs, tfl saved {len(inputs)}")
        resized = False
        for d, a in zip(details, inputs):
            if list(d["shape"]) != list(a.shape):
                it.resize_tensor_input(d["index"], a.shape)
                resized = True
        it.allocate_tensors()
        load_ms = (time.perf_counter_ns() - t0) * 1e-6
        for d, a in zip(it.get_input_details() if resized else details, inputs):
            it.set_tensor(d["index"], a)
        t0 = time.perf_counter_ns()
        it.invoke()
        first_ms = (time.perf_counter_ns() - t0) * 1e-6
        for _ in range(args.warmup):
            it.invoke()
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter_ns()
            it.invoke()
            runs.append((time.perf_counter_ns() - t0) * 1e-6)
        out = dict(load_ms=load_ms, first_invoke_ms=first_ms, runs_ms=runs,
                   peak_rss_kb=rss_kb(), base_rss_kb=base_rss)
    except Exception as e:  # LiteRT raises RuntimeError/ValueError on bad models
        out = dict(error=last_line(str(e), type(e).__name__))
    json.dump(out, sys.stdout)
    print()


# ---- running the engines ---------------------------------------------------

def tfl_bin():
    path = Path(os.environ.get("TFL_BIN", REPO / "build" / "tfl"))
    if not path.is_file():
        sys.exit(f"compare.py: tfl binary not found at {path} (build it or set TFL_BIN)")
    return str(path)


def save_inputs(tfl, model, seed, out):
    """The inputs `tfl bench --seed` uses, saved by `tfl run --seed -o` (same generator)."""
    p = subprocess.run([tfl, "run", str(model), "--seed", str(seed), "-o", str(out)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip("tfl: " + last_line(p.stderr).removeprefix("tfl: "))


def run_tfl(tfl, model, threads, args):
    p = subprocess.run([tfl, "bench", str(model), "--json", "--threads", str(threads),
                        "--warmup", str(args.warmup), "--runs", str(args.runs),
                        "--seed", str(args.seed)], capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip("tfl: " + last_line(p.stderr).removeprefix("tfl: "))
    return json.loads(p.stdout)


def run_litert(model, threads, args, inputs):
    p = subprocess.run([sys.executable, __file__, "--litert-worker", str(model),
                        "--inputs", str(inputs), "--threads", str(threads),
                        "--warmup", str(args.warmup), "--runs", str(args.runs)],
                       capture_output=True, text=True)
    try:
        out = json.loads(last_line(p.stdout, "{}"))
    except ValueError:
        out = {}
    if p.returncode != 0 or "runs_ms" not in out:
        raise Skip("LiteRT: " + out.get("error", last_line(p.stderr)))
    return out


def p90(xs):
    """Linear interpolation between order statistics (NumPy's default)."""
    s = sorted(xs)
    pos = 0.9 * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summarize(rounds):
    """One engine's rounds: latency over all timed invokes, load and first
    invoke as medians over the rounds, peak RSS as the largest."""
    runs = [t for r in rounds for t in r["runs_ms"]]
    out = dict(median_ms=statistics.median(runs), p90_ms=p90(runs), min_ms=min(runs),
               load_ms=statistics.median(r["load_ms"] for r in rounds),
               first_invoke_ms=statistics.median(r["first_invoke_ms"] for r in rounds),
               peak_rss_kb=max(r["peak_rss_kb"] for r in rounds))
    if "base_rss_kb" in rounds[0]:
        out["base_rss_kb"] = max(r["base_rss_kb"] for r in rounds)
    return out


def measure(tfl, model, threads, args, inputs):
    """Alternates the engines round by round (swapping who goes first) so slow
    drifts of the machine load both."""
    t_rounds, l_rounds = [], []
    for r in range(args.rounds):
        for engine in (("tfl", "litert") if r % 2 == 0 else ("litert", "tfl")):
            if engine == "tfl":
                t_rounds.append(run_tfl(tfl, model, threads, args))
            else:
                l_rounds.append(run_litert(model, threads, args, inputs))
    return t_rounds, l_rounds


# ---- the CPU and its peaks -------------------------------------------------

def cpu_info(tfl):
    """Model name, tfl's feature list, and the per-core peaks `tfl bench
    --peak` measures: the widest float32 FMA and int8 dot product, in
    independent chains, clock as the core runs it (turbo included)."""
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                name = value.strip()
                break
    except OSError:
        pass
    p = subprocess.run([tfl, "bench", "--peak", "--json"], capture_output=True, text=True)
    pk = json.loads(p.stdout) if p.returncode == 0 else {}
    return dict(model_name=name, features=pk.get("cpu", ""),
                f32_gmacs_per_core=pk.get("f32_gmacs_per_core") or None,
                f32_isa=pk.get("f32_isa"),
                int8_gmacs_per_core=pk.get("int8_gmacs_per_core") or None,
                int8_isa=pk.get("int8_isa"))


def peak_gmacs(cpu, threads, is_float):
    per_core = cpu["f32_gmacs_per_core" if is_float else "int8_gmacs_per_core"]
    return per_core * threads if per_core else None


# ---- the model list ----------------------------------------------------------

def default_models(gen_dir):
    models, skipped = [], []
    for name in SHARED_MODELS:
        path = SHARED / "models" / f"{name}.tflite"
        if path.is_file():
            models.append(path)
        else:
            skipped.append(dict(model=name, error=f"not found at {path}"))
    if not all((gen_dir / f"{n}.tflite").is_file() for n in GENERATED_MODELS):
        subprocess.run([sys.executable, str(REPO / "tools" / "gen_bench_models.py"),
                        str(gen_dir)], check=True, stdout=subprocess.DEVNULL)
    models += [gen_dir / f"{n}.tflite" for n in GENERATED_MODELS]
    for s in skipped:
        print(f"compare.py: skipping {s['model']}: {s['error']}", file=sys.stderr)
    return models, skipped


# ---- output ------------------------------------------------------------------

def mib(kb):
    return None if kb is None else kb / 1024


def row_cells(row):
    """The cells shared by the text and markdown tables."""
    t, l = row["tfl"], row["litert"]
    def gm(e):
        pct = f" ({e['peak_percent']:.0f}%)" if e.get("peak_percent") is not None else ""
        return f"{e['gmacs']:.1f}{pct}" if e.get("gmacs") is not None else "–"
    def ms(v):
        return f"{v:.3f}" if v < 1 else f"{v:.2f}"
    return [f"{ms(t['median_ms'])} / {ms(t['p90_ms'])}",
            f"{ms(l['median_ms'])} / {ms(l['p90_ms'])}",
            f"{row['ratio']:.2f}", gm(t), gm(l),
            f"{t['load_ms']:.1f} / {l['load_ms']:.1f}",
            f"{t['first_invoke_ms']:.1f} / {l['first_invoke_ms']:.1f}",
            f"{mib(t['peak_rss_kb']):.1f} / {mib(l['peak_rss_kb']):.1f} "
            f"(+{mib(l['peak_rss_kb'] - l['base_rss_kb']):.1f})"]


HEADERS = ["tfl ms med/p90", "LiteRT ms med/p90", "tfl/LiteRT", "tfl GMAC/s (%pk)",
           "LiteRT GMAC/s (%pk)", "load ms tfl/LRT", "1st inv ms tfl/LRT", "RSS MiB tfl/LRT (+model)"]


def print_progress(row, file=sys.stderr):
    head = f"{row['model']:40} {row['threads']:>3}"
    if "error" in row:
        print(f"{head}  skipped: {row['error']}", file=file)
    else:
        print(f"{head}  tfl {row['tfl']['median_ms']:8.2f} ms  LiteRT "
              f"{row['litert']['median_ms']:8.2f} ms  tfl/LiteRT {row['ratio']:.2f}", file=file)
    file.flush()


def print_table(res):
    widths = [15, 17, 10, 16, 19, 17, 18, 25]
    print(f"cpu: {res['cpu']['model_name']} ({res['cpu']['features']})")
    print(f"{res['rounds']} alternating rounds x {res['runs']} runs per engine, "
          f"{res['warmup']} warm-up; seed {res['seed']}; LiteRT {res['litert_version']}")
    print(f"{'model':40} {'thr':>3} " + " ".join(f"{h:>{w}}" for h, w in zip(HEADERS, widths)))
    for row in res["rows"]:
        head = f"{row['model']:40} {row['threads']:>3} "
        if "error" in row:
            print(f"{head} skipped: {row['error']}")
        else:
            print(head + " ".join(f"{c:>{w}}" for c, w in zip(row_cells(row), widths)))


def markdown(res):
    cpu = res["cpu"]
    def per_core(kind):
        g = cpu[f"{kind}_gmacs_per_core"]
        return f"{g:.1f} GMAC/s per core ({cpu[kind + '_isa']})" if g else "unknown"
    base = [r["litert"]["base_rss_kb"] for r in res["rows"] if "litert" in r]
    lines = [
        f"- CPU: {cpu['model_name']}, {os.cpu_count()} logical CPUs; tfl sees "
        f"`{cpu['features']}`",
        f"- Date: {res['date']}; tfl {res['tfl_version']}"
        + (f" ({res['tfl_commit']})" if res.get("tfl_commit") else "")
        + f"; LiteRT (ai-edge-litert) {res['litert_version']}, default resolver (XNNPACK)",
        f"- Threads {' and '.join(map(str, res['threads']))}; {res['rounds']} alternating "
        f"rounds x {res['runs']} timed invokes per engine after {res['warmup']} warm-up; "
        f"random inputs, seed {res['seed']}",
        f"- Peaks measured by `tfl bench --peak`: float32 {per_core('f32')}, int8 "
        f"{per_core('int8')}, x threads; %pk sets a model against the float32 peak when "
        f"most of its MACs are float; GMAC/s = MACs per invoke / median latency",
    ]
    if base:
        lines.append(f"- LiteRT's peak RSS includes its Python worker ({mib(min(base)):.0f}–"
                     f"{mib(max(base)):.0f} MiB before the model loads); (+model) is the "
                     f"growth past that")
    lines += ["", "| Model | Threads | " + " | ".join(HEADERS) + " |",
              "|---|---:|" + "---:|" * len(HEADERS)]
    for row in res["rows"]:
        if "error" in row:
            lines.append(f"| {row['model']} | {row['threads']} | skipped: {row['error']} |"
                         + " |" * (len(HEADERS) - 1))
        else:
            lines.append(f"| {row['model']} | {row['threads']} | "
                         + " | ".join(row_cells(row)) + " |")
    for s in res["skipped"]:
        lines.append(f"\nSkipped {s['model']}: not found.")
    return "\n".join(lines) + "\n"


def litert_version():
    try:
        from importlib.metadata import version
        return version("ai-edge-litert")
    except Exception:
        return "unknown"


def git_commit():
    p = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


# ---- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", type=Path, help="default: the list of `make bench`")
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--runs", type=int, default=30, help="timed invokes per round and engine")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--generated-dir", type=Path, default=REPO / "build" / "bench-models",
                    help="where the generated models are (made when absent)")
    ap.add_argument("--json-out", type=Path, default=REPO / "build" / "bench" / "results.json")
    ap.add_argument("--md-out", type=Path, default=REPO / "build" / "bench" / "results.md")
    ap.add_argument("--litert-worker", type=Path, metavar="MODEL", help=argparse.SUPPRESS)
    ap.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.litert_worker:
        return litert_worker(args)
    if args.runs < 1 or args.rounds < 1 or args.warmup < 0 or min(args.threads) < 1:
        ap.error("--runs, --rounds and --threads need positive values, --warmup >= 0")

    tfl = tfl_bin()
    if args.models:
        models, skipped = args.models, []
    else:
        models, skipped = default_models(args.generated_dir)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, model in enumerate(models):
            name = model.name.removesuffix(".tflite")
            inputs = Path(tmp) / f"inputs_{k}"
            try:
                save_inputs(tfl, model, args.seed, inputs)
            except Skip as e:
                for n in args.threads:
                    rows.append(dict(model=name, threads=n, error=str(e)))
                    print_progress(rows[-1])
                continue
            for n in args.threads:
                row = dict(model=name, threads=n)
                try:
                    t_rounds, l_rounds = measure(tfl, model, n, args, inputs)
                    row.update(macs=t_rounds[0]["macs"],
                               is_float=2 * t_rounds[0]["float_macs"] > t_rounds[0]["macs"],
                               tfl=summarize(t_rounds),
                               litert=summarize(l_rounds))
                    row["ratio"] = row["tfl"]["median_ms"] / row["litert"]["median_ms"]
                except Skip as e:
                    row["error"] = str(e)
                rows.append(row)
                print_progress(row)

    cpu = cpu_info(tfl)
    for row in rows:
        for e in (row.get("tfl"), row.get("litert")):
            if e and row["macs"]:
                e["gmacs"] = row["macs"] / (e["median_ms"] * 1e-3) * 1e-9
                peak = peak_gmacs(cpu, row["threads"], row["is_float"])
                e["peak_percent"] = 100 * e["gmacs"] / peak if peak else None
    res = dict(date=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
               cpu=cpu, tfl_version=subprocess.run([tfl, "--version"], capture_output=True,
                                                   text=True).stdout.split()[-1],
               tfl_commit=git_commit(), litert_version=litert_version(),
               threads=args.threads, warmup=args.warmup, runs=args.runs, rounds=args.rounds,
               seed=args.seed,
               rows=rows, skipped=skipped)
    for path in (args.json_out, args.md_out):
        path.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(res, indent=2) + "\n")
    args.md_out.write_text(markdown(res))
    print_table(res)
    print(f"\nwrote {args.json_out} and {args.md_out}")


if __name__ == "__main__":
    main()
