"""One model, two runtimes: LiteRT's reference kernels and `tfl run` (1 and
2 threads), shared by the op conformance tests.

`outputs` gives both sides' outputs for a test that checks them itself;
`compare` checks every output byte for byte, or within `ulps` float32 units
in the last place (NaN matching NaN) where TFLite's float math is not
reproducible bit for bit (libm against Eigen)."""
import numpy as np


def write_model(tmp_path, model, name):
    path = tmp_path / f"{name}.tflite"
    path.write_bytes(model)
    return path


def litert_outputs(litert, path, feeds):
    ref = litert(path)
    ref.allocate_tensors()
    for d, x in zip(ref.get_input_details(), feeds):
        ref.set_tensor(d["index"], x)
    ref.invoke()
    want = []
    for o in ref.get_output_details():
        try:
            want.append(ref.get_tensor(o["index"]))
        except ValueError:  # LiteRT cannot hand out an empty tensor
            assert 0 in list(o["shape"]), o["shape"]
            want.append(np.zeros(o["shape"], o["dtype"]))
    return want


def tfl_outputs(tfl, path, feeds, tmp_path, name, count):
    """{threads: [output 0 .. count-1]} for 1 and 2 threads."""
    args = []
    for i, x in enumerate(feeds):
        np.save(tmp_path / f"{name}_in{i}.npy", x)
        args += ["-i", tmp_path / f"{name}_in{i}.npy"]
    got = {}
    for threads in (1, 2):
        out = tmp_path / f"{name}_out{threads}"
        p = tfl("run", path, *args, "-o", out, "--threads", threads)
        assert p.returncode == 0, p.stderr
        got[threads] = [np.load(out / f"output_{j}.npy") for j in range(count)]
    return got


def outputs(tfl, litert, tmp_path, model, feeds, name):
    """(LiteRT's first output, [tfl's first output with 1 and 2 threads])."""
    path = write_model(tmp_path, model, name)
    want = litert_outputs(litert, path, feeds)[0]
    got = tfl_outputs(tfl, path, feeds, tmp_path, name, 1)
    return want, [got[1][0], got[2][0]]


def _check(g, w, what, ulps):
    assert g.dtype == w.dtype and g.shape == w.shape, (what, g.dtype, g.shape, w.dtype, w.shape)
    g, w = g.reshape(-1), w.reshape(-1)
    if ulps == 0:
        assert np.array_equal(g.view(np.uint8), w.view(np.uint8)), f"{what}: {g[:8]} vs {w[:8]}"
        return
    both_nan = np.isnan(g) & np.isnan(w)
    d = np.abs(g.view(np.int32).astype(np.int64) - w.view(np.int32).astype(np.int64))
    assert np.all(both_nan | (g == w) | (d <= ulps)), f"{what}: max ulp {d.max()}"


def compare(tfl, litert, tmp_path, model, feeds, name, ulps=0, want=None):
    """Checks every output of tfl against LiteRT's reference, or against
    `want` (an array, or a list of them) where LiteRT cannot give one."""
    path = write_model(tmp_path, model, name)
    if want is None:
        want = litert_outputs(litert, path, feeds)
    elif isinstance(want, np.ndarray):
        want = [want]
    got = tfl_outputs(tfl, path, feeds, tmp_path, name, len(want))
    for threads, outs in got.items():
        for j, (g, w) in enumerate(zip(outs, want)):
            _check(g, w, f"output {j}, {threads} threads", ulps)
