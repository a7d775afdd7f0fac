"""tfl: a TensorFlow Lite runtime in C, from Python.

    import tfl.interpreter as tflite   # drop-in for tflite_runtime.interpreter

    m = tfl.Model("model.tflite")      # an Interpreter with helpers
    m.classify("cat.jpg", top_k=3)     # -> [Category(index, score, label), ...]

Everything goes through tfl's C API (include/tfl.h) with ctypes; see
docs/python.md.
"""
from tfl._lib import lib as _clib
from tfl.interpreter import Interpreter, OpResolverType, SignatureRunner, load_delegate
from tfl.model import Category, Model, load_image, load_labels, unsupported_ops

__version__ = _clib.version().decode()

#: True when the library was built with its image and label part
#: (libjpeg, libpng, cJSON); without it load_image, set_image and classify
#: on images raise RuntimeError.
HAVE_VISION = _clib.has_vision

__all__ = ["Interpreter", "OpResolverType", "SignatureRunner", "load_delegate", "Model",
           "Category", "load_labels", "load_image",
           "unsupported_ops", "HAVE_VISION", "__version__"]
