"""Drop-in replacement for `tflite_runtime.interpreter` / `ai_edge_litert.interpreter`.

    import tfl.interpreter as tflite   # was: import tflite_runtime.interpreter as tflite

`Interpreter`, `SignatureRunner`, `OpResolverType`, `load_delegate` and
`Delegate` take the same arguments, return the same types (details dicts
key by key and type by type) and raise the same exception types with the
same wording where scripts match on it. Everything runs on tfl's own C
kernels through ctypes; `invoke()` releases the GIL while it runs.

What differs, on purpose (see docs/python.md):
  * delegates cannot be loaded: `load_delegate` raises ValueError (the usual
    "try: load_delegate(...) except ValueError: fall back to the CPU" code
    keeps working) and a non-empty `experimental_delegates` is refused;
  * one Interpreter used from two threads at once raises RuntimeError
    instead of corrupting memory;
  * views from `tensor()` on constant tensors are read-only (LiteRT hands out
    writable views of read-only model memory);
  * intermediate tensors share memory (as LiteRT without
    experimental_preserve_all_tensors); that option is accepted with a warning.
"""
import ctypes
import enum
import os
import threading
import warnings
import weakref

import numpy as np

from tfl._lib import (ERROR_IO, ERROR_STATE, OK, Error, OpInfo, Signature, TensorInfo, cstr,
                      lib)

__all__ = ["Interpreter", "InterpreterWithCustomOps", "SignatureRunner", "OpResolverType",
           "Delegate", "load_delegate"]

# tfl_type -> NumPy scalar type, as LiteRT maps TfLiteType (strings are
# NPY_STRING, resources and variants NPY_OBJECT, int4 is unpacked to int8).
_NP_TYPE = {
    0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64, 5: np.bytes_,
    6: np.bool_, 7: np.int16, 8: np.complex64, 9: np.int8, 10: np.float64,
    11: np.complex128, 12: np.uint64, 13: np.object_, 14: np.object_, 15: np.uint32,
    16: np.uint16, 17: np.int8,
}
# tfl_type -> TfLiteTypeGetName spelling, used in LiteRT's messages.
_TYPE_NAME = {
    0: "FLOAT32", 1: "FLOAT16", 2: "INT32", 3: "UINT8", 4: "INT64", 5: "STRING", 6: "BOOL",
    7: "INT16", 8: "COMPLEX64", 9: "INT8", 10: "FLOAT64", 11: "COMPLEX128", 12: "UINT64",
    13: "RESOURCE", 14: "VARIANT", 15: "UINT32", 16: "UINT16", 17: "INT4",
}
# Types whose bytes NumPy can hold as they are.
_PLAIN_TYPES = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 15, 16}

_NUMPY_TO_NAME = {
    np.dtype(np.float32): "FLOAT32", np.dtype(np.float16): "FLOAT16",
    np.dtype(np.float64): "FLOAT64", np.dtype(np.int32): "INT32",
    np.dtype(np.uint32): "UINT32", np.dtype(np.int16): "INT16",
    np.dtype(np.uint16): "UINT16", np.dtype(np.uint8): "UINT8", np.dtype(np.int8): "INT8",
    np.dtype(np.int64): "INT64", np.dtype(np.uint64): "UINT64", np.dtype(np.bool_): "BOOL",
    np.dtype(np.complex64): "COMPLEX64", np.dtype(np.complex128): "COMPLEX128",
}


def _array_type_name(arr):
    """LiteRT's TfLiteTypeFromPyArray, spelled as TfLiteTypeGetName."""
    if arr.dtype.kind in "OSU":
        return "STRING"
    return _NUMPY_TO_NAME.get(arr.dtype, "NOTYPE")


_VIEW_MESSAGE = """There is at least 1 reference to internal data
      in the interpreter in the form of a numpy array or slice. Be sure to
      only hold the function returned from tensor() if you are using raw
      data access."""

