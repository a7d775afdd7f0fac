"""The committed per-op models (tests/fuzz/models/, written by
tools/gen_fuzz_models.py: one small model per op, dtype and notable option;
tests/converter_models/, the same ops as TensorFlow's converter writes them
in float32, dynamic-range, int8, 16x8 and float16 modes, by
tools/gen_converter_models.py) through tfl and LiteRT's reference kernels, on seeded random inputs and on
edge values: every integer and bool output byte-identical, every float
output within FLOAT_RTOL / FLOAT_ATOL of LiteRT's with NaN where LiteRT has
NaN. The edge run feeds float inputs with NaN, +-inf, +-0, tiny and huge
values among ordinary ones, and integer inputs with their type's extremes,
where the model's domain allows (index inputs keep tfl's in-range values).

Models LiteRT cannot run (the custom ops only tfl ships, ops its reference
resolver lacks) are compared with its optimized kernels where it has them
(tools/check_fuzz_models.py's REFERENCE_BUGS list), else skipped with the
reason."""
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
import check_fuzz_models as cfm  # noqa: E402

MODELS = (sorted((REPO / "tests" / "fuzz" / "models").glob("*.tflite")) +
          sorted((REPO / "tests" / "converter_models").glob("*.tflite")))
FLOAT_RTOL = 1e-4
FLOAT_ATOL = 1e-5

# Models whose edge inputs leave TFLite's defined behaviour (the result of
# a NaN or infinity there is not an op's semantics but its implementation's
# accident), with the reason; their random-input runs still count.
NO_EDGE = {
    "imag_complex64.tflite": "RFFT2D of infinities: where NaN and inf land depends on the "
                             "order of the FFT's butterflies",
    "real_complex64.tflite": "RFFT2D of infinities (as imag_complex64)",
    "complex_abs_complex64.tflite": "RFFT2D of infinities (as imag_complex64)",
    "bidirectional_sequence_rnn_int8.tflite": "a NaN fed to a hybrid cell: LiteRT's hidden "
                                              "state turns finite again a step later, which "
                                              "its documented quantization does not explain",
    # Converter-written models (keyed with their folder).
    **{f"converter_models/{m}.tflite": "+inf and -inf in one input row of a wide float LSTM: "
       "LiteRT's GEMM (cpu_backend_gemm picks it by size) gives +-inf gates where the IEEE "
       "sum of w.x, tfl's and NumPy's, is NaN"
       for m in ("unidirectional_sequence_lstm_float32", "unidirectional_sequence_lstm_float16",
                 "unidirectional_sequence_lstm_dynamic",
                 "unidirectional_sequence_lstm_bidirectional_dynamic")},
    **{f"converter_models/{m}.tflite": "an infinity in a hybrid op's input row: LiteRT's "
       "quantization of it (x86 float-to-int of inf) and its NaN rows differ from TFLite's "
       "documented algorithm, which tfl follows (test_batch_matmul.py)"
       for m in ("fully_connected_matmul_dynamic", "while_keras_lstm_dynamic",
                 "while_keras_rnn_dynamic")},
}


def no_edge_reason(model):
    return NO_EDGE.get(f"{model.parent.name}/{model.name}") or (
        NO_EDGE.get(model.name) if model.parent.name == "models" else None)


def edge_values(x, rng):
    """x with a tenth of its elements replaced by edge values."""
    x = x.copy()
    flat = x.reshape(-1)
    if flat.size == 0:
        return x
    k = max(1, flat.size // 10)
    where = rng.choice(flat.size, size=min(k, flat.size), replace=False)
    if x.dtype.kind == "f":
        big = 1e30 if x.dtype == np.float32 else 6e4
        pool = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-38, -big, big]).astype(x.dtype)
    elif x.dtype.kind in "iu":
        info = np.iinfo(x.dtype)
        pool = np.array([info.min, info.max, 0, -1 if info.min < 0 else 1], x.dtype)
    else:
        return x
    flat[where] = pool[rng.integers(0, pool.size, where.size)]
    return x


def run_tfl(tfl, model, inputs, tmp_path, tag):
    out = tmp_path / tag
    args = []
    if inputs is None:
        args = ["--seed", tag[-1]]
    else:
        for i, x in enumerate(inputs):
            np.save(tmp_path / f"{tag}_in{i}.npy", x)
            args += ["-i", tmp_path / f"{tag}_in{i}.npy"]
    p = tfl("run", model, *args, "-o", out)
    return p, out


def load_outputs(out):
    names = sorted((n.name for n in out.glob("output_*.npy")), key=lambda n: int(n[7:-4]))
    return [np.load(out / n) for n in names]


def check(got, want, what):
    assert len(got) == len(want), f"{what}: {len(got)} outputs, LiteRT {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype and g.shape == w.shape, \
            f"{what}, output {i}: {g.dtype} {g.shape}, LiteRT {w.dtype} {w.shape}"
        if w.dtype.kind in "fc":
            nan = np.isnan(w)
            assert np.array_equal(np.isnan(g), nan), f"{what}, output {i}: NaN positions differ"
            finite = np.isfinite(w) & ~nan
            assert np.array_equal(g[~finite & ~nan], w[~finite & ~nan]), \
                f"{what}, output {i}: infinities differ"
            if finite.any():
                scale = float(np.abs(w[finite]).max())
                assert np.allclose(g[finite], w[finite], rtol=FLOAT_RTOL,
                                   atol=FLOAT_ATOL * max(scale, 1.0)), \
                    f"{what}, output {i}: max |diff| {np.abs(g[finite] - w[finite]).max():.3g}"
        else:
            assert g.tobytes() == w.tobytes(), \
                f"{what}, output {i}: {int(np.sum(g != w))} of {g.size} elements differ"


@pytest.mark.parametrize("model", MODELS, ids=[f"{m.parent.name}/{m.name}" for m in MODELS])
def test_seed_model_matches_litert(model, tfl, litert, tmp_path):
    known = cfm.REFERENCE_BUGS.get(model.name)
    for seed in ("0", "1"):
        p, out = run_tfl(tfl, model, None, tmp_path, f"seed{seed}")
        assert p.returncode == 0, f"seed {seed}: {p.stderr.strip()}"
        inputs = [np.load(out / f"input_{i}.npy") for i in range(len(list(out.glob("input_*"))))]
        try:
            want = cfm.litert_run(str(model), inputs, reference=known is None)
        except Exception as e:  # LiteRT cannot run it at all
            pytest.skip(f"LiteRT cannot run it: {str(e).strip().splitlines()[-1][:160]}")
        check(load_outputs(out), want, f"seed {seed}")
    if no_edge_reason(model):
        return
    rng = np.random.default_rng(len(model.name))
    edge = [edge_values(x, rng) for x in inputs]
    try:
        want = cfm.litert_run(str(model), edge, reference=known is None)
    except Exception:
        return  # edge values outside the op's domain: LiteRT refuses them at invoke
    p, out = run_tfl(tfl, model, edge, tmp_path, "edge")
    assert p.returncode == 0, f"edge values: tfl fails where LiteRT runs: {p.stderr.strip()}"
    check(load_outputs(out), want, "edge values")
