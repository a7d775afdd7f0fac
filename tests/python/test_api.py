"""Interpreter semantics beyond the conformance comparison: copies vs views,
lifetimes, repeated allocation, subgraphs, op details, packaging."""
import gc
import os
import pathlib

import numpy as np
import pytest

import tfl
import tfl.interpreter as tflite
from conftest import DIGITS, HERE, assert_same_value, litert_interpreter

MULTI = HERE / "models" / "multi_io.tflite"
TWO = HERE / "models" / "two_signatures.tflite"


def _digits():
    it = tflite.Interpreter(model_path=str(DIGITS))
    it.allocate_tensors()
    return it


def test_path_like_and_bytes_paths():
    for p in (pathlib.Path(DIGITS), str(DIGITS), os.fsencode(str(DIGITS))):
        it = tflite.Interpreter(model_path=p)
        assert it.get_input_details()[0]["name"] == "serving_default_image:0"


def test_model_content_kept_alive():
    data = bytearray(DIGITS.read_bytes())
    it = tflite.Interpreter(model_content=bytes(data))
    del data
    gc.collect()
    it.allocate_tensors()
    it.set_tensor(0, np.zeros((1, 8, 8, 1), np.int8))
    it.invoke()
    ref = _digits()
    ref.set_tensor(0, np.zeros((1, 8, 8, 1), np.int8))
    ref.invoke()
    assert it.get_tensor(17).tobytes() == ref.get_tensor(17).tobytes()


def test_get_tensor_is_a_copy():
    it = _digits()
    x = np.arange(64, dtype=np.int8).reshape(1, 8, 8, 1)
    it.set_tensor(0, x)
    a = it.get_tensor(0)
    assert a.flags.owndata and a.flags.writeable
    a[...] = 0
    np.testing.assert_array_equal(it.get_tensor(0), x)


def test_tensor_view_is_zero_copy():
    it = _digits()
    view = it.tensor(0)
    view()[...] = 5
    np.testing.assert_array_equal(it.get_tensor(0), np.full((1, 8, 8, 1), 5, np.int8))
    it.set_tensor(0, np.full((1, 8, 8, 1), -7, np.int8))
    assert (view() == -7).all()
    arr = view()
    assert not arr.flags.owndata and arr.flags.writeable
    assert arr.dtype == np.int8 and arr.shape == (1, 8, 8, 1)


def test_constant_views_are_read_only():
    it = _digits()
    w = it.tensor(3)()  # a constant weight tensor
    assert not w.flags.writeable
    with pytest.raises(ValueError):
        w[...] = 0
    del w


def test_view_outlives_interpreter():
    it = _digits()
    it.set_tensor(0, np.full((1, 8, 8, 1), 9, np.int8))
    v = it.tensor(0)()
    del it
    gc.collect()
    assert (v == 9).all()  # the memory stays valid while the view lives


def test_allocate_twice_keeps_inputs():
    """As LiteRT: allocate_tensors() with nothing resized changes nothing."""
    it = _digits()
    x = np.arange(64, dtype=np.int8).reshape(1, 8, 8, 1)
    it.set_tensor(0, x)
    it.allocate_tensors()
    np.testing.assert_array_equal(it.get_tensor(0), x)


def test_scalar_tensor_reads_as_numpy_scalar(litert):
    got = tflite.Interpreter(model_path=str(TWO))
    want = litert_interpreter(litert, TWO)
    got.allocate_tensors()
    want.allocate_tensors()
    # tensor 1 of subgraph 1 is the constant 2.0 of shape [].
    g, w = got.get_tensor(1, 1), want.get_tensor(1, 1)
    assert type(g) is type(w) is np.float32 and g == w == 2.0


def test_subgraph_tensors_and_details(litert):
    got = tflite.Interpreter(model_path=str(TWO))
    want = litert_interpreter(litert, TWO)
    assert got.num_subgraphs() == want.num_subgraphs() == 2
    for sg in range(2):
        assert_same_value(got.get_tensor_details(sg), want.get_tensor_details(sg),
                          f"subgraph {sg}")


def test_resize_same_shape_is_a_no_op():
    it = _digits()
    x = np.ones((1, 8, 8, 1), np.int8)
    it.set_tensor(0, x)
    it.resize_tensor_input(0, [1, 8, 8, 1])
    np.testing.assert_array_equal(it.get_tensor(0), x)
    it.invoke()  # still allocated


def test_resize_strict_free_dimension(litert):
    for mod, make in ((tflite, lambda: tflite.Interpreter(model_path=str(MULTI))),
                      (litert, lambda: litert_interpreter(litert, MULTI))):
        it = make()
        it.resize_tensor_input(0, [5, 3], strict=True)
        it.resize_tensor_input(1, [5, 3], strict=True)
        it.allocate_tensors()
        assert it.get_input_details()[0]["shape"].tolist() == [5, 3]
        assert [d["shape"].tolist() for d in it.get_output_details()] == [[5, 3], [5, 3]]


def test_reset_all_variables(litert):
    it = _digits()
    assert it.reset_all_variables() is None
    assert litert_interpreter(litert, DIGITS).reset_all_variables() is None


def test_ops_details_match_litert(litert):
    got = tflite.Interpreter(model_path=str(DIGITS))
    want = litert_interpreter(litert, DIGITS)
    assert_same_value(got._get_ops_details(), want._get_ops_details(), "ops")


def test_op_resolver_types():
    assert [t.name for t in tflite.OpResolverType] == [
        "AUTO", "BUILTIN", "BUILTIN_REF", "BUILTIN_WITHOUT_DEFAULT_DELEGATES"]
    for t in tflite.OpResolverType:
        tflite.Interpreter(model_path=str(DIGITS), experimental_op_resolver_type=t)


def test_module_surface(litert):
    """Every public name of ai_edge_litert.interpreter exists in tfl.interpreter,
    and every public method of its Interpreter and SignatureRunner too."""
    public = {n for n in dir(litert) if not n.startswith("_")}
    public -= {"ctypes", "enum", "np", "os", "platform", "sys", "warnings", "metrics"}
    assert public <= set(dir(tflite)), public - set(dir(tflite))
    for cls in ("Interpreter", "SignatureRunner"):
        names = {n for n in dir(getattr(litert, cls)) if not n.startswith("__")}
        assert names <= set(dir(getattr(tflite, cls))), names - set(dir(getattr(tflite, cls)))


def test_native_handle():
    assert isinstance(_digits()._native_handle(), int)


def test_compress_zero_points_property():
    it = tflite.Interpreter(model_path=str(DIGITS),
                            experimental_compress_quantization_zero_points=True)
    assert it.experimental_compress_quantization_zero_points is True


def test_library_is_one_abi3_binary():
    """The package carries one C library, built for the stable ABI
    (cp38-abi3), loaded with ctypes."""
    from tfl._lib import lib
    if os.environ.get("TFL_LIBRARY"):
        pytest.skip("TFL_LIBRARY overrides the packaged library")
    assert os.path.basename(lib.path).startswith("_libtfl")
    assert ".abi3." in os.path.basename(lib.path)
    assert tfl.__version__ == "0.1.0" or tfl.__version__.count(".") == 2