_BUSY_MESSAGE = ("tfl Interpreter is in use by another thread: one Interpreter must not be "
                 "used from two threads at once (create one Interpreter per thread; they run "
                 "in parallel)")


class _Busy:
    """Refuses concurrent use of one interpreter from several threads (the
    C interpreter is not thread-safe) instead of waiting or corrupting it."""

    def __init__(self):
        self._lock = threading.Lock()

    def __enter__(self):
        if not self._lock.acquire(blocking=False):
            raise RuntimeError(_BUSY_MESSAGE)
        return self

    def __exit__(self, *exc):
        self._lock.release()
        return False


class _Native:
    """Owns the C model and its per-subgraph C interpreters; freed when the
    last Interpreter, SignatureRunner or tensor() view referring to it goes."""

    def __init__(self):
        self.model = None
        self.content = None  # the caller's bytes, which the model uses in place
        self.interps = {}  # subgraph -> tfl_interpreter*
        self._lib = lib

    def __del__(self):
        for ptr in self.interps.values():
            self._lib.interpreter_free(ptr)
        self.interps = {}
        if self.model:
            self._lib.model_free(self.model)
            self.model = None


class _TensorView:
    """The base object of arrays returned by tensor(): exposes tensor memory
    through the array interface and keeps the C objects alive."""

    __slots__ = ("__array_interface__", "_native", "__weakref__")

    def __init__(self, native, ptr, shape, dtype, readonly):
        self._native = native
        self.__array_interface__ = {
            "version": 3, "shape": tuple(shape), "typestr": np.dtype(dtype).str,
            "data": (ptr or 0, bool(readonly)),
        }


class Delegate:
    """Present for compatibility; tfl cannot run TfLiteDelegates, so
    constructing one raises ValueError."""

    def __init__(self, library, options=None):
        raise ValueError(
            "tfl does not support delegates: %s cannot be loaded (tfl runs every op on its own "
            "CPU kernels; drop experimental_delegates)" % (library,))

    def _get_native_delegate_pointer(self):  # pragma: no cover - never constructed
        raise ValueError("tfl does not support delegates")


def load_delegate(library, options=None):
    """Raises ValueError as LiteRT does when a delegate fails to load, so the
    usual fallback (`except ValueError:` run on the CPU) takes over."""
    try:
        return Delegate(library, options)
    except ValueError as e:
        raise ValueError("Failed to load delegate from {}\n{}".format(library, str(e)))


@enum.unique
class OpResolverType(enum.Enum):
    """Accepted for compatibility. tfl has one set of kernels whose integer
    results equal TFLite's reference kernels (BUILTIN_REF) byte for byte, so
    every choice runs the same code."""

    AUTO = 0
    BUILTIN = 1
    BUILTIN_REF = 2
    BUILTIN_WITHOUT_DEFAULT_DELEGATES = 3


def _get_op_resolver_id(op_resolver_type=OpResolverType.AUTO):
    # Also accepts the OpResolverType of tflite_runtime, ai_edge_litert or
    # tf.lite, so mixed imports keep working.
    if isinstance(op_resolver_type, enum.Enum):
        return {"AUTO": 1, "BUILTIN": 1, "BUILTIN_REF": 2,
                "BUILTIN_WITHOUT_DEFAULT_DELEGATES": 3}.get(op_resolver_type.name)
    return None


