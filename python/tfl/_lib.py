"""ctypes binding of tfl's C API (include/tfl.h), the only API this package uses.

The library is the `_libtfl` shared object built next to this file by
setup.py (no Python C-API code in it), or the file named by the environment
variable TFL_LIBRARY. It is loaded with ctypes.CDLL, whose foreign calls
release the GIL: a long tfl_interpreter_invoke lets other Python threads run.
"""
import ctypes
import glob
import os

c_int = ctypes.c_int
c_size_t = ctypes.c_size_t
c_float = ctypes.c_float
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
P = ctypes.POINTER

# tfl_status
OK = 0
ERROR_IO = 1
ERROR_BAD_MODEL = 2
ERROR_UNSUPPORTED = 3
ERROR_INVALID_ARGUMENT = 4
ERROR_STATE = 5
ERROR_NO_MEMORY = 6
ERROR_RUNTIME = 7
ERROR_LIMIT = 8


class Error(ctypes.Structure):
    _fields_ = [("status", c_int), ("message", ctypes.c_char * 512)]

    def text(self):
        return self.message.decode("utf-8", "replace")


class Quantization(ctypes.Structure):
    _fields_ = [("count", c_int), ("scales", P(c_float)), ("zero_points", P(ctypes.c_int64)),
                ("quantized_dimension", c_int)]


class OpInfo(ctypes.Structure):
    _fields_ = [("builtin_code", c_int), ("name", c_char_p), ("version", c_int),
                ("num_inputs", c_int), ("num_outputs", c_int),
                ("inputs", P(ctypes.c_int32)), ("outputs", P(ctypes.c_int32)),
                ("supported", c_int)]


class SignatureTensor(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("tensor_index", ctypes.c_int32)]


class Signature(ctypes.Structure):
    _fields_ = [("key", c_char_p), ("subgraph", c_int), ("num_inputs", c_int),
                ("num_outputs", c_int), ("inputs", P(SignatureTensor)),
                ("outputs", P(SignatureTensor))]


class TensorInfo(ctypes.Structure):
    _fields_ = [("index", c_int), ("name", c_char_p), ("type", c_int), ("ndim", c_int),
                ("dims", P(ctypes.c_int32)), ("sig_ndim", c_int), ("sig", P(ctypes.c_int32)),
                ("quantization", Quantization), ("is_constant", c_int), ("is_variable", c_int),
                ("byte_size", c_size_t)]


class Options(ctypes.Structure):
    _fields_ = [("num_threads", c_int), ("subgraph", c_int), ("max_memory", c_size_t),
                ("max_work", ctypes.c_uint64), ("isa", ctypes.c_char_p),
                ("resolver", ctypes.c_void_p)]


class Image(ctypes.Structure):
    _fields_ = [("width", c_int), ("height", c_int), ("channels", c_int),
                ("pixels", P(ctypes.c_uint8))]


class Preprocess(ctypes.Structure):
    _fields_ = [("norm_count", c_int), ("mean", c_float * 4), ("std", c_float * 4),
                ("center_crop", c_float)]


class AssociatedFile(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("description", c_char_p), ("locale", c_char_p),
                ("version", c_char_p), ("type", c_int)]


class ProcessUnit(ctypes.Structure):
    _fields_ = [("kind", c_int), ("num_mean", c_int), ("num_std", c_int),
                ("mean", P(c_float)), ("std", P(c_float)),
                ("score_transformation", c_int), ("default_score", c_float),
                ("global_score_threshold", c_float), ("delim_regex_pattern", c_char_p),
                ("num_vocab_files", c_int), ("vocab_files", P(AssociatedFile)),
                ("num_sentencepiece_models", c_int),
                ("sentencepiece_models", P(AssociatedFile))]


class TensorMetadata(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("description", c_char_p), ("content", c_int),
                ("color_space", c_int), ("image_width", ctypes.c_uint32),
                ("image_height", ctypes.c_uint32), ("box_type", c_int),
                ("box_coordinate_type", c_int), ("num_box_index", c_int),
                ("box_index", P(ctypes.c_uint32)), ("sample_rate", ctypes.c_uint32),
                ("channels", ctypes.c_uint32), ("has_range", c_int),
                ("range_min", ctypes.c_int32), ("range_max", ctypes.c_int32),
                ("num_mean", c_int), ("num_std", c_int), ("mean", P(c_float)),
                ("std", P(c_float)), ("num_stats_min", c_int), ("num_stats_max", c_int),
                ("stats_min", P(c_float)), ("stats_max", P(c_float)),
                ("num_process_units", c_int), ("process_units", P(ProcessUnit)),
                ("num_files", c_int), ("files", P(AssociatedFile))]


