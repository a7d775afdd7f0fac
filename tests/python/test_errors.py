"""Every error path of the Interpreter: exception type and message.

Where scripts may match on LiteRT's wording, the same call is made on
ai_edge_litert and tfl must raise the same type with the same text
(`SAME`). Where tfl's situation differs (its own error texts for failing
ops, delegates, concurrent use), the type is LiteRT's and the text is
checked against what tfl promises.
"""
import re
import threading
import time
import warnings

import numpy as np
import pytest

import tfl
import tfl.interpreter as tflite
from conftest import DIGITS, HERE, SHARED

MULTI = HERE / "models" / "multi_io.tflite"
TWO = HERE / "models" / "two_signatures.tflite"
GATHER = HERE / "models" / "gather.tflite"
HEAVY = HERE / "models" / "heavy_conv.tflite"

VIEW_TEXT = ("There is at least 1 reference to internal data\n      in the interpreter in "
             "the form of a numpy array or slice. Be sure to\n      only hold the function "
             "returned from tensor() if you are using raw\n      data access.")


def _ref(mod, path, **kw):
    if mod is tflite:
        return mod.Interpreter(model_path=str(path), **kw)
    return mod.Interpreter(model_path=str(path),
                           experimental_op_resolver_type=mod.OpResolverType.BUILTIN_REF, **kw)


def _allocated(mod, path):
    it = _ref(mod, path)
    it.allocate_tensors()
    return it