class SignatureRunner:
    """Runs one SignatureDef by input and output names (see
    Interpreter.get_signature_runner)."""

    def __init__(self, interpreter=None, signature_key=None):
        if not interpreter:
            raise ValueError("None interpreter provided.")
        if not signature_key:
            raise ValueError("None signature_key provided.")
        self._interpreter = interpreter
        self._signature_key = signature_key
        signature_defs = interpreter._get_full_signature_list()
        if signature_key not in signature_defs:
            raise ValueError('Invalid signature_key provided: "{}".'.format(signature_key))
        self._signature_def = signature_defs[signature_key]
        self._outputs = self._signature_def["outputs"].items()
        self._inputs = self._signature_def["inputs"]
        self._subgraph_index = interpreter._signature_subgraph(signature_key)

    def __call__(self, **kwargs):
        """Runs the SignatureDef: keyword arguments are its inputs by name
        (NumPy arrays); returns {output name: array}."""
        if len(kwargs) != len(self._inputs):
            raise ValueError(
                "Invalid number of inputs provided for running a SignatureDef, "
                "expected %s vs provided %s" % (len(self._inputs), len(kwargs)))
        it = self._interpreter
        sg = self._subgraph_index
        with it._busy:
            for input_name, value in kwargs.items():
                if input_name not in self._inputs:
                    raise ValueError("Invalid Input name (%s) for SignatureDef" % input_name)
                it._resize(self._inputs[input_name], np.array(value.shape, dtype=np.int32),
                           False, sg)
            it._allocate(sg)
            for input_name, value in kwargs.items():
                it._set_tensor(self._inputs[input_name], value, sg)
            it._invoke(sg)
            return {name: it._get_tensor(index, sg) for name, index in self._outputs}

    def get_input_details(self):
        """{input name: details dict} (see Interpreter.get_input_details)."""
        it = self._interpreter
        with it._busy:
            return {name: it._tensor_details(index, self._subgraph_index)
                    for name, index in self._inputs.items()}

    def get_output_details(self):
        """{output name: details dict} (see Interpreter.get_input_details)."""
        it = self._interpreter
        with it._busy:
            return {name: it._tensor_details(index, self._subgraph_index)
                    for name, index in self._outputs}


