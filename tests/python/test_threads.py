"""invoke() releases the GIL; one Interpreter per thread runs in parallel.

tfl's library is loaded with ctypes.CDLL, and ctypes releases the GIL for
the duration of every foreign call, so the C invoke runs without it.
(Concurrent use of *one* Interpreter is refused: see test_errors.py.)
"""
import threading
import time

import numpy as np

import tfl.interpreter as tflite
from conftest import HERE

HEAVY = HERE / "models" / "heavy_conv.tflite"


def _heavy(seed=0):
    it = tflite.Interpreter(model_path=str(HEAVY))
    it.allocate_tensors()
    x = np.random.default_rng(seed).uniform(-1, 1, (1, 96, 96, 16)).astype(np.float32)
    it.set_tensor(it.get_input_details()[0]["index"], x)
    return it


def test_invoke_releases_the_gil():
    """While another thread is inside invoke(), this thread runs Python
    code: it records timestamps in the middle of every invoke's time span.
    With the GIL held during the C call no Python code could run there (the
    interpreter only switches threads between bytecodes; checked by loading
    the library with ctypes.PyDLL, which keeps the GIL: this test fails)."""
    it = _heavy()
    spans = []

    def worker():
        for _ in range(5):
            t0 = time.perf_counter()
            it.invoke()
            spans.append((t0, time.perf_counter()))

    stamps = []
    t = threading.Thread(target=worker)
    t.start()
    n = 0
    while t.is_alive():
        n += 1
        if n % 64 == 0:
            stamps.append(time.perf_counter())
    t.join()
    stamps = np.array(stamps)
    # The middle third of each invoke: far from the few switch intervals
    # (5 ms each) at its ends in which Python may run around the C call.
    inside = [int(((stamps > a + (b - a) / 3) & (stamps < b - (b - a) / 3)).sum())
              for a, b in spans]
    # (3 of 5 rather than all: on a loaded machine this thread may simply not
    # be scheduled for a while.)
    assert sum(k > 0 for k in inside) >= 3, \
        f"no Python ran in the middle of invokes: {inside} timestamps, spans " \
        f"{[round(b - a, 3) for a, b in spans]} s"


def test_one_interpreter_per_thread_in_parallel():
    """Two interpreters over the same model in two threads give the results
    each gives alone."""
    serial = []
    for seed in (1, 2):
        it = _heavy(seed)
        it.invoke()
        serial.append(it.get_tensor(it.get_output_details()[0]["index"]))

    results = [None, None]
    errors = []

    def run(k):
        try:
            it = _heavy(k + 1)
            x = it.get_tensor(it.get_input_details()[0]["index"])
            for _ in range(3):
                it.set_tensor(it.get_input_details()[0]["index"], x)
                it.invoke()
            results[k] = it.get_tensor(it.get_output_details()[0]["index"])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for k in range(2):
        assert results[k].tobytes() == serial[k].tobytes()