class SubgraphMetadata(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("description", c_char_p), ("num_inputs", c_int),
                ("num_outputs", c_int), ("inputs", P(TensorMetadata)),
                ("outputs", P(TensorMetadata)), ("num_input_process_units", c_int),
                ("num_output_process_units", c_int),
                ("input_process_units", P(ProcessUnit)),
                ("output_process_units", P(ProcessUnit)), ("num_files", c_int),
                ("files", P(AssociatedFile))]


# name: (restype, argtypes). Functions missing from the library (the vision
# part when it was built without libjpeg/libpng/cJSON) are simply absent.
_PROTOTYPES = {
    "tfl_version": (c_char_p, []),
    "tfl_status_name": (c_char_p, [c_int]),
    "tfl_type_name": (c_char_p, [c_int]),
    "tfl_type_size": (c_size_t, [c_int]),
    # models
    "tfl_model_load_file": (c_void_p, [c_char_p, P(Error)]),
    "tfl_model_load_buffer": (c_void_p, [c_void_p, c_size_t, P(Error)]),
    "tfl_model_free": (None, [c_void_p]),
    "tfl_model_description": (c_char_p, [c_void_p]),
    "tfl_model_num_subgraphs": (c_int, [c_void_p]),
    "tfl_model_subgraph_name": (c_char_p, [c_void_p, c_int]),
    "tfl_model_num_ops": (c_int, [c_void_p, c_int]),
    "tfl_model_op": (c_int, [c_void_p, c_int, c_int, P(OpInfo)]),
    "tfl_model_num_signatures": (c_int, [c_void_p]),
    "tfl_model_signature": (c_int, [c_void_p, c_int, P(Signature)]),
    "tfl_model_num_tensors": (c_int, [c_void_p, c_int]),
    "tfl_model_tensor": (c_int, [c_void_p, c_int, c_int, P(TensorInfo)]),
    "tfl_model_num_inputs": (c_int, [c_void_p, c_int]),
    "tfl_model_num_outputs": (c_int, [c_void_p, c_int]),
    "tfl_model_input": (c_int, [c_void_p, c_int, c_int]),
    "tfl_model_output": (c_int, [c_void_p, c_int, c_int]),
    "tfl_model_find_metadata": (c_void_p, [c_void_p, c_char_p, P(c_size_t)]),
    # interpreters
    "tfl_options_default": (Options, []),
    "tfl_interpreter_create": (c_void_p, [c_void_p, P(Options), P(Error)]),
    "tfl_interpreter_free": (None, [c_void_p]),
    "tfl_interpreter_allocate": (c_int, [c_void_p]),
    "tfl_interpreter_invoke": (c_int, [c_void_p]),
    "tfl_interpreter_resize_input": (c_int, [c_void_p, c_int, P(ctypes.c_int32), c_int]),
    "tfl_interpreter_reset_variables": (c_int, [c_void_p]),
    "tfl_interpreter_last_error": (c_char_p, [c_void_p]),
    "tfl_interpreter_num_inputs": (c_int, [c_void_p]),
    "tfl_interpreter_num_outputs": (c_int, [c_void_p]),
    "tfl_interpreter_num_tensors": (c_int, [c_void_p]),
    "tfl_interpreter_tensor": (c_void_p, [c_void_p, c_int]),
    "tfl_interpreter_input_index": (c_int, [c_void_p, c_int]),
    "tfl_interpreter_output_index": (c_int, [c_void_p, c_int]),
    # tensors
    "tfl_tensor_name": (c_char_p, [c_void_p]),
    "tfl_tensor_type": (c_int, [c_void_p]),
    "tfl_tensor_ndim": (c_int, [c_void_p]),
    "tfl_tensor_dims": (P(ctypes.c_int32), [c_void_p]),
    "tfl_tensor_shape_signature": (P(ctypes.c_int32), [c_void_p, P(c_int)]),
    "tfl_tensor_byte_size": (c_size_t, [c_void_p]),
    "tfl_tensor_num_elements": (c_size_t, [c_void_p]),
    "tfl_tensor_quantization": (Quantization, [c_void_p]),
    "tfl_tensor_is_constant": (c_int, [c_void_p]),
    "tfl_tensor_is_variable": (c_int, [c_void_p]),
    "tfl_tensor_data": (c_void_p, [c_void_p]),
    "tfl_tensor_copy_from": (c_int, [c_void_p, c_void_p, c_size_t]),
    "tfl_tensor_copy_to": (c_int, [c_void_p, c_void_p, c_size_t]),
    "tfl_tensor_dequantize": (c_int, [c_void_p, P(c_float), c_size_t]),
    "tfl_tensor_quantize": (c_int, [c_void_p, P(c_float), c_size_t]),
    "tfl_tensor_is_quantized": (c_int, [c_void_p]),
    # images (vision part)
    "tfl_image_load_file": (c_int, [c_char_p, P(Image), P(Error)]),
    "tfl_image_load_buffer": (c_int, [c_void_p, c_size_t, P(Image), P(Error)]),
    "tfl_image_free": (None, [P(Image)]),
    "tfl_image_to_tensor": (c_int, [P(Image), c_void_p, P(Preprocess), P(Error)]),
    # metadata
    "tfl_metadata_read": (c_void_p, [c_void_p, P(Error)]),
    "tfl_metadata_free": (None, [c_void_p]),
    "tfl_metadata_has_entry": (c_int, [c_void_p]),
    "tfl_metadata_name": (c_char_p, [c_void_p]),
    "tfl_metadata_description": (c_char_p, [c_void_p]),
    "tfl_metadata_version": (c_char_p, [c_void_p]),
    "tfl_metadata_author": (c_char_p, [c_void_p]),
    "tfl_metadata_license": (c_char_p, [c_void_p]),
    "tfl_metadata_min_parser_version": (c_char_p, [c_void_p]),
    "tfl_metadata_associated_files": (P(AssociatedFile), [c_void_p, P(c_int)]),
    "tfl_metadata_num_subgraphs": (c_int, [c_void_p]),
    "tfl_metadata_subgraph": (P(SubgraphMetadata), [c_void_p, c_int]),
    "tfl_metadata_num_files": (c_int, [c_void_p]),
    "tfl_metadata_file": (c_int, [c_void_p, c_int, P(c_char_p), P(c_void_p), P(c_size_t)]),
    "tfl_metadata_label_file": (c_int, [c_void_p, c_int, c_char_p, P(c_char_p), P(c_void_p),
                                        P(c_size_t), P(Error)]),
    # labels (vision part)
    "tfl_labels_load_file": (c_void_p, [c_char_p, P(Error)]),
    "tfl_labels_load_buffer": (c_void_p, [c_void_p, c_size_t, P(Error)]),
    "tfl_labels_from_metadata": (c_void_p, [c_void_p, c_int, c_char_p, P(Error)]),
    "tfl_labels_free": (None, [c_void_p]),
    "tfl_labels_count": (c_int, [c_void_p]),
    "tfl_labels_get": (c_char_p, [c_void_p, c_int]),
    "tfl_labels_has": (c_int, [c_void_p, c_int]),
}

