"""Fixtures for the tfl Python package suite (tests/python).

Run it with tests/python/run.sh, which installs the package into a fresh
virtualenv (build-pyvenv/) with numpy, pytest, ai-edge-litert and pillow.
The suite checks the *installed* package, never python/tfl in the source
tree.

Environment:
  TFL_SHARED_DIR  shared test data (default <repo>/../shared); tests that
                  need its models, images or labels skip when it is absent
"""
import os
from pathlib import Path

import numpy as np
import pytest

import tfl
import tfl.interpreter

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
SHARED_MODELS = sorted((SHARED / "models").glob("*.tflite")) if (SHARED / "models").is_dir() \
    else []
OWN_MODELS = sorted((HERE / "models").glob("*.tflite"))
DIGITS = REPO / "examples" / "digits" / "digits_int8.tflite"

if str(Path(tfl.__file__).resolve()).startswith(str(REPO / "python") + os.sep):
    raise RuntimeError("the suite must test the installed tfl package, not %s: run "
                       "tests/python/run.sh" % tfl.__file__)


def unsupported(path):
    """Why tfl cannot run a model ('' when it can): its unsupported ops."""
    return "; ".join(tfl.unsupported_ops(model_path=path))


def require_runs(path):
    """Skips the calling test when tfl lacks an op of the model."""
    if not Path(path).is_file():
        pytest.skip(f"{path} is absent")
    why = unsupported(path)
    if why:
        pytest.skip(f"tfl cannot run {Path(path).name} yet: {why}")
    # An op tfl has may still refuse a type or option of this model (an int8
    # LSTM, say) at allocate, with TFL_ERROR_UNSUPPORTED's "not supported".
    try:
        tfl.Interpreter(model_path=str(path)).allocate_tensors()
    except RuntimeError as e:
        if "not supported" in str(e):
            pytest.skip(f"tfl cannot run {Path(path).name} yet: {e}")
    return path


@pytest.fixture(scope="session")
def litert():
    """ai_edge_litert.interpreter (the oracle)."""
    return pytest.importorskip("ai_edge_litert.interpreter")


def litert_interpreter(litert, path, **kw):
    """A LiteRT Interpreter running TFLite's reference kernels, or a skip
    when LiteRT itself rejects the model."""
    try:
        return litert.Interpreter(model_path=str(path),
                                  experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF,
                                  **kw)
    except ValueError as e:
        pytest.skip(f"LiteRT cannot load {Path(path).name}: {str(e)[:200]}")


def random_input(detail, rng):
    """Seeded input for one tensor: 8/16-bit integers over their whole range,
    floats in [-1, 1), int32/int64 in [0, 10) (indices and token ids must
    stay in range), bools 0/1."""
    dtype = np.dtype(detail["dtype"])
    shape = tuple(int(d) for d in detail["shape"])
    if dtype.kind == "f":
        return rng.uniform(-1.0, 1.0, size=shape).astype(dtype)
    if dtype in (np.uint8, np.int8, np.int16, np.uint16):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    if dtype in (np.int32, np.int64):
        return rng.integers(0, 10, size=shape).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    pytest.skip(f"no random input for dtype {dtype} ({detail['name']})")


def assert_same_value(got, want, what):
    """Same Python type; arrays: same dtype, shape and elements."""
    assert type(got) is type(want), f"{what}: type {type(got).__name__}, LiteRT " \
                                    f"{type(want).__name__}"
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, LiteRT {want.dtype}"
        assert got.shape == want.shape, f"{what}: shape {got.shape}, LiteRT {want.shape}"
        assert np.array_equal(got, want), f"{what}: {got!r}, LiteRT {want!r}"
    elif isinstance(want, dict):
        assert list(got.keys()) == list(want.keys()), \
            f"{what}: keys {list(got)}, LiteRT {list(want)}"
        for k in want:
            assert_same_value(got[k], want[k], f"{what}[{k!r}]")
    elif isinstance(want, (tuple, list)):
        assert len(got) == len(want), f"{what}: {got!r}, LiteRT {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same_value(g, w, f"{what}[{i}]")
    else:
        assert got == want, f"{what}: {got!r}, LiteRT {want!r}"


def assert_same_details(got, want, what="details"):
    """A details dict equal to LiteRT's key by key (same order) and type by type."""
    assert_same_value(got, want, what)
