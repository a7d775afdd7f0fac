"""LOG_SOFTMAX, L2_NORMALIZATION, GELU (exact and approximate; float32, and
int8, uint8 and int16 over every input value), CUMSUM
(exclusive, reverse, every axis) and ONE_HOT (every output type, axis,
indices out of range) against LiteRT's reference kernels: byte for byte
for CUMSUM, ONE_HOT and L2_NORMALIZATION, within a few ulp for the libm-
based LOG_SOFTMAX and GELU; 1 and 2 threads. Errors: quantized inputs of
the float-only ops, a fed CUMSUM axis, a fed ONE_HOT depth."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_fuzz_models as fb  # noqa: E402
from oracle import compare  # noqa: E402
from test_comparison import values  # noqa: E402


def model(op, ins, out, opts=None, consts=()):
    consts = dict(consts)
    m = fb.Model("tfl misc ops test")
    g = m.graph()
    idx = [g.const(n, s, t, consts[n]) if n in consts else g.input(n, s, t) for n, s, t in ins]
    y = g.tensor("y", out[0], out[1])
    g.op(op, idx, [y], opts)
    g.output(y)
    return bytes(m.serialize())


@pytest.mark.parametrize("shape", [[7], [3, 10], [2, 3, 5]])
def test_log_softmax(shape, tfl, litert, tmp_path):
    x = np.random.default_rng(len(shape)).uniform(-20, 20, shape).astype(np.float32)
    m = model("LOG_SOFTMAX", [("x", shape, "float32")], (shape, "float32"),
              fb.options("LogSoftmaxOptions"))
    compare(tfl, litert, tmp_path, m, [x], "log_softmax", ulps=4)


@pytest.mark.parametrize("shape", [[9], [4, 6], [2, 3, 8]])
def test_l2_normalization(shape, tfl, litert, tmp_path):
    x = np.random.default_rng(len(shape)).uniform(-3, 3, shape).astype(np.float32)
    x.flat[: shape[-1]] = 0  # an all-zero row: divided by the epsilon
    m = model("L2_NORMALIZATION", [("x", shape, "float32")], (shape, "float32"),
              fb.options("L2NormOptions"))
    compare(tfl, litert, tmp_path, m, [x], "l2")


def test_gelu(tfl, litert, tmp_path):
    """Exact GELU: erfcf against Eigen's erfc, within 8 ulp."""
    x = np.concatenate([np.linspace(-8, 8, 401, dtype=np.float32),
                        np.array([0.0, -0.0, 1e-30, -1e-30], np.float32)])
    compare(tfl, litert, tmp_path, model("GELU", [("x", list(x.shape), "float32")],
                                         (list(x.shape), "float32"), fb.options("GeluOptions")),
            [x], "gelu", ulps=8)


def test_gelu_approximate(tfl, litert, tmp_path):
    """tanh GELU: libm's tanhf against Eigen's rational tanh, within 1e-6
    absolute (near 0 for large negative x the two tanh differ most)."""
    x = np.linspace(-8, 8, 401, dtype=np.float32)
    path = tmp_path / "gelu_tanh.tflite"
    path.write_bytes(model("GELU", [("x", [401], "float32")], ([401], "float32"),
                           fb.options("GeluOptions", approximate=True)))
    ref = litert(path)
    ref.allocate_tensors()
    ref.set_tensor(ref.get_input_details()[0]["index"], x)
    ref.invoke()
    want = ref.get_tensor(ref.get_output_details()[0]["index"])
    np.save(tmp_path / "x.npy", x)
    p = tfl("run", path, "-i", tmp_path / "x.npy", "-o", tmp_path / "o")
    assert p.returncode == 0, p.stderr
    got = np.load(tmp_path / "o" / "output_0.npy")
    assert np.allclose(got, want, rtol=1e-5, atol=1e-6), np.abs(got - want).max()


@pytest.mark.parametrize("in_scale", [0.01, 0.1, 0.5, 3.0])
@pytest.mark.parametrize("dtype", ["uint8", "int8"])
@pytest.mark.parametrize("shape", [[5], [3, 17], [2, 2, 300]])
def test_log_softmax_quantized(shape, dtype, in_scale, tfl, litert, tmp_path):
    """uint8 / int8: TFLite's fixed-point exp sum and log, byte for byte,
    over inputs spanning the whole range (so far-below-max values clamp)."""
    info = np.iinfo(dtype)
    x = np.random.default_rng([len(shape), int(in_scale * 100)]).integers(
        info.min, info.max + 1, shape).astype(dtype)
    m = fb.Model("tfl quantized log softmax test")
    g = m.graph()
    xi = g.input("x", shape, dtype, quant=fb.q(in_scale, 3 if dtype == "uint8" else -2))
    y = g.tensor("y", shape, dtype, quant=fb.q(16 / 256, 255 if dtype == "uint8" else 127))
    g.op("LOG_SOFTMAX", [xi], [y], fb.options("LogSoftmaxOptions"), version=2)
    g.output(y)
    compare(tfl, litert, tmp_path, bytes(m.serialize()), [x], f"ls_{dtype}_{in_scale}")


