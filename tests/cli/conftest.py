"""Fixtures for the `tfl` command-line tests.

Environment: TFL_BIN (default <repo>/build/tfl), TFL_SHARED_DIR (default
<repo>/../shared). Tests needing a shared model skip when it is absent; tests
needing to run a model skip while tfl lacks one of its ops.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))


class Tfl:
    def __init__(self, path):
        self.path = str(path)

    def __call__(self, *args, timeout=600, cwd=None, env=None):
        """env: variables set on top of this process's environment."""
        full_env = {**os.environ, **env} if env else None
        return subprocess.run([self.path, *map(str, args)], capture_output=True, text=True,
                              errors="replace", timeout=timeout, cwd=cwd, env=full_env)

    def inspect(self, model):
        p = self("inspect", "--json", model)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)


@pytest.fixture(scope="session")
def tfl():
    explicit = "TFL_BIN" in os.environ
    path = Path(os.environ.get("TFL_BIN", REPO / "build" / "tfl")).resolve()
    if not path.is_file():
        if explicit:
            pytest.fail(f"TFL_BIN={path} does not exist")
        pytest.skip(f"tfl binary not found at {path}: build it or set TFL_BIN")
    return Tfl(path)


@pytest.fixture(scope="session")
def litert():
    """Makes LiteRT interpreters running TFLite's reference kernels."""
    interp = pytest.importorskip("ai_edge_litert.interpreter")

    def make(model_path):
        return interp.Interpreter(
            model_path=str(model_path),
            experimental_op_resolver_type=interp.OpResolverType.BUILTIN_REF)

    return make


@pytest.fixture(scope="session")
def shared_model():
    """shared_model("x.tflite") -> path, or skip when absent."""
    def get(name):
        p = SHARED / "models" / name
        if not p.is_file():
            pytest.skip(f"{p} is absent (set TFL_SHARED_DIR)")
        return p
    return get


@pytest.fixture(scope="session")
def runnable_model(tfl, shared_model):
    """runnable_model("x.tflite") -> path, or skip while tfl cannot run it."""
    def get(name):
        p = shared_model(name)
        info = tfl.inspect(p)
        if info["unsupported_ops"]:
            pytest.skip(f"{name}: tfl lacks " + ", ".join(info["unsupported_ops"]))
        if info["allocation"]["status"] == "unsupported":
            pytest.skip(f"{name}: {info['allocation']['error']}")
        return p
    return get
