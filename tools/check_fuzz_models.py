"""Checks the seed models of tests/fuzz/models/ (tools/gen_fuzz_models.py):
each must run in tfl (`tfl run MODEL -o DIR`, seeded random inputs), and,
when ai-edge-litert is installed, load and run in LiteRT's reference kernels
on the same inputs. Integer outputs must be byte-identical; float outputs are
reported with their largest difference.

    python3 tools/check_fuzz_models.py TFL_BINARY [MODEL_DIR]

Needs NumPy (and ai-edge-litert for the comparison). Exit status 1 when a
model fails in tfl or an integer output differs.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

try:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
except ImportError:
    Interpreter = None


# Models where LiteRT's reference kernel is wrong: compared with its
# optimized kernels instead (which agree with the arithmetic and with tfl).
REFERENCE_BUGS = {
    # ai-edge-litert 2.3.0: the reference int8 SUM returns values unrelated
    # to the sums (e.g. -1 where the sum is -27), even with equal input and
    # output quantization.
    "sum_int8.tflite": "LiteRT's reference int8 SUM is wrong",
    # Its reference QuantizedMeanOrSum reads int16 data as uint8 too.
    "sum_int16.tflite": "LiteRT's reference int16 SUM is wrong",
    "sum_16x8.tflite": "LiteRT's reference int16 SUM is wrong",
}


def litert_run(path, inputs, reference=True):
    """Outputs of LiteRT's reference kernels (or its optimized ones, without
    delegates: on request, and for the few ops the reference resolver lacks:
    CEIL, ROUND)."""
    optimized = OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    try:
        it = Interpreter(model_path=path, experimental_op_resolver_type=(
            OpResolverType.BUILTIN_REF if reference else optimized))
    except (RuntimeError, ValueError):
        it = Interpreter(model_path=path, experimental_op_resolver_type=optimized)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def check(tfl, path, work):
    """Returns (ok, message)."""
    out = os.path.join(work, os.path.basename(path))
    r = subprocess.run([tfl, "run", path, "-o", out], capture_output=True, text=True)
    if r.returncode != 0:
        return False, "tfl: " + (r.stderr.strip() or r.stdout.strip())
    if Interpreter is None:
        return True, "tfl ok"
    names = sorted(os.listdir(out))
    inputs = [np.load(os.path.join(out, n)) for n in names if n.startswith("input_")]
    ours = [np.load(os.path.join(out, n))
            for n in sorted((n for n in names if n.startswith("output_")),
                            key=lambda n: int(n[7:-4]))]
    known = REFERENCE_BUGS.get(os.path.basename(path))
    try:
        ref = litert_run(path, inputs, reference=known is None)
    except Exception as e:  # LiteRT refuses the model: reported, not a tfl failure
        return True, "tfl ok; LiteRT refuses: %s" % str(e).strip().splitlines()[-1]
    if len(ref) != len(ours):
        return False, "%d outputs, LiteRT has %d" % (len(ours), len(ref))
    notes = []
    ok = True
    for i, (a, b) in enumerate(zip(ours, ref)):
        if a.shape != b.shape or a.dtype != b.dtype:
            ok = False
            notes.append("output %d: %s %s, LiteRT %s %s" % (i, a.dtype, a.shape, b.dtype,
                                                             b.shape))
        elif a.dtype.kind in "f" or a.dtype.kind == "c":
            diff = np.nanmax(np.abs(a.astype(np.complex128) - b.astype(np.complex128))) \
                if a.size else 0.0
            nan_mismatch = bool(np.any(np.isnan(a) != np.isnan(b)))
            notes.append("output %d: max |diff| %.3g%s" % (i, diff,
                                                            " (NaN mismatch)" if nan_mismatch
                                                            else ""))
        elif a.tobytes() != b.tobytes():
            ok = False
            n = int(np.sum(a != b))
            notes.append("output %d: %d of %d elements differ (max |diff| %d)"
                         % (i, n, a.size, int(np.max(np.abs(a.astype(np.int64) -
                                                              b.astype(np.int64))))))
        else:
            notes.append("output %d: identical" % i)
    if known:
        notes.append("vs LiteRT's optimized kernels (%s)" % known)
    return ok, "; ".join(notes)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tfl = sys.argv[1]
    models = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "tests", "fuzz", "models")
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        for name in sorted(os.listdir(models)):
            if not name.endswith(".tflite"):
                continue
            ok, msg = check(tfl, os.path.join(models, name), work)
            failed += not ok
            print("%-4s %s: %s" % ("ok" if ok else "FAIL", name, msg))
    print("%d failed" % failed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
