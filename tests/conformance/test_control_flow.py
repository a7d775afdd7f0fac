"""Control flow and resource variables against LiteRT's reference kernels:
WHILE (a counter loop with static shapes, a loop whose body grows a tensor),
IF (both branches, and branches whose outputs differ in shape), CALL_ONCE
with VAR_HANDLE / ASSIGN_VARIABLE / READ_VARIABLE keeping state across
invokes (an accumulator over three invokes). Models are written by hand
with several subgraphs (tools/control_flow_models.py). Errors: a subgraph calling itself, a missing
subgraph, a cond that is not a bool, a runaway loop, a variable read before
it is assigned."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from control_flow_models import (accumulator, bad_cond, if_model, missing_subgraph,  # noqa: E402
                                 recursive, while_counter, while_growing)


def run_both(tfl, litert, tmp_path, model, inputs, repeat=1):
    path = tmp_path / "model.tflite"
    path.write_bytes(model)
    ref = litert(path)
    ref.allocate_tensors()
    for _ in range(repeat):
        for d, x in zip(ref.get_input_details(), inputs):
            ref.set_tensor(d["index"], x)
        ref.invoke()
    want = [ref.get_tensor(d["index"]) for d in ref.get_output_details()]
    args = []
    for k, x in enumerate(inputs):
        np.save(tmp_path / f"in{k}.npy", x)
        args += ["-i", tmp_path / f"in{k}.npy"]
    got_all = []
    for threads in (1, 2):
        out = tmp_path / f"out{threads}"
        p = tfl("run", path, *args, "-o", out, "--repeat", repeat, "--threads", threads)
        assert p.returncode == 0, p.stderr
        got_all.append([np.load(out / f"output_{k}.npy") for k in range(len(want))])
    return want, got_all


def assert_same(want, got_all, exact=True):
    for got in got_all:
        for w, g in zip(want, got):
            assert g.dtype == w.dtype and g.shape == w.shape, (g.shape, w.shape)
            if exact:
                np.testing.assert_array_equal(g, w)
            else:
                np.testing.assert_allclose(g, w, rtol=1e-6)


@pytest.mark.parametrize("start", [0, 3, 5, 9])
def test_while_counter(start, tfl, litert, tmp_path):
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    want, got = run_both(tfl, litert, tmp_path, while_counter(), [np.array([start], np.int32), x])
    assert want[0][0] == max(start, 5)
    assert_same(want, got, exact=False)


@pytest.mark.parametrize("start", [0, 2, 3])
def test_while_growing_shapes(start, tfl, litert, tmp_path):
    x = np.array([[3, -7]], np.int8)
    want, got = run_both(tfl, litert, tmp_path, while_growing(), [np.array([start], np.int32), x])
    assert want[1].shape == (2 ** max(0, 3 - start), 2)
    assert_same(want, got)


@pytest.mark.parametrize("grow_else", [False, True])
@pytest.mark.parametrize("cond", [True, False])
def test_if(cond, grow_else, tfl, litert, tmp_path):
    a = np.array([1.5, -2.0, 3.0], np.float32)
    b = np.array([0.5, 4.0, -1.0], np.float32)
    want, got = run_both(tfl, litert, tmp_path, if_model(grow_else),
                         [np.array([cond]), a, b])
    assert_same(want, got)


@pytest.mark.parametrize("repeat", [1, 3])
def test_call_once_and_variables(repeat, tfl, litert, tmp_path):
    x = np.array([[1.0, -2.0], [0.25, 8.0]], np.float32)
    want, got = run_both(tfl, litert, tmp_path, accumulator(), [x], repeat=repeat)
    np.testing.assert_allclose(want[0], repeat * x)
    assert_same(want, got)


ERRORS = {
    "recursive": (recursive, "calls itself"),
    "bad_cond": (bad_cond, "cond must give one bool"),
    "missing_subgraph": (missing_subgraph, "subgraph 3 does not exist"),
    "runaway": (lambda: while_counter(runaway=True), "without its condition turning false"),
    "read_before_assign": (lambda: accumulator(init=False), "read before any ASSIGN_VARIABLE"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_control_flow_errors(case, tfl, tmp_path):
    make, msg = ERRORS[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(make())
    p = tfl("run", path)
    assert p.returncode == 1, p.stderr
    assert msg in p.stderr and "(node " in p.stderr, p.stderr
