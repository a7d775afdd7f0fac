"""The int16 per-op models published with TFLite Micro's SEANet integration test
(../shared/goldens/seanet_int16/<op>/<name>.tflite with <name>_input<i>_<type>.csv
inputs and a <name>_golden_int16.csv output): tfl's output must equal the
golden exactly. Models whose golden or inputs are missing are skipped."""
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared"))
GOLDENS = SHARED / "goldens" / "seanet_int16"
TFL = os.environ.get("TFL_BIN", str(REPO / "build" / "tfl"))
DTYPES = {"int8": np.int8, "int16": np.int16, "int32": np.int32, "float32": np.float32}


def cases():
    if not GOLDENS.is_dir():
        return []
    return sorted(GOLDENS.glob("*/*.tflite"))


def read_csv(path, dtype):
    text = path.read_text().strip()
    return np.array([float(v) for v in text.split(",") if v.strip()]).astype(dtype)


def inspect_io(model):
    import json

    out = subprocess.run([TFL, "inspect", "--json", str(model)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("model", cases(), ids=lambda p: p.stem)
def test_golden(model, tmp_path):
    golden = model.with_name(model.stem + "_golden_int16.csv")
    inputs = sorted(model.parent.glob(model.stem + "_input*_*.csv"),
                    key=lambda p: int(re.search(r"_input(\d+)_", p.name).group(1)))
    if not golden.exists() or not inputs:
        pytest.skip("no golden or inputs for this model")
    info = inspect_io(model)
    if info["unsupported_ops"]:
        names = ", ".join(f'{o["name"]} v{o["version"]}' if isinstance(o, dict) else str(o)
                          for o in info["unsupported_ops"])
        pytest.skip(f"unsupported ops: {names}")
    args = [TFL, "run", str(model), "-o", str(tmp_path)]
    for i, csv in enumerate(inputs):
        spec = info["inputs"][i]
        dtype = DTYPES[re.search(r"_input\d+_(\w+)\.csv$", csv.name).group(1)]
        x = read_csv(csv, dtype).reshape(spec["shape"])
        np.save(tmp_path / f"in{i}.npy", x)
        args += ["-i", str(tmp_path / f"in{i}.npy")]
    run = subprocess.run(args, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    got = np.load(tmp_path / "output_0.npy")
    want = read_csv(golden, np.int16)
    assert got.dtype == np.int16
    np.testing.assert_array_equal(got.reshape(-1), want)
