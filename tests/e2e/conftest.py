"""Fixtures for the end-to-end image tests: `tfl classify` / `tfl detect`
against the independent pipeline in pipeline.py (Pillow + NumPy + LiteRT).

Environment: TFL_BIN (default <repo>/build/tfl), TFL_SHARED_DIR (default
<repo>/../shared). Tests skip when the binary, a model, an image or LiteRT
is absent, and while tfl lacks one of a model's ops.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


class Tfl:
    def __init__(self, path):
        self.path = str(path)
        self._inspected = {}

    def __call__(self, *args, timeout=1800):
        return subprocess.run([self.path, *map(str, args)], capture_output=True, text=True,
                              errors="replace", timeout=timeout)

    def unsupported(self, model):
        """Why tfl cannot run the model yet, or None."""
        model = str(model)
        if model not in self._inspected:
            p = self("inspect", "--json", model)
            assert p.returncode == 0, p.stderr
            info = json.loads(p.stdout)
            why = None
            if info["unsupported_ops"]:
                why = "tfl lacks " + ", ".join(info["unsupported_ops"])
            elif info["allocation"]["status"] == "unsupported":
                why = info["allocation"]["error"]
            self._inspected[model] = why
        return self._inspected[model]


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
def pipeline():
    pytest.importorskip("PIL")
    pytest.importorskip("numpy")
    pytest.importorskip("ai_edge_litert.interpreter")
    import pipeline as p
    return p


@pytest.fixture(scope="session")
def model(tfl):
    """model("x.tflite") -> path; skips when absent or not runnable by tfl."""
    def get(name):
        p = SHARED / "models" / name
        if not p.is_file():
            pytest.skip(f"{p} is absent (set TFL_SHARED_DIR)")
        why = tfl.unsupported(p)
        if why:
            pytest.skip(f"{name}: {why}")
        return p
    return get


@pytest.fixture(scope="session")
def shared():
    """shared("images/x.jpg") -> path; skips when absent."""
    def get(rel):
        p = SHARED / rel
        if not p.exists():
            pytest.skip(f"{p} is absent (set TFL_SHARED_DIR)")
        return p
    return get
