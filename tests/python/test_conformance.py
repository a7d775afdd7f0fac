"""tfl.interpreter against ai_edge_litert.interpreter, model by model.

For every model tfl runs (tests/python/models, the bundled digits example
and ../shared/models): the details dicts equal LiteRT's key by key and type
by type, before and after allocate_tensors(), and outputs on seeded inputs
are byte-identical for integer types (floats within FLOAT_RTOL). Models with
ops tfl lacks are skipped with the op names, so they turn on by themselves
as kernels land; models LiteRT cannot load are skipped too.

get_tensor_details(): LiteRT appends tensors of its own (kernel
temporaries) after the model's tensors in some models; tfl lists exactly
the model's tensors. Both lists are compared on the model's tensors, and
LiteRT's extras are checked to be only appended ones.
"""
import zlib

import numpy as np
import pytest

import tfl.interpreter as tflite
from conftest import (DIGITS, OWN_MODELS, SHARED_MODELS, assert_same_details, assert_same_value,
                      litert_interpreter, random_input, require_runs)

MODELS = OWN_MODELS + [DIGITS] + SHARED_MODELS
IDS = [m.name for m in MODELS]

FLOAT_RTOL = 1e-4
FLOAT_ATOL = 1e-5


def assert_outputs_equal(got, want, what):
    assert type(got) is type(want), f"{what}: {type(got)} vs LiteRT {type(want)}"
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, LiteRT {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape}, LiteRT {want.shape}"
    if want.dtype.kind in "fc":
        scale = float(np.max(np.abs(want[np.isfinite(want)]), initial=0.0))
        err = np.abs(got.astype(np.float64) - want.astype(np.float64))
        bad = ~(err <= FLOAT_ATOL * scale + FLOAT_RTOL * np.abs(want))
        bad &= ~(np.isnan(got) & np.isnan(want))
        assert not bad.any(), f"{what}: {int(bad.sum())} of {want.size} elements differ, " \
                              f"max error {float(np.nanmax(err)):.3g}"
    else:
        assert got.tobytes() == want.tobytes(), \
            f"{what}: {int((got != want).sum())} of {want.size} elements differ"


def _pair(path, litert):
    require_runs(path)
    want = litert_interpreter(litert, path)
    got = tflite.Interpreter(model_path=str(path))
    return got, want


@pytest.mark.parametrize("path", MODELS, ids=IDS)
def test_details_match_litert(path, litert):
    got, want = _pair(path, litert)
    assert got.num_subgraphs() == want.num_subgraphs()
    assert_same_value(got.get_signature_list(), want.get_signature_list(), "signature list")
    assert_same_value(got._get_full_signature_list(), want._get_full_signature_list(),
                      "full signature list")
    for stage in ("before allocate_tensors", "after allocate_tensors"):
        for what, g, w in (("inputs", got.get_input_details(), want.get_input_details()),
                           ("outputs", got.get_output_details(), want.get_output_details())):
            assert len(g) == len(w), f"{what} {stage}: {len(g)} vs LiteRT {len(w)}"
            for i, (gd, wd) in enumerate(zip(g, w)):
                assert_same_details(gd, wd, f"{what}[{i}] {stage}")
        got.allocate_tensors()
        want.allocate_tensors()
    for sg in range(want.num_subgraphs()):
        g = got.get_tensor_details(sg)
        w = want.get_tensor_details(sg)
        assert len(g) <= len(w), f"subgraph {sg}: tfl lists {len(g)} tensors, LiteRT {len(w)}"
        assert [d["index"] for d in g] == list(range(len(g)))
        assert all(d["index"] >= len(g) for d in w[len(g):]), "LiteRT's extras are appended"
        for gd, wd in zip(g, w):
            assert_same_details(gd, wd, f"subgraph {sg} tensor {wd['index']} '{wd['name']}'")


@pytest.mark.parametrize("path", MODELS, ids=IDS)
def test_outputs_match_litert(path, litert):
    got, want = _pair(path, litert)
    got.allocate_tensors()
    want.allocate_tensors()
    rng = np.random.default_rng(zlib.crc32(path.name.encode()))
    inputs = [random_input(d, rng) for d in want.get_input_details()]
    for d, x in zip(want.get_input_details(), inputs):
        got.set_tensor(d["index"], x)
        want.set_tensor(d["index"], x)
    got.invoke()
    want.invoke()
    for i, (gd, wd) in enumerate(zip(got.get_output_details(), want.get_output_details())):
        assert_same_details(gd, wd, f"output {i} details after invoke")
        assert_outputs_equal(got.get_tensor(gd["index"]), want.get_tensor(wd["index"]),
                             f"output {i} '{wd['name']}'")