# Functions every build has; the rest are optional.
_VISION = ("tfl_image_", "tfl_labels_")


def _find_library():
    explicit = os.environ.get("TFL_LIBRARY")
    if explicit:
        return explicit
    here = os.path.dirname(os.path.abspath(__file__))
    found = sorted(glob.glob(os.path.join(here, "_libtfl*.so")) +
                   glob.glob(os.path.join(here, "_libtfl*.dylib")) +
                   glob.glob(os.path.join(here, "_libtfl*.pyd")))
    if not found:
        raise ImportError(
            "tfl: the compiled library (_libtfl*.so) is missing from %s; install the package "
            "with pip (`pip install .` in the tfl repository) or set TFL_LIBRARY to a "
            "libtfl.so" % here)
    return found[0]


class _Lib:
    """The loaded library with prototypes set; `has_vision` says whether the
    image and label functions are present."""

    def __init__(self, path):
        self.path = path
        self.dll = ctypes.CDLL(path)
        missing = []
        for name, (restype, argtypes) in _PROTOTYPES.items():
            try:
                fn = getattr(self.dll, name)
            except AttributeError:
                if not name.startswith(_VISION):
                    missing.append(name)
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name[4:], fn)  # lib.model_load_file(...)
        if missing:
            raise ImportError("tfl: %s lacks %s (library and package versions differ?)"
                              % (path, ", ".join(missing)))
        self.has_vision = hasattr(self, "image_load_file") and hasattr(self, "labels_load_buffer")


lib = _Lib(_find_library())


def cstr(b):
    """C string (bytes or None) -> str."""
    return b.decode("utf-8", "replace") if b else ""