def _raises(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the point is to catch it
        return e
    pytest.fail("no exception raised")


# name -> (function of the interpreter module, expected type); the same text
# as LiteRT is required. Index errors are raised before allocate_tensors():
# afterwards LiteRT's "max tensor index" counts the temporaries its kernels
# add (e.g. 24 for digits_int8 instead of the model's 18), which tfl does not
# have; tfl always says the model's count.
SAME = {
    "no model": (lambda m: m.Interpreter(), ValueError),
    "empty content": (lambda m: m.Interpreter(model_content=b""), ValueError),
    "path and content": (lambda m: m.Interpreter(model_path=str(DIGITS), model_content=b"x"),
                         ValueError),
    "num_threads 0": (lambda m: m.Interpreter(model_path=str(DIGITS), num_threads=0),
                      ValueError),
    "num_threads float": (lambda m: m.Interpreter(model_path=str(DIGITS), num_threads=2.0),
                          ValueError),
    "bad resolver": (lambda m: m.Interpreter(model_path=str(DIGITS),
                                             experimental_op_resolver_type=5), ValueError),
    "invoke before allocate": (lambda m: _ref(m, DIGITS).invoke(), RuntimeError),
    "get_tensor before allocate": (lambda m: _ref(m, DIGITS).get_tensor(0), ValueError),
    "tensor() before allocate": (lambda m: _ref(m, DIGITS).tensor(0)(), ValueError),
    "set_tensor before allocate": (
        lambda m: _ref(m, DIGITS).set_tensor(0, np.zeros((1, 8, 8, 1), np.int8)), ValueError),
    "get_tensor index too big": (lambda m: _ref(m, DIGITS).get_tensor(100), ValueError),
    "get_tensor index negative": (lambda m: _ref(m, DIGITS).get_tensor(-1), ValueError),
    "get_tensor bad subgraph": (lambda m: _allocated(m, DIGITS).get_tensor(0, 3), ValueError),
    "set_tensor index too big": (
        lambda m: _ref(m, DIGITS).set_tensor(100, np.zeros(1)), ValueError),
    "details index too big": (
        lambda m: _ref(m, DIGITS)._get_tensor_details(100, 0), ValueError),
    "tensor details bad subgraph": (
        lambda m: _allocated(m, DIGITS).get_tensor_details(3), ValueError),
    "set_tensor wrong dtype": (
        lambda m: _allocated(m, DIGITS).set_tensor(0, np.zeros((1, 8, 8, 1), np.float32)),
        ValueError),
    "set_tensor python list": (lambda m: _allocated(m, DIGITS).set_tensor(0, [[1, 2]]),
                               ValueError),
    "set_tensor object array": (
        lambda m: _allocated(m, DIGITS).set_tensor(0, np.array([object()])), ValueError),
    "set_tensor string": (lambda m: _allocated(m, DIGITS).set_tensor(0, "abc"), ValueError),
    "set_tensor uint16": (lambda m: _allocated(m, DIGITS).set_tensor(0, np.zeros(3, np.uint16)),
                          ValueError),
    "set_tensor rank": (
        lambda m: _allocated(m, DIGITS).set_tensor(0, np.zeros((8, 8, 1), np.int8)), ValueError),
    "set_tensor dimension": (
        lambda m: _allocated(m, DIGITS).set_tensor(0, np.zeros((1, 8, 7, 1), np.int8)),
        ValueError),
    "set_tensor scalar": (lambda m: _allocated(m, DIGITS).set_tensor(0, np.int8(3)), ValueError),
    "set_tensor float input wrong dtype": (
        lambda m: _allocated(m, MULTI).set_tensor(1, np.zeros((1, 3))), ValueError),
    "resize 2-D shape": (lambda m: _ref(m, DIGITS).resize_tensor_input(0, [[1, 2]]), ValueError),
    "resize non-numeric shape": (lambda m: _ref(m, DIGITS).resize_tensor_input(0, "abc"),
                                 ValueError),
    "resize strict fixed dimension": (
        lambda m: _ref(m, DIGITS).resize_tensor_input(0, [2, 8, 8, 1], strict=True),
        RuntimeError),
    "resize strict fixed dimension (multi_io)": (
        lambda m: _ref(m, MULTI).resize_tensor_input(0, [2, 4], strict=True), RuntimeError),
    "resize constant tensor": (lambda m: _ref(m, DIGITS).resize_tensor_input(3, [1, 2]),
                               RuntimeError),
    "invoke after resize without allocate": (
        lambda m: (lambda it: (it.resize_tensor_input(0, [2, 3]), it.invoke()))(
            _allocated(m, MULTI)), RuntimeError),
    "signature runner bad key": (lambda m: _ref(m, DIGITS).get_signature_runner("nope"),
                                 ValueError),
    "signature runner None key, two signatures": (
        lambda m: _ref(m, TWO).get_signature_runner(), ValueError),
    "signature runner wrong count": (
        lambda m: _ref(m, DIGITS).get_signature_runner()(), ValueError),
    "signature runner bad input name": (
        lambda m: _ref(m, DIGITS).get_signature_runner()(foo=np.zeros((1, 8, 8, 1), np.int8)),
        ValueError),
    "signature runner wrong dtype": (
        lambda m: _ref(m, DIGITS).get_signature_runner()(image=np.zeros((1, 8, 8, 1))),
        ValueError),
    "signature runner list input": (
        lambda m: _ref(m, DIGITS).get_signature_runner()(image=[[1]]), AttributeError),
    "SignatureRunner without key": (lambda m: m.SignatureRunner(_ref(m, DIGITS), None),
                                    ValueError),
    "SignatureRunner without interpreter": (lambda m: m.SignatureRunner(None, "x"), ValueError),
}


@pytest.mark.parametrize("case", list(SAME), ids=list(SAME))
def test_same_error_as_litert(case, litert):
    fn, cls = SAME[case]
    want = _raises(lambda: fn(litert))
    got = _raises(lambda: fn(tflite))
    assert type(want) is cls, f"LiteRT raised {type(want).__name__}: {want}"
    assert type(got) is cls, f"tfl raised {type(got).__name__}: {got}"
    assert str(got) == str(want)


def test_missing_file(litert):
    path = "/nonexistent/dir/model.tflite"
    want = _raises(lambda: litert.Interpreter(model_path=path))
    got = _raises(lambda: tflite.Interpreter(model_path=path))
    assert type(want) is type(got) is ValueError
    prefix = "Could not open '%s'." % path
    assert str(want).startswith(prefix)
    assert str(got).startswith(prefix)
    assert "No such file or directory" in str(got)


@pytest.mark.parametrize("content", [b"garbage" * 10, b"\0" * 64, DIGITS.read_bytes()[:200]],
                         ids=["text", "zeros", "truncated"])
def test_bad_model_content(content, litert):
    assert type(_raises(lambda: litert.Interpreter(model_content=content))) is ValueError
    e = _raises(lambda: tflite.Interpreter(model_content=content))
    assert type(e) is ValueError and str(e)


def test_directory_as_model(tmp_path, litert):
    assert type(_raises(lambda: litert.Interpreter(model_path=str(tmp_path)))) is ValueError
    e = _raises(lambda: tflite.Interpreter(model_path=str(tmp_path)))
    assert type(e) is ValueError and str(tmp_path) in str(e)


def test_model_content_str_is_a_type_error(litert):
    assert type(_raises(lambda: litert.Interpreter(model_content="abc"))) is TypeError
    assert type(_raises(lambda: tflite.Interpreter(model_content="abc"))) is TypeError


def test_unsupported_op_is_reported_at_construction():
    path = SHARED / "models" / "invalid_model_invoking_error.tflite"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    e = _raises(lambda: tflite.Interpreter(model_path=str(path)))
    assert type(e) is ValueError
    assert "fake-op-double (node 0)" in str(e) and "not supported" in str(e)
    assert tfl.unsupported_ops(model_path=path) == ["fake-op-double v1"]


def test_failed_invoke_is_runtime_error(litert):
    for mod in (litert, tflite):
        it = _allocated(mod, GATHER)
        it.set_tensor(0, np.array([1, 20, 3], np.int32))
        e = _raises(it.invoke)
        assert type(e) is RuntimeError
        if mod is tflite:
            assert str(e) == "GATHER (node 0): index 20 (indices element 1) is out of range " \
                             "[0, 10)"
        # The interpreter stays usable.
        it.set_tensor(0, np.array([1, 2, 3], np.int32))
        it.invoke()
        np.testing.assert_array_equal(it.get_tensor(it.get_output_details()[0]["index"]),
                                      [[2, 3], [4, 5], [6, 7]])


def test_failed_allocate_is_runtime_error(litert):
    for mod in (litert, tflite):
        it = _ref(mod, DIGITS)
        it.resize_tensor_input(0, [1, 64])
        e = _raises(it.allocate_tensors)
        assert type(e) is RuntimeError
        if mod is tflite:
            assert "CONV_2D (node 0)" in str(e)


def test_resize_errors_are_runtime_errors(litert):
    for mod in (litert, tflite):
        it = _ref(mod, DIGITS)
        assert type(_raises(lambda: it.resize_tensor_input(0, [1, -2, 8, 1]))) is RuntimeError
        assert type(_raises(lambda: it.resize_tensor_input(100, [1]))) is RuntimeError


def test_resize_of_non_input_is_refused():
    it = _allocated(tflite, DIGITS)
    e = _raises(lambda: it.resize_tensor_input(10, [1, 8, 8, 16]))
    assert type(e) is RuntimeError
    assert "not an input" in str(e)


@pytest.mark.parametrize("op", ["invoke", "allocate_tensors", "resize"])
@pytest.mark.parametrize("hold", ["view", "slice", "reshaped"])
def test_live_view_blocks_memory_changes(op, hold, litert):
    for mod in (litert, tflite):
        it = _allocated(mod, DIGITS)
        view = it.tensor(0)()
        held = {"view": view, "slice": view[0, 2:], "reshaped": view.reshape(-1)}[hold]
        del view
        call = {"invoke": it.invoke, "allocate_tensors": it.allocate_tensors,
                "resize": lambda: it.resize_tensor_input(0, [1, 8, 8, 1])}[op]
        e = _raises(call)
        assert type(e) is RuntimeError and str(e) == VIEW_TEXT, mod.__name__
        # Reading and writing still work while the view lives.
        it.set_tensor(0, np.zeros((1, 8, 8, 1), np.int8))
        it.get_tensor(0)
        del held
        call()


def test_view_blocks_signature_runner_resize():
    it = _allocated(tflite, MULTI)
    runner = it.get_signature_runner()
    v = it.tensor(1)()
    args = {"x": np.ones((2, 3), np.float32), "y": np.ones((2, 3), np.int32)}
    e = _raises(lambda: runner(**args))
    assert type(e) is RuntimeError and str(e) == VIEW_TEXT
    del v
    assert runner(**args)["sum"].shape == (2, 3)


# ---- delegates, custom ops, options tfl cannot honour -------------------------

def test_load_delegate_raises_value_error():
    e = _raises(lambda: tflite.load_delegate("libedgetpu.so.1"))
    assert type(e) is ValueError
    assert str(e).startswith("Failed to load delegate from libedgetpu.so.1\n")
    assert "tfl does not support delegates" in str(e)
    # The usual fallback pattern runs on the CPU.
    try:
        delegates = [tflite.load_delegate("libedgetpu.so.1", {"device": "usb"})]
    except ValueError:
        delegates = []
    tflite.Interpreter(model_path=str(DIGITS), experimental_delegates=delegates)


def test_experimental_delegates_refused():
    e = _raises(lambda: tflite.Interpreter(model_path=str(DIGITS),
                                           experimental_delegates=[object()]))
    assert type(e) is ValueError
    assert "tfl does not support delegates" in str(e)


def test_custom_op_registerers_refused():
    e = _raises(lambda: tflite.InterpreterWithCustomOps(custom_op_registerers=["Register"],
                                                        model_path=str(DIGITS)))
    assert type(e) is ValueError and "custom op" in str(e)
    tflite.InterpreterWithCustomOps(custom_op_registerers=[], model_path=str(DIGITS))


def test_preserve_all_tensors_warns_and_runs():
    with pytest.warns(UserWarning, match="experimental_preserve_all_tensors"):
        it = tflite.Interpreter(model_path=str(DIGITS), experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    it.invoke()


def test_every_litert_keyword_accepted(litert):
    import inspect
    params = inspect.signature(litert.Interpreter.__init__).parameters
    ours = inspect.signature(tflite.Interpreter.__init__).parameters
    assert list(params) == list(ours)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tflite.Interpreter(model_path=str(DIGITS), experimental_delegates=None, num_threads=2,
                           experimental_op_resolver_type=tflite.OpResolverType.BUILTIN_REF,
                           experimental_disable_delegate_clustering=True,
                           experimental_default_delegate_latest_features=True,
                           experimental_compress_quantization_zero_points=True,
                           experimental_disable_delegate_node_fusion=True,
                           experimental_force_delegate_node_profiling=True)
    # LiteRT's own OpResolverType enum is accepted too.
    resolver = litert.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    tflite.Interpreter(model_path=str(DIGITS), experimental_op_resolver_type=resolver)


# ---- one interpreter from two threads ----------------------------------------------

BUSY = re.escape("tfl Interpreter is in use by another thread")


def test_concurrent_use_refused_deterministic():
    """While one thread is inside a call, every other call raises."""
    it = _allocated(tflite, DIGITS)
    calls = [it.invoke, it.allocate_tensors, lambda: it.get_tensor(0),
             lambda: it.set_tensor(0, np.zeros((1, 8, 8, 1), np.int8)), it.get_input_details,
             it.get_output_details, it.get_tensor_details, lambda: it.tensor(0)(),
             lambda: it.resize_tensor_input(0, [1, 8, 8, 1]), it.reset_all_variables,
             lambda: it.get_signature_runner()(image=np.zeros((1, 8, 8, 1), np.int8))]
    errors = []
    with it._busy:  # what invoke() holds while its C call runs
        def other():
            for call in calls:
                try:
                    call()
                    errors.append(None)
                except RuntimeError as e:
                    errors.append(str(e))
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert len(errors) == len(calls)
    for e in errors:
        assert e is not None and re.match(BUSY, e), e
    it.invoke()  # free again


def test_concurrent_use_refused_real():
    """A thread invoking in a loop; the main thread's calls on the same
    interpreter are refused (not corrupted) while an invoke runs."""
    it = _allocated(tflite, HEAVY)
    x = np.random.default_rng(0).uniform(-1, 1, (1, 96, 96, 16)).astype(np.float32)
    it.set_tensor(0, x)
    stop = threading.Event()
    worker_errors = []

    def loop():
        while not stop.is_set():
            try:
                it.invoke()
            except RuntimeError as e:
                worker_errors.append(str(e))

    t = threading.Thread(target=loop)
    t.start()
    refused = 0
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            try:
                it.set_tensor(0, x)
            except RuntimeError as e:
                assert re.match(BUSY, str(e)), str(e)
                refused += 1
                if refused >= 3:
                    break
    finally:
        stop.set()
        t.join()
    assert refused >= 3
    assert all(re.match(BUSY, e) for e in worker_errors)
