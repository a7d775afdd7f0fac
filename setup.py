"""Builds the `tfl` Python package: the C library (every src/**/*.c) compiled by
setuptools into tfl/_libtfl.abi3.so, loaded at run time with ctypes.

The library contains no Python C-API code, so one binary serves every
CPython >= 3.8 (the wheel is tagged cp38-abi3). No CMake is needed.

Environment:
  TFL_VISION=1   require the image/label part (libjpeg, libpng, cJSON headers)
  TFL_VISION=0   leave it out; otherwise it is built when its headers are found
  TFL_SINGLE_ROUNDING=1   TFLite's single-rounding fixed-point rescale
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


def _version():
    with open(os.path.join(HERE, "include", "tfl.h"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#define TFL_VERSION_STRING"):
                return line.split('"')[1]
    raise RuntimeError("TFL_VERSION_STRING not found in include/tfl.h")


def _sources(pattern):
    # Relative paths: setuptools wants them for the sdist.
    return sorted(os.path.relpath(p, HERE)
                  for p in glob.glob(os.path.join(HERE, pattern), recursive=True))


CORE_SOURCES = [s for s in _sources("src/**/*.c")
                if not s.startswith(os.path.join("src", "vision") + os.sep)]
VISION_SOURCES = _sources("src/vision/*.c")


def _pkg_config(*args):
    if not shutil.which("pkg-config"):
        return None
    try:
        out = subprocess.run(["pkg-config", *args], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.split()


class BuildLibrary(build_ext):
    """Compiles the C library; decides on the vision part by trying its headers."""

    def _vision_flags(self):
        """(include_dirs, libraries, library_dirs) for libjpeg, libpng and
        cJSON, or None when their headers do not compile."""
        want = os.environ.get("TFL_VISION", "").strip().lower()
        if want in ("0", "off", "no", "false"):
            return None
        inc, libs, libdirs = [], [], []
        cflags = _pkg_config("--cflags", "libpng", "libjpeg", "libcjson")
        ldflags = _pkg_config("--libs", "libpng", "libjpeg", "libcjson")
        if cflags is not None and ldflags is not None:
            inc = [f[2:] for f in cflags if f.startswith("-I")]
            libs = [f[2:] for f in ldflags if f.startswith("-l")]
            libdirs = [f[2:] for f in ldflags if f.startswith("-L")]
        else:
            libs = ["png", "jpeg", "cjson"]
        with tempfile.TemporaryDirectory() as tmp:
            probe = os.path.join(tmp, "probe.c")
            with open(probe, "w") as f:
                f.write("#include <stdio.h>\n#include <jpeglib.h>\n#include <png.h>\n"
                        "#include <cjson/cJSON.h>\nint main(void) { return 0; }\n")
            try:
                self.compiler.compile([probe], output_dir=tmp, include_dirs=inc)
                found = True
            except Exception:  # CompileError
                found = False
        if not found:
            if want in ("1", "on", "yes", "true"):
                raise SystemExit("TFL_VISION=1 but the headers of libjpeg, libpng and cJSON "
                                 "were not found (Debian: apt-get install libjpeg-dev "
                                 "libpng-dev libcjson-dev)")
            print("tfl: libjpeg/libpng/cJSON headers not found: building without images and "
                  "label files (tfl.load_image and Model.classify will raise)", file=sys.stderr)
            return None
        return inc, libs, libdirs

    def build_extensions(self):
        # Two jobs by default: the machines this builds on are small.
        if self.parallel is None:
            self.parallel = min(os.cpu_count() or 1, 2)
        vision = self._vision_flags()
        for ext in self.extensions:
            if vision is not None:
                inc, libs, libdirs = vision
                ext.sources = CORE_SOURCES + VISION_SOURCES
                ext.include_dirs += inc
                ext.libraries = libs + ext.libraries
                ext.library_dirs += libdirs
                ext.define_macros.append(("TFL_HAVE_VISION", "1"))
            else:
                ext.sources = list(CORE_SOURCES)
            print("tfl: compiling %d C files (vision %s)"
                  % (len(ext.sources), "on" if vision else "off"), file=sys.stderr)
        super().build_extensions()

    def get_export_symbols(self, ext):
        return []  # a plain C library: there is no PyInit_ function


single_rounding = os.environ.get("TFL_SINGLE_ROUNDING", "0") not in ("", "0", "off", "OFF")

libtfl = Extension(
    "tfl._libtfl",
    sources=CORE_SOURCES + VISION_SOURCES,  # narrowed in BuildLibrary
    include_dirs=["include", "src"],
    define_macros=[("_POSIX_C_SOURCE", "200809L"), ("TFL_BUILDING", "1"),
                   ("TFL_SINGLE_ROUNDING", "1" if single_rounding else "0")],
    # -g0: Python's own CFLAGS ask for debug info, which triples the size.
    extra_compile_args=["-std=c11", "-O2", "-g0", "-fvisibility=hidden", "-fno-wrapv",
                        "-ffp-contract=off"],
    libraries=["m", "pthread"],
    # setuptools rebuilds when one of these is newer than the library.
    depends=(["setup.py"] + _sources("include/*.h") + _sources("src/**/*.h") +
             _sources("src/**/*.def")),
    py_limited_api=True,
)

setup(
    version=_version(),
    package_dir={"": "python"},
    packages=["tfl"],
    ext_modules=[libtfl],
    cmdclass={"build_ext": BuildLibrary},
    options={
        "bdist_wheel": {"py_limited_api": "cp38"},
        # Keep setuptools' objects out of build/, which is CMake's.
        "build": {"build_base": "build-pyext"},
    },
    zip_safe=False,
)
