#!/usr/bin/env python3
"""Side-by-side invoke latency: tfl (`tfl bench --json`) against LiteRT
(`ai_edge_litert` with its default op resolver, i.e. XNNPACK), on the same
seeded random inputs and thread count, measured in one run of this script
with the two engines alternating round by round.

    python bench/compare.py [MODEL ...] [--threads 1 2] [--warmup 3] [--runs 20]
                            [--rounds 3] [--seed 0] [--json]

TFL_BIN names the tfl binary (default build/tfl); TFL_SHARED_DIR the shared
directory holding models/ (default ../shared). Prints medians per engine and
the ratio LiteRT/tfl (> 1: tfl is faster). Nothing here asserts on time.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
DEFAULT_MODELS = [
    SHARED / "models" / "mobilenet_v1_0.25_128_quant.tflite",
    SHARED / "models" / "mobilenet_v2_1.0_224_quant.tflite",
    SHARED / "models" / "mobilenet_v1_0.25_224_float.tflite",
    SHARED / "models" / "ssd_mobilenet_v1_coco_quant_metadata.tflite",
    SHARED / "models" / "deeplabv3_mnv2_dm05_pascal_quant.tflite",
    REPO / "examples" / "digits" / "digits_int8.tflite",
]


class Skip(Exception):
    """A model one engine cannot run: reported in the table, not fatal."""


def tfl_bin():
    path = Path(os.environ.get("TFL_BIN", REPO / "build" / "tfl"))
    if not path.is_file():
        sys.exit(f"compare.py: tfl binary not found at {path} (build it or set TFL_BIN)")
    return str(path)


def seeded_inputs(tfl, model, seed, tmp):
    """The inputs `tfl bench --seed` uses, saved by `tfl run --seed -o` (same generator)."""
    out = Path(tmp) / "inputs"
    p = subprocess.run([tfl, "run", str(model), "--seed", str(seed), "-o", str(out)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip("tfl: " + (p.stderr.strip().splitlines() or ["failed"])[-1])
    import numpy as np
    arrays = []
    while (out / f"input_{len(arrays)}.npy").is_file():
        arrays.append(np.load(out / f"input_{len(arrays)}.npy"))
    return arrays


def run_tfl(tfl, model, threads, warmup, runs, seed):
    p = subprocess.run([tfl, "bench", str(model), "--json", "--threads", str(threads),
                        "--warmup", str(warmup), "--runs", str(runs), "--seed", str(seed)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip("tfl: " + (p.stderr.strip().splitlines() or ["failed"])[-1])
    return json.loads(p.stdout)["runs_ms"]


class LiteRT:
    """One interpreter per (model, threads), reused across rounds."""

    def __init__(self, model, threads, inputs):
        from ai_edge_litert.interpreter import Interpreter
        self.it = Interpreter(model_path=str(model), num_threads=threads)
        self.it.allocate_tensors()
        details = self.it.get_input_details()
        if len(details) != len(inputs):
            raise Skip(f"LiteRT: {len(details)} inputs, tfl saved {len(inputs)}")
        for d, a in zip(details, inputs):
            if list(d["shape"]) != list(a.shape):
                self.it.resize_tensor_input(d["index"], a.shape)
        self.it.allocate_tensors()
        for d, a in zip(self.it.get_input_details(), inputs):
            self.it.set_tensor(d["index"], a)

    def run(self, warmup, runs):
        for _ in range(warmup):
            self.it.invoke()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter_ns()
            self.it.invoke()
            times.append((time.perf_counter_ns() - t0) * 1e-6)
        return times


def measure(tfl, model, threads, args, inputs):
    """Alternates the engines round by round (swapping who goes first) so slow
    drifts of the machine load both; returns all timed invokes per engine."""
    try:
        lite = LiteRT(model, threads, inputs)
    except Skip:
        raise
    except Exception as e:  # LiteRT raises RuntimeError/ValueError on bad models
        raise Skip(f"LiteRT: {str(e).strip().splitlines()[-1] if str(e).strip() else e}")
    t_times, l_times = [], []
    for r in range(args.rounds):
        order = ("tfl", "litert") if r % 2 == 0 else ("litert", "tfl")
        for engine in order:
            if engine == "tfl":
                t_times += run_tfl(tfl, model, threads, args.warmup, args.runs, args.seed)
            else:
                l_times += lite.run(args.warmup, args.runs)
    return t_times, l_times


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", type=Path, help="default: a few shared models + digits")
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--runs", type=int, default=20, help="timed invokes per round and engine")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    tfl = tfl_bin()
    models = args.models or [m for m in DEFAULT_MODELS if m.is_file()]
    if not models:
        sys.exit(f"compare.py: no models given and none of the defaults under {SHARED} exist")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in models:
            try:
                inputs = seeded_inputs(tfl, model, args.seed, tmp)
            except Skip as e:
                rows += [dict(model=model.name, threads=n, error=str(e)) for n in args.threads]
                continue
            for n in args.threads:
                row = dict(model=model.name, threads=n)
                try:
                    t, l = measure(tfl, model, n, args, inputs)
                    row.update(tfl_ms=statistics.median(t), litert_ms=statistics.median(l),
                               tfl_min_ms=min(t), litert_min_ms=min(l))
                    row["ratio"] = row["litert_ms"] / row["tfl_ms"]
                except Skip as e:
                    row["error"] = str(e)
                rows.append(row)
                if sys.stderr.isatty():
                    print_row(row, file=sys.stderr)  # progress; the table goes to stdout

    if args.json:
        json.dump(dict(warmup=args.warmup, runs=args.runs, rounds=args.rounds, seed=args.seed,
                       rows=rows), sys.stdout, indent=2)
        print()
    else:
        print(f"median invoke latency, ms ({args.rounds} alternating rounds x {args.runs} "
              f"runs per engine, {args.warmup} warm-up each; seed {args.seed})")
        print(f"{'model':44} {'thr':>3} {'tfl':>10} {'LiteRT':>10} {'LiteRT/tfl':>10}")
        for row in rows:
            print_row(row)


def print_row(row, file=sys.stdout):
    if "error" in row:
        print(f"{row['model']:44} {row['threads']:>3}  skipped: {row['error']}", file=file)
    else:
        print(f"{row['model']:44} {row['threads']:>3} {row['tfl_ms']:10.3f} "
              f"{row['litert_ms']:10.3f} {row['ratio']:10.3f}", file=file)
    file.flush()


if __name__ == "__main__":
    main()
