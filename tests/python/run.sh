#!/bin/sh
# Installs the tfl Python package from this checkout into a fresh virtualenv
# (build-pyvenv/, with numpy, pytest, ai-edge-litert and pillow) and runs the
# Python suite in it. Arguments go to pytest.
#
#   tests/python/run.sh                 # the whole suite
#   tests/python/run.sh -k errors -x    # a part
#
# Environment: PYTHON (default python3) makes the venv; TFL_PYVENV (default
# <repo>/build-pyvenv) is where; TFL_PYVENV_FRESH=1 deletes it first;
# TFL_SHARED_DIR points at the shared models (default <repo>/../shared).
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${TFL_PYVENV:-$REPO/build-pyvenv}
PYTHON=${PYTHON:-python3}

if [ "${TFL_PYVENV_FRESH:-0}" = 1 ]; then
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        # Debian splits venv out of python3.
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q numpy pytest pillow
# The oracle; where no wheel exists for this Python the comparisons skip.
"$VENV/bin/python" -m pip install -q ai-edge-litert ||
    echo "run.sh: warning: ai-edge-litert is unavailable here; the LiteRT comparisons will skip" >&2
# Always rebuild from the current sources (no deps: numpy is there).
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$REPO"
cd "$REPO/tests/python"
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