@pytest.mark.parametrize("dtype,zp", [("uint8", 128), ("uint8", 77), ("int8", 0), ("int8", -40)])
@pytest.mark.parametrize("shape", [[9], [4, 6], [2, 3, 40]])
def test_l2_normalization_quantized(dtype, zp, shape, tfl, litert, tmp_path):
    """uint8 / int8: TFLite's integer inverse square root, byte for byte;
    one row equal to the zero point (a zero norm)."""
    info = np.iinfo(dtype)
    x = np.random.default_rng(len(shape) + zp + 200).integers(info.min, info.max + 1, shape)
    x.reshape(-1, shape[-1])[0] = zp
    x = x.astype(dtype)
    m = fb.Model("tfl quantized l2 norm test")
    g = m.graph()
    xi = g.input("x", shape, dtype, quant=fb.q(0.02, zp))
    y = g.tensor("y", shape, dtype, quant=fb.q(1 / 128, 128 if dtype == "uint8" else 0))
    g.op("L2_NORMALIZATION", [xi], [y], fb.options("L2NormOptions"), version=2)
    g.output(y)
    compare(tfl, litert, tmp_path, bytes(m.serialize()), [x], f"l2_{dtype}_{zp}")


QUANT = {"int8": ((0.06, -3), (0.04, -110)), "uint8": ((0.05, 130), (0.035, 20)),
         "int16": ((0.0003, 0), (0.00025, 0))}


@pytest.mark.parametrize("approximate", [False, True])
@pytest.mark.parametrize("dtype", sorted(QUANT))
def test_gelu_quantized(dtype, approximate, tfl, litert, tmp_path):
    """Quantized GELU: TFLite's lookup tables (256 entries, or 513
    interpolated for int16) over every input value, byte for byte."""
    (in_s, in_z), (out_s, out_z) = QUANT[dtype]
    info = np.iinfo(dtype)
    x = np.arange(info.min, info.max + 1, dtype=np.int64 if dtype == "int16" else np.int32)
    if dtype == "int16":
        x = np.concatenate([x[::97], x[-5:]])
    x = x.astype(dtype)
    m = fb.Model("tfl quantized gelu test")
    g = m.graph()
    xi = g.input("x", [x.size], dtype, quant=fb.q(in_s, in_z))
    y = g.tensor("y", [x.size], dtype, quant=fb.q(out_s, out_z))
    g.op("GELU", [xi], [y], fb.options("GeluOptions", approximate=approximate), version=2)
    g.output(y)
    compare(tfl, litert, tmp_path, bytes(m.serialize()), [x], f"gelu_{dtype}_{approximate}")


@pytest.mark.parametrize("flags", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("dtype", ["float32", "int32", "int64"])
def test_cumsum(dtype, axis, flags, tfl, litert, tmp_path):
    shape = [3, 4, 5]
    x = values(np.random.default_rng(axis + 3), dtype, shape)
    if dtype == "float32":
        x = np.random.default_rng(axis + 3).uniform(-2, 2, shape).astype(np.float32)
    opts = fb.options("CumsumOptions", exclusive=flags[0], reverse=flags[1])
    compare(tfl, litert, tmp_path, model("CUMSUM", [("x", shape, dtype), ("axis", [], "int32")],
                                         (shape, dtype), opts, {"axis": [axis]}),
            [x], f"cumsum_{dtype}_{axis}_{flags}")


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "int32", "int64", "int8", "uint8", "bool"])
def test_one_hot(dtype, axis, tfl, litert, tmp_path):
    shape, depth = [3, 4], 5
    idx = np.random.default_rng(axis + 9).integers(-2, 7, shape).astype(np.int32)
    out_shape = shape[:]
    out_shape.insert(axis if axis >= 0 else len(shape), depth)
    on, off = {"bool": (True, False)}.get(dtype, (3, -1 if dtype not in ("uint8",) else 7))
    m = model("ONE_HOT", [("i", shape, "int32"), ("d", [], "int32"), ("on", [], dtype),
                          ("off", [], dtype)], (out_shape, dtype),
              fb.options("OneHotOptions", axis=axis),
              {"d": [depth], "on": [on], "off": [off]})
    compare(tfl, litert, tmp_path, m, [idx], f"one_hot_{dtype}_{axis}")


@pytest.mark.parametrize("case", ["log_softmax_int16", "log_softmax_bad_output", "gelu_int32", "gelu_unquantized_int8",
                                  "l2_normalization_int16", "l2_normalization_bad_scale",
                                  "cumsum_fed_axis", "one_hot_fed_depth"])
def test_errors(case, tfl, tmp_path):
    m, msg = {
        "log_softmax_int16": (model("LOG_SOFTMAX", [("x", [3], "int16")], ([3], "int16")),
                              "type int16 not supported (float32, uint8, int8)"),
        "log_softmax_bad_output": (model("LOG_SOFTMAX", [("x", [3], "int8")], ([3], "int8")),
                                   "int8 output needs scale 16/256 and zero point 127"),
        "gelu_int32": (model("GELU", [("x", [3], "int32")], ([3], "int32")),
                       "type int32 not supported (float32, int8, uint8, int16)"),
        "gelu_unquantized_int8": (model("GELU", [("x", [3], "int8")], ([3], "int8")),
                                  "need quantization"),
        "l2_normalization_int16": (
            model("L2_NORMALIZATION", [("x", [3], "int16")], ([3], "int16")),
            "type int16 not supported (float32, uint8, int8)"),
        "l2_normalization_bad_scale": (
            model("L2_NORMALIZATION", [("x", [3], "uint8")], ([3], "uint8")),
            "uint8 output needs scale 1/128 and zero point 128"),
        "cumsum_fed_axis": (model("CUMSUM", [("x", [3], "float32"), ("a", [], "int32")],
                                  ([3], "float32")), "constant"),
        "one_hot_fed_depth": (model("ONE_HOT", [("i", [3], "int32"), ("d", [], "int32"),
                                                ("on", [], "float32"), ("off", [], "float32")],
                                    ([3, 2], "float32"), consts={"on": [1.0], "off": [0.0]}),
                              "constant"),
    }[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(m)
    p = tfl("run", path)
    assert p.returncode != 0
    assert msg in p.stderr and "(node 0)" in p.stderr, p.stderr