class Interpreter:
    """Interpreter interface for running TensorFlow Lite models with tfl.

    Same constructor and methods as `ai_edge_litert.interpreter.Interpreter`
    (and `tflite_runtime.interpreter.Interpreter`, `tf.lite.Interpreter`):

        interpreter = Interpreter(model_path="model.tflite")
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        y = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    """

    def __init__(self, model_path=None, model_content=None, experimental_delegates=None,
                 num_threads=None, experimental_op_resolver_type=OpResolverType.AUTO,
                 experimental_preserve_all_tensors=False,
                 experimental_disable_delegate_clustering=False,
                 experimental_default_delegate_latest_features=False,
                 experimental_compress_quantization_zero_points=False,
                 experimental_disable_delegate_node_fusion=False,
                 experimental_force_delegate_node_profiling=False):
        self._busy = _Busy()
        self._views = weakref.WeakSet()
        self._native = None
        self._experimental_compress_quantization_zero_points = (
            experimental_compress_quantization_zero_points)
        if not hasattr(self, "_custom_op_registerers"):
            self._custom_op_registerers = []
        if self._custom_op_registerers:
            raise ValueError("tfl cannot register custom ops from Python "
                             "(custom_op_registerers): tfl runs the custom ops it implements "
                             "itself, such as TFLite_Detection_PostProcess")

        if _get_op_resolver_id(experimental_op_resolver_type) is None:
            raise ValueError("Unrecognized passed in op resolver type: {}".format(
                experimental_op_resolver_type))
        if num_threads is not None:
            if not isinstance(num_threads, int):
                raise ValueError("type of num_threads should be int")
            if num_threads < 1:
                raise ValueError("num_threads should >= 1")
        if experimental_delegates:
            raise ValueError(
                "tfl does not support delegates (experimental_delegates=%r): tfl runs every op "
                "on its own CPU kernels; construct the Interpreter without "
                "experimental_delegates" % (experimental_delegates,))
        if experimental_preserve_all_tensors:
            warnings.warn(
                "tfl does not support experimental_preserve_all_tensors: intermediate tensors "
                "share memory, so get_tensor() on one after invoke() may return data "
                "overwritten by a later op (inputs, outputs, constants and variables are "
                "always intact)", UserWarning, stacklevel=2)

        native = _Native()
        err = Error()
        if model_path and not model_content:
            path = os.fspath(model_path)
            cpath = os.fsencode(path)
            native.model = lib.model_load_file(cpath, ctypes.byref(err))
            if not native.model:
                if err.status == ERROR_IO:  # LiteRT's words, then tfl's reason
                    shown = os.fsdecode(path)
                    why = err.text()
                    prefix = "cannot open '%s': " % shown
                    why = why[len(prefix):] if why.startswith(prefix) else why
                    raise ValueError("Could not open '{}'. {}".format(shown, why))
                raise ValueError(err.text())
        elif model_content and not model_path:
            content = model_content
            if not isinstance(content, bytes):
                if isinstance(content, str):
                    raise TypeError("model_content must be bytes, not str")
                content = bytes(memoryview(content))  # own an immutable copy
            native.content = content
            self._model_content = model_content
            ptr = ctypes.cast(ctypes.c_char_p(content), ctypes.c_void_p)
            native.model = lib.model_load_buffer(ptr, len(content), ctypes.byref(err))
            if not native.model:
                raise ValueError(err.text())
        elif not model_content and not model_path:
            raise ValueError("`model_path` or `model_content` must be specified.")
        else:
            raise ValueError("Can't both provide `model_path` and `model_content`")

        self._native = native
        self._num_threads = int(num_threads or 1)
        self._allocated = {}  # subgraph -> bool: planned and nothing resized since
        self._interp(0)  # unsupported ops are reported here, as LiteRT does
        self._delegates = []
        self._signature_defs = self.get_signature_list()

    def __del__(self):
        self._native = None

    # ---- internals (callers hold self._busy) ------------------------------

    def _interp(self, subgraph):
        """The C interpreter of a subgraph, created on first use."""
        native = self._native
        ptr = native.interps.get(subgraph)
        if ptr is None:
            opt = lib.options_default()
            opt.num_threads = self._num_threads
            opt.subgraph = subgraph
            err = Error()
            ptr = lib.interpreter_create(native.model, ctypes.byref(opt), ctypes.byref(err))
            if not ptr:
                raise ValueError(err.text())
            native.interps[subgraph] = ptr
            self._allocated[subgraph] = False
        return ptr

    def _error(self, subgraph):
        return cstr(lib.interpreter_last_error(self._native.interps[subgraph]))

    def _num_subgraphs(self):
        return lib.model_num_subgraphs(self._native.model)

    def _check_subgraph(self, subgraph):
        n = self._num_subgraphs()
        if subgraph >= n or subgraph < 0:
            raise ValueError("Invalid subgraph index %d exceeds max subgraph index %d"
                             % (subgraph, n))

    def _num_tensors(self, subgraph):
        return lib.model_num_tensors(self._native.model, subgraph)

    def _check_tensor(self, index, subgraph):
        n = self._num_tensors(subgraph)
        if index >= n or index < 0:
            raise ValueError("Invalid tensor index %d exceeds max tensor index %d" % (index, n))

    def _tensor(self, index, subgraph):
        """tfl_tensor* of a subgraph's tensor (index already checked)."""
        return lib.interpreter_tensor(self._interp(subgraph), index)

    def _ensure_safe(self):
        if len(self._views):
            raise RuntimeError(_VIEW_MESSAGE)

    def _allocate(self, subgraph):
        if self._allocated.get(subgraph) and subgraph in self._native.interps:
            return  # nothing changed since the last plan: keep tensor contents, as LiteRT
        self._ensure_safe()
        it = self._interp(subgraph)
        if lib.interpreter_allocate(it) != OK:
            raise RuntimeError(self._error(subgraph))
        self._allocated[subgraph] = True

    def _invoke(self, subgraph):
        it = self._interp(subgraph)
        status = lib.interpreter_invoke(it)  # ctypes releases the GIL for the call
        if status == ERROR_STATE or (status != OK and not self._allocated.get(subgraph)):
            raise RuntimeError("Invoke called on model that is not ready.")
        if status != OK:
            raise RuntimeError(self._error(subgraph))

    def _input_position(self, tensor_index, subgraph):
        it = self._interp(subgraph)
        for i in range(lib.interpreter_num_inputs(it)):
            if lib.interpreter_input_index(it, i) == tensor_index:
                return i
        return -1

    def _resize(self, tensor_index, dims, strict, subgraph):
        """LiteRT's ResizeInputTensor(Strict): `dims` is an int32 array."""
        tensor_index = int(tensor_index)
        if dims.ndim != 1:
            raise ValueError("Shape should be 1D instead of %d." % dims.ndim)
        if dims.dtype != np.int32:
            raise ValueError("Shape must be type int32 (was %s)." % dims.dtype)
        self._check_subgraph(subgraph)
        n = self._num_tensors(subgraph)
        if tensor_index >= n or tensor_index < 0:
            raise RuntimeError("tensor_index < context_.tensors_size && tensor_index >= 0 was "
                               "not true: tensor index %d, the subgraph has %d tensors"
                               % (tensor_index, n))
        t = self._tensor(tensor_index, subgraph)
        new = [int(d) for d in dims]
        cur = self._dims(t)
        if strict:
            if len(cur) != len(new):
                raise RuntimeError("tensor->dims->size != dims.size() (%d != %d)"
                                   % (len(cur), len(new)))
            sig = self._shape_signature(t)
            for d, (s, v) in enumerate(zip(sig, new)):
                if s != -1 and s != v:
                    raise RuntimeError(
                        "Attempting to resize dimension %d of tensor %d with value %d to %d. "
                        "ResizeInputTensorStrict only allows mutating unknown dimensions "
                        "identified by -1." % (d, tensor_index, s, v))
        pos = self._input_position(tensor_index, subgraph)
        if pos < 0:
            if lib.tensor_is_constant(t) or lib.tensor_is_variable(t):
                raise RuntimeError("Attempting to resize a fixed-size tensor.")
            raise RuntimeError("Attempting to resize tensor %d, which is not an input of the "
                               "model: tfl resizes model inputs only" % tensor_index)
        if cur == new:
            return
        self._ensure_safe()
        arr = (ctypes.c_int32 * max(len(new), 1))(*new)
        if lib.interpreter_resize_input(self._interp(subgraph), pos, arr, len(new)) != OK:
            raise RuntimeError(self._error(subgraph))
        self._allocated[subgraph] = False

    @staticmethod
    def _dims(t):
        nd = lib.tensor_ndim(t)
        d = lib.tensor_dims(t)
        return [int(d[i]) for i in range(nd)]

    @staticmethod
    def _shape_signature(t):
        nd = ctypes.c_int(0)
        d = lib.tensor_shape_signature(t, ctypes.byref(nd))
        return [int(d[i]) for i in range(nd.value)]

    def _check_get(self, index, subgraph):
        """LiteRT's CheckGetTensorArgs: the tensor, its type and dims."""
        self._check_subgraph(subgraph)
        self._check_tensor(index, subgraph)
        t = self._tensor(index, subgraph)
        ttype = lib.tensor_type(t)
        nbytes = lib.tensor_byte_size(t)
        data = lib.tensor_data(t)
        if ttype not in _NP_TYPE:
            raise ValueError("Unknown tensor type.")
        if not data and nbytes:
            raise ValueError("Tensor data is null. Run allocate_tensors() first")
        if ttype not in _PLAIN_TYPES:
            raise ValueError("tfl cannot read %s tensors (tensor %d)"
                             % (_TYPE_NAME[ttype], index))
        return t, ttype, self._dims(t), data

    def _get_tensor(self, index, subgraph):
        index, subgraph = int(index), int(subgraph)
        t, ttype, dims, data = self._check_get(index, subgraph)
        out = np.empty(dims, dtype=_NP_TYPE[ttype])
        if out.nbytes:
            if lib.tensor_copy_to(t, out.ctypes.data, out.nbytes) != OK:
                raise ValueError(self._error(subgraph))
        return out[()] if out.ndim == 0 else out

    def _set_tensor(self, index, value, subgraph):
        index, subgraph = int(index), int(subgraph)
        self._check_subgraph(subgraph)
        self._check_tensor(index, subgraph)
        try:
            arr = np.asarray(value)
            if arr.dtype.kind not in "OSU" and not (arr.flags.c_contiguous and
                                                    arr.flags.aligned):
                arr = arr.copy(order="C")  # keeps 0-d arrays 0-d
        except Exception:
            raise ValueError("Failed to convert value into readable tensor.")
        t = self._tensor(index, subgraph)
        ttype = lib.tensor_type(t)
        got = _array_type_name(arr)
        want = _TYPE_NAME.get(ttype, "NOTYPE")
        if got != want:
            raise ValueError(
                "Cannot set tensor: Got value of type %s but expected type %s for input %d, "
                "name: %s " % (got, want, index, cstr(lib.tensor_name(t))))
        dims = self._dims(t)
        if arr.ndim != len(dims):
            raise ValueError("Cannot set tensor: Dimension mismatch. Got %d but expected %d "
                             "for input %d." % (arr.ndim, len(dims), index))
        for j, (got_d, want_d) in enumerate(zip(arr.shape, dims)):
            if got_d != want_d:
                raise ValueError("Cannot set tensor: Dimension mismatch. Got %d but expected %d "
                                 "for dimension %d of input %d." % (got_d, want_d, j, index))
        if ttype not in _PLAIN_TYPES:
            raise ValueError("tfl cannot write %s tensors (tensor %d)" % (want, index))
        nbytes = lib.tensor_byte_size(t)
        if not lib.tensor_data(t) and nbytes:
            raise ValueError("Cannot set tensor: Tensor is unallocated. Try calling "
                             "allocate_tensors() first")
        if arr.nbytes != nbytes:
            raise ValueError("numpy array had %d bytes but expected %d bytes."
                             % (arr.nbytes, nbytes))
        if lib.tensor_copy_from(t, arr.ctypes.data, arr.nbytes) != OK:
            raise ValueError(self._error(subgraph))

    def _view(self, index, subgraph=0):
        index = int(index)
        with self._busy:
            t, ttype, dims, data = self._check_get(index, subgraph)
            if not data:  # an empty tensor: nothing to share
                arr = np.empty(dims, dtype=_NP_TYPE[ttype])
                return arr[()] if arr.ndim == 0 else arr
            view = _TensorView(self._native, data, dims, _NP_TYPE[ttype],
                               readonly=lib.tensor_is_constant(t))
            self._views.add(view)
            arr = np.asarray(view)
            return arr[()] if arr.ndim == 0 else arr

    def _tensor_details(self, tensor_index, subgraph_index):
        """LiteRT's _get_tensor_details: same keys, same value types."""
        tensor_index = int(tensor_index)
        subgraph_index = int(subgraph_index)
        self._check_tensor(tensor_index, subgraph_index)
        if subgraph_index in self._native.interps:
            t = self._tensor(tensor_index, subgraph_index)
            name = cstr(lib.tensor_name(t))
            ttype = lib.tensor_type(t)
            shape = self._dims(t)
            sig = self._shape_signature(t)
            q = lib.tensor_quantization(t)
        else:  # a subgraph nothing has run yet: the model's declaration
            info = TensorInfo()
            lib.model_tensor(self._native.model, subgraph_index, tensor_index,
                             ctypes.byref(info))
            name = cstr(info.name)
            ttype = info.type
            shape = [int(info.dims[i]) for i in range(info.ndim)]
            sig = [int(info.sig[i]) for i in range(info.sig_ndim)]
            q = info.quantization
        if ttype not in _NP_TYPE:
            raise ValueError("Invalid tflite type code %d" % ttype)
        count = max(int(q.count), 0)
        scales = np.array([q.scales[i] for i in range(count)], dtype=np.float32)
        zero_points = np.array([q.zero_points[i] for i in range(count)], dtype=np.int64)
        zero_points = zero_points.astype(np.int32)
        if count == 1:
            quantization = (float(scales[0]), int(zero_points[0]))
        else:  # LiteRT fills the legacy pair for per-tensor quantization only
            quantization = (0.0, 0)
        return {
            "name": name,
            "index": tensor_index,
            "shape": np.array(shape, dtype=np.int32),
            "shape_signature": np.array(sig, dtype=np.int32),
            "dtype": _NP_TYPE[ttype],
            "quantization": quantization,
            "quantization_parameters": {
                "scales": scales,
                "zero_points": zero_points,
                "quantized_dimension": int(q.quantized_dimension) if count else 0,
                "block_size": 0,
            },
            "sparsity_parameters": {},
        }

    def _signature_subgraph(self, key):
        model = self._native.model
        sig = Signature()
        for i in range(lib.model_num_signatures(model)):
            if lib.model_signature(model, i, ctypes.byref(sig)) == OK and cstr(sig.key) == key:
                return int(sig.subgraph)
        raise ValueError("No matching signature.")

    # ---- public API --------------------------------------------------------

    def allocate_tensors(self):
        """Plans memory and prepares every op; call again after resizing."""
        with self._busy:
            self._ensure_safe()
            self._allocate(0)

    def _safe_to_run(self):
        return len(self._views) == 0

    def invoke(self):
        """Runs the model. The GIL is released while the C code runs, so
        other threads (and other Interpreters) keep going.

        Raises:
          RuntimeError: before allocate_tensors(), while a view from tensor()
            is alive, or when an op fails (the message names op and node).
        """
        with self._busy:
            self._ensure_safe()
            self._invoke(0)

    def reset_all_variables(self):
        """Resets variable tensors to their initial values."""
        with self._busy:
            it = self._interp(0)
            if lib.interpreter_reset_variables(it) != OK:
                raise RuntimeError(self._error(0))

    def num_subgraphs(self):
        """Returns the number of subgraphs in the model."""
        return self._num_subgraphs()

    def get_tensor_details(self, subgraph_index=0):
        """Details of every tensor of a subgraph (list of dicts)."""
        num_subgraphs = self._num_subgraphs()
        if subgraph_index < 0 or subgraph_index >= num_subgraphs:
            raise ValueError(
                f"subgraph_index is out of range: {subgraph_index} for the model,"
                f" which has {num_subgraphs} subgraphs.")
        out = []
        with self._busy:
            for idx in range(self._num_tensors(subgraph_index)):
                try:
                    out.append(self._tensor_details(idx, subgraph_index))
                except ValueError:
                    pass
        return out

    def _get_tensor_details(self, tensor_index, subgraph_index):
        with self._busy:
            return self._tensor_details(tensor_index, subgraph_index)

    def get_input_details(self):
        """Details of the model's inputs: a list of dicts with name, index,
        shape, shape_signature, dtype, quantization, quantization_parameters
        and sparsity_parameters."""
        with self._busy:
            it = self._interp(0)
            return [self._tensor_details(lib.interpreter_input_index(it, i), 0)
                    for i in range(lib.interpreter_num_inputs(it))]

    def get_output_details(self):
        """Details of the model's outputs (same fields as get_input_details)."""
        with self._busy:
            it = self._interp(0)
            return [self._tensor_details(lib.interpreter_output_index(it, i), 0)
                    for i in range(lib.interpreter_num_outputs(it))]

    def set_tensor(self, tensor_index, value):
        """Copies `value` (dtype and shape must match) into a tensor.

        Raises:
          ValueError: bad index, dtype or shape, or before allocate_tensors().
        """
        with self._busy:
            self._set_tensor(tensor_index, value, 0)

    def resize_tensor_input(self, input_index, tensor_size, strict=False):
        """Resizes an input tensor (by tensor index); takes effect at the
        next allocate_tensors(). With strict=True only dimensions that are -1
        in shape_signature may change."""
        with self._busy:
            self._ensure_safe()
            tensor_size = np.array(tensor_size, dtype=np.int32)
            self._resize(input_index, tensor_size, strict, 0)

    def get_signature_list(self):
        """{signature key: {'inputs': [names], 'outputs': [names]}}."""
        full = self._get_full_signature_list()
        for sig in full.values():
            sig["inputs"] = list(sig["inputs"].keys())
            sig["outputs"] = list(sig["outputs"].keys())
        return full

    def _get_full_signature_list(self):
        """{signature key: {'inputs': {name: index}, 'outputs': {name: index}}},
        names sorted as LiteRT's std::map orders them."""
        model = self._native.model
        result = {}
        sig = Signature()
        for i in range(lib.model_num_signatures(model)):
            if lib.model_signature(model, i, ctypes.byref(sig)) != OK:
                continue
            ins = {cstr(sig.inputs[j].name): int(sig.inputs[j].tensor_index)
                   for j in range(sig.num_inputs)}
            outs = {cstr(sig.outputs[j].name): int(sig.outputs[j].tensor_index)
                    for j in range(sig.num_outputs)}
            result[cstr(sig.key)] = {"inputs": dict(sorted(ins.items())),
                                     "outputs": dict(sorted(outs.items()))}
        return result

    def get_signature_runner(self, signature_key=None):
        """A callable running one SignatureDef by names; signature_key may be
        None when the model has exactly one."""
        if signature_key is None:
            if len(self._signature_defs) != 1:
                raise ValueError(
                    "SignatureDef signature_key is None and model has {0} Signatures. "
                    "None is only allowed when the model has 1 SignatureDef".format(
                        len(self._signature_defs)))
            signature_key = next(iter(self._signature_defs))
        return SignatureRunner(interpreter=self, signature_key=signature_key)

    def get_tensor(self, tensor_index, subgraph_index=0):
        """A copy of a tensor's value (a NumPy array; a NumPy scalar for a
        0-d tensor, as LiteRT)."""
        with self._busy:
            return self._get_tensor(tensor_index, subgraph_index)

    def tensor(self, tensor_index):
        """A function returning a zero-copy NumPy view of the tensor's memory.
        While such a view is alive, allocate_tensors(), invoke() and
        resize_tensor_input() raise RuntimeError (they may move the memory)."""
        return lambda: self._view(tensor_index)

    @property
    def experimental_compress_quantization_zero_points(self):
        return self._experimental_compress_quantization_zero_points

    def _native_handle(self):
        """The tfl_interpreter* of the main subgraph, as an int."""
        return int(self._native.interps[0])

    def _get_op_details(self, op_index):
        model = self._native.model
        info = OpInfo()
        if lib.model_op(model, 0, int(op_index), ctypes.byref(info)) != OK:
            raise ValueError("Invalid node index")
        inputs = np.array([info.inputs[i] for i in range(info.num_inputs)], dtype=np.int32)
        outputs = np.array([info.outputs[i] for i in range(info.num_outputs)], dtype=np.int32)
        with self._busy:
            operand_types = [self._tensor_details(i, 0)["dtype"] for i in inputs if i != -1]
            result_types = [self._tensor_details(i, 0)["dtype"] for i in outputs if i != -1]
        return {"index": int(op_index), "op_name": cstr(info.name), "inputs": inputs,
                "outputs": outputs, "operand_types": operand_types,
                "result_types": result_types}

    def _get_ops_details(self):
        return [self._get_op_details(i)
                for i in range(lib.model_num_ops(self._native.model, 0))]


class InterpreterWithCustomOps(Interpreter):
    """LiteRT's InterpreterWithCustomOps: tfl cannot load custom op
    registerers, so a non-empty list is refused with ValueError."""

    def __init__(self, custom_op_registerers=None, **kwargs):
        self._custom_op_registerers = custom_op_registerers or []
        super().__init__(**kwargs)
