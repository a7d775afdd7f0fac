"""ELU and PRELU against LiteRT: PRELU against its reference kernels, ELU
against its default resolver (the reference one has no ELU; with one
thread and these inputs it runs TFLite's builtin kernel): float32 (ELU within 1
ulp: expm1f against C++'s std::expm1; PRELU exact), int8 (ELU's table) and
uint8 / int8 (PRELU's two rescales) byte for byte over every input value, PRELU's
alpha per channel (broadcast) and full-shape; 1 and 2 threads. Errors: a
type neither takes, unquantized 8-bit tensors."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402
from test_comparison import values  # noqa: E402

QUANT = {"uint8": ((0.05, 130), (0.02, 100)), "int8": ((0.05, 3), (0.03, -20))}


def elu_model(dtype, shape):
    m = fb.Model("tfl elu test")
    g = m.graph()
    qi, qo = QUANT.get(dtype, (None, None))
    x = g.input("x", shape, dtype, fb.q(*qi) if qi else None)
    y = g.tensor("y", shape, dtype, fb.q(*qo) if qo else None)
    g.op("ELU", [x], [y])
    g.output(y)
    return bytes(m.serialize())


def prelu_model(dtype, shape, alpha_shape, alpha):
    m = fb.Model("tfl prelu test")
    g = m.graph()
    qi, qo = QUANT.get(dtype, (None, None))
    x = g.input("x", shape, dtype, fb.q(*qi) if qi else None)
    qa = fb.q(0.01, 7 if dtype == "int8" else 135) if dtype in QUANT else None
    a = g.const("alpha", alpha_shape, dtype, alpha, qa)
    y = g.tensor("y", shape, dtype, fb.q(*qo) if qo else None)
    g.op("PRELU", [x, a], [y])
    g.output(y)
    return bytes(m.serialize())


@pytest.fixture(scope="module")
def litert_builtin():
    interp = pytest.importorskip("ai_edge_litert.interpreter")
    return lambda path: interp.Interpreter(model_path=str(path), num_threads=1)


@pytest.mark.parametrize("dtype", ["float32", "int8"])
def test_elu(dtype, tfl, litert_builtin, tmp_path):
    litert = litert_builtin
    if dtype == "float32":
        x = np.concatenate([values(np.random.default_rng(1), dtype, [200]),
                            np.linspace(-20, 5, 300, dtype=np.float32)])
    else:
        info = np.iinfo(dtype)
        x = np.arange(info.min, info.max + 1).astype(dtype)
    compare(tfl, litert, tmp_path, elu_model(dtype, list(x.shape)), [x], f"elu_{dtype}",
            ulps=1 if dtype == "float32" else 0)


@pytest.mark.parametrize("alpha_case", ["per_channel", "full"])
@pytest.mark.parametrize("dtype", ["float32", "uint8", "int8"])
def test_prelu(dtype, alpha_case, tfl, litert, tmp_path):
    shape = [2, 4, 5, 6]
    alpha_shape = [1, 1, 6] if alpha_case == "per_channel" else shape[1:]
    rng = np.random.default_rng(list(f"{dtype}{alpha_case}".encode()))
    n = int(np.prod(alpha_shape))
    if dtype == "float32":
        alpha = [round(float(v), 3) for v in rng.uniform(-1, 1, n)]
        x = values(rng, dtype, shape)
    else:
        info = np.iinfo(dtype)
        alpha = [int(v) for v in rng.integers(info.min, info.max + 1, n)]
        x = rng.integers(info.min, info.max + 1, shape).astype(dtype)
    compare(tfl, litert, tmp_path, prelu_model(dtype, shape, alpha_shape, alpha), [x],
            f"prelu_{dtype}_{alpha_case}")


@pytest.mark.parametrize("case", ["elu_int32", "elu_uint8", "prelu_int16", "elu_unquantized"])
def test_errors(case, tfl, tmp_path):
    if case == "elu_int32":
        model, msg = elu_model("int32", [3]), "int32 not supported"
    elif case == "elu_uint8":  # TFLite takes float32 and int8 only
        model, msg = elu_model("uint8", [3]), "uint8 not supported"
    elif case == "prelu_int16":
        model, msg = prelu_model("int16", [3], [3], [1, 2, 3]), "int16 not supported"
    else:
        m = fb.Model("t")
        g = m.graph()
        x = g.input("x", [3], "int8")
        y = g.tensor("y", [3], "int8")
        g.op("ELU", [x], [y])
        g.output(y)
        model, msg = bytes(m.serialize()), "need quantization"
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(model)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
