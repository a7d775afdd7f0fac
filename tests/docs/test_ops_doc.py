"""docs/ops.md must list exactly the ops registered in src/ops/ops.def, and
docs/conformance.md must be what tools/gen_conformance_doc.py writes from
the per-op models (so it follows them)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def registered_ops():
    text = (ROOT / "src/ops/ops.def").read_text()
    builtin = re.findall(r"^TFL_OP\((\w+),", text, re.M)
    custom = re.findall(r'^TFL_CUSTOM_OP\("([^"]+)"', text, re.M)
    return set(builtin) | set(custom)


def documented_ops():
    names = set()
    for line in (ROOT / "docs/ops.md").read_text().splitlines():
        if not line.startswith("| ") or line.startswith("| Op ") or line.startswith("|---"):
            continue
        cell = line.split("|")[1]
        cell = cell.replace("(custom)", "")
        names.update(n.strip() for n in cell.split(",") if n.strip())
    return names


def test_ops_doc_matches_registry():
    reg, doc = registered_ops(), documented_ops()
    assert reg, "no ops parsed from ops.def"
    assert reg - doc == set(), f"registered but not documented: {sorted(reg - doc)}"
    assert doc - reg == set(), f"documented but not registered: {sorted(doc - reg)}"


def test_conformance_doc_is_generated():
    tfl = Path(os.environ.get("TFL_BIN", ROOT / "build" / "tfl"))
    if not tfl.is_file():
        pytest.skip(f"tfl binary not found at {tfl}")
    pytest.importorskip("ai_edge_litert")
    p = subprocess.run([sys.executable, str(ROOT / "tools/gen_conformance_doc.py"), str(tfl),
                        "--check"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
