"""Fixtures for the model conformance suite (tfl vs LiteRT's reference kernels).

Environment:
  TFL_BIN         the tfl binary (default <repo>/build/tfl)
  TFL_SHARED_DIR  the shared test data (default <repo>/../shared); the suite
                  skips cleanly when its models/ folder is absent

At the end of a run a summary lists every model: ran and matched, failed, or
skipped and why (unsupported ops by name, LiteRT cannot load it, ...).
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
MODELS_DIR = SHARED / "models"
MODELS = sorted(MODELS_DIR.glob("*.tflite")) if MODELS_DIR.is_dir() else []

# A whole model on a large input with reference kernels can take a while.
RUN_TIMEOUT = 900


def pytest_generate_tests(metafunc):
    if "model_path" in metafunc.fixturenames:
        if MODELS:
            metafunc.parametrize("model_path", MODELS, ids=[m.name for m in MODELS])
        else:
            metafunc.parametrize("model_path", [None], ids=["no-shared-models"])


class Tfl:
    """Runs the tfl binary."""

    def __init__(self, path):
        self.path = str(path)

    def __call__(self, *args, timeout=RUN_TIMEOUT):
        return subprocess.run([self.path, *map(str, args)], capture_output=True, text=True,
                              errors="replace", timeout=timeout)

    def inspect(self, model):
        """(returncode, parsed JSON or None, stderr)."""
        p = self("inspect", "--json", model)
        info = json.loads(p.stdout) if p.returncode == 0 else None
        return p.returncode, info, p.stderr


@pytest.fixture(scope="session")
def tfl():
    explicit = "TFL_BIN" in os.environ
    path = Path(os.environ.get("TFL_BIN", REPO / "build" / "tfl"))
    if not path.is_file():
        if explicit:
            pytest.fail(f"TFL_BIN={path} does not exist")
        pytest.skip(f"tfl binary not found at {path}: build it or set TFL_BIN")
    return Tfl(path)


@pytest.fixture(scope="session")
def litert():
    """LiteRT's interpreter class, set up to run TFLite's reference kernels."""
    interp = pytest.importorskip("ai_edge_litert.interpreter")

    def make(model_path):
        return interp.Interpreter(
            model_path=str(model_path),
            experimental_op_resolver_type=interp.OpResolverType.BUILTIN_REF)

    return make


@pytest.fixture(scope="session")
def models_dir():
    return MODELS_DIR


@pytest.fixture
def model(model_path):
    if model_path is None:
        pytest.skip(f"no models: {MODELS_DIR} is absent (set TFL_SHARED_DIR)")
    return model_path


# ---- end-of-run summary ----------------------------------------------------

_results = {}  # model file name -> (outcome, reason)


def _reason(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message.splitlines()[0] if crash.message else ""
    return str(report.longrepr).splitlines()[-1] if report.longrepr else ""


def pytest_runtest_logreport(report):
    if "test_models.py::test_model_matches_litert[" not in report.nodeid:
        return
    name = report.nodeid.split("[", 1)[1][:-1]
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _results[name] = (report.outcome, "" if report.passed else _reason(report))


def pytest_terminal_summary(terminalreporter):
    if not _results:
        return
    tr = terminalreporter
    tr.section("tfl vs LiteRT (BUILTIN_REF) per model")
    groups = {"passed": [], "failed": [], "skipped": []}
    for name, (outcome, reason) in sorted(_results.items()):
        groups.setdefault(outcome, []).append((name, reason))
    tr.write_line(f"ran and matched: {len(groups['passed'])}, failed: {len(groups['failed'])}, "
                  f"skipped: {len(groups['skipped'])}")
    for outcome, label in (("passed", "OK  "), ("failed", "FAIL"), ("skipped", "SKIP")):
        for name, reason in groups[outcome]:
            line = f"  {label} {name}"
            if reason:
                line += f": {reason}"
            tr.write_line(line[:400])