# Models whose state lives in resource variables (ASSIGN_VARIABLE).
RESOURCE_STATE = {"resource_accumulator.tflite"}


@pytest.mark.parametrize("name", sorted(RESOURCE_STATE))
def test_resource_state_survives_reset(name, litert):
    """invoke, reset_all_variables, invoke: resource variables keep their
    values through the reset in tfl as in LiteRT, and the outputs match."""
    path = next((p for p in MODELS if p.name == name), None)
    if path is None:
        pytest.skip(f"{name} is absent")
    got, want = tflite.Interpreter(model_path=str(path)), litert_interpreter(litert, path)
    x = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    for it in (got, want):
        it.allocate_tensors()
        for step in range(3):
            it.set_tensor(it.get_input_details()[0]["index"], x)
            it.invoke()
            if step == 1:
                it.reset_all_variables()
    g = got.get_tensor(got.get_output_details()[0]["index"])
    w = want.get_tensor(want.get_output_details()[0]["index"])
    np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(g, 3 * x)


@pytest.mark.parametrize("path", MODELS, ids=IDS)
def test_inputs_survive_invoke(path):
    """As in LiteRT, invoke() leaves the inputs as set: they read back
    unchanged, and invoking again without setting them gives the same
    outputs (scripts that set an input once and invoke in a loop) once the
    variables a stateful model (an LSTM) carries over are reset."""
    require_runs(path)
    if path.name in RESOURCE_STATE:
        pytest.skip("its state is a resource variable, which reset_all_variables keeps "
                    "(as LiteRT does): see test_resource_state_survives_reset")
    it = tflite.Interpreter(model_path=str(path))
    it.allocate_tensors()
    rng = np.random.default_rng(zlib.crc32(path.name.encode()))
    inputs = [random_input(d, rng) for d in it.get_input_details()]
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    first = [it.get_tensor(d["index"]) for d in it.get_output_details()]
    for d, x in zip(it.get_input_details(), inputs):
        assert it.get_tensor(d["index"]).tobytes() == x.tobytes(), \
            f"input {d['name']} was overwritten during invoke (the arena planner must keep " \
            f"graph inputs live until the end of the graph, as TFLite does)"
    it.reset_all_variables()
    it.invoke()
    for d, y in zip(it.get_output_details(), first):
        assert it.get_tensor(d["index"]).tobytes() == y.tobytes(), \
            f"output {d['name']} differs on the second invoke with the same inputs"


@pytest.mark.parametrize("path", MODELS, ids=IDS)
def test_signature_runners_match_litert(path, litert):
    got, want = _pair(path, litert)
    sigs = want.get_signature_list()
    if not sigs:
        pytest.skip("the model has no signatures")
    rng = np.random.default_rng(zlib.crc32(path.name.encode()) + 1)
    for key in sigs:
        g, w = got.get_signature_runner(key), want.get_signature_runner(key)
        assert_same_value(g.get_input_details(), w.get_input_details(), f"{key} inputs")
        args = {name: random_input(d, rng) for name, d in w.get_input_details().items()}
        gres, wres = g(**args), w(**args)
        assert list(gres) == list(wres)
        for name in wres:
            assert_outputs_equal(gres[name], wres[name], f"signature {key} output {name}")
        assert_same_value(g.get_output_details(), w.get_output_details(), f"{key} outputs")


@pytest.mark.parametrize("path", MODELS, ids=IDS)
def test_model_content_same_as_path(path):
    """model_content=bytes gives the same interpreter as model_path."""
    require_runs(path)
    data = path.read_bytes()
    a = tflite.Interpreter(model_path=str(path))
    b = tflite.Interpreter(model_content=data)
    a.allocate_tensors()
    b.allocate_tensors()
    rng = np.random.default_rng(5)
    for d in a.get_input_details():
        x = random_input(d, rng)
        a.set_tensor(d["index"], x)
        b.set_tensor(d["index"], x)
    a.invoke()
    b.invoke()
    for d in a.get_output_details():
        assert_outputs_equal(b.get_tensor(d["index"]), a.get_tensor(d["index"]), d["name"])
