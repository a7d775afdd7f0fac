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


# NumPy emulations of TFLite's per-row input quantization for hybrid ops,
# shared by the hybrid tests' emulations of the kernels.
def symmetric_quantize(row):
    """TFLite's PortableSymmetricQuantizeFloats (row: float32 array)."""
    r = np.float32(max(abs(row.min()), abs(row.max())))
    if r == 0:
        return np.zeros(row.shape, np.int64), np.float32(1), 0
    q = np.clip(np.round(row * (np.float32(127) / r)), -127, 127)
    return q.astype(np.int64), np.float32(r / np.float32(127)), 0


def asymmetric_quantize(row):
    """TFLite's PortableAsymmetricQuantizeFloats (row: float32 array)."""
    rmin, rmax = float(min(np.float32(0), row.min())), float(max(np.float32(0), row.max()))
    if rmin == rmax:
        return np.zeros(row.shape, np.int64), np.float32(1), 0
    s = float(np.float32(rmax - rmin)) / 255.0  # the range rounds to float, as in LiteRT's binary
    zp_min, zp_max = -128 - rmin / s, 127 - rmax / s
    zp = zp_min if 128 + abs(rmin / s) < 127 + abs(rmax / s) else zp_max
    nz = -128 if zp <= -128 else 127 if zp >= 127 else int(np.round(zp))
    sf = np.float32(s)
    q = np.clip(np.round(np.float32(nz) + row * (np.float32(1) / sf)), -128, 127)
    return q.astype(np.int64), sf, nz
