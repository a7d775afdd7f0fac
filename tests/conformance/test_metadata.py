"""tfl's reading of TFLite Metadata and packed associated files, for every
model in ../shared/models, against independent readers:

- Python's zipfile: names, order, sizes and bytes of the packed files;
- tflite-support's generated metadata schema classes
  (tensorflow_lite_support.metadata.metadata_schema_py_generated), when the
  package is installed (`pip install --no-deps tflite-support`; its wheels
  stop at Python 3.11, and its C++ MetadataDisplayer needs libusb, so only
  the pure-Python generated reader is used);
- a small reader written here on the `flatbuffers` package, always.

tfl's view comes from tests/tools/tfl_metadata_dump (env TFL_METADATA_DUMP,
default <repo>/build/tests/tfl_metadata_dump), which prints JSON.
"""
import io
import json
import os
import re
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Schema enums used below (values as in metadata_schema.fbs).
TENSOR_AXIS_LABELS, TENSOR_VALUE_LABELS = 2, 3
NORMALIZATION, SCORE_CALIBRATION, SCORE_THRESHOLDING = 1, 2, 3
BERT, SENTENCE_PIECE, REGEX = 4, 5, 6
IMAGE, BOUNDING_BOX, AUDIO = 2, 3, 4


@pytest.fixture(scope="session")
def dump():
    explicit = "TFL_METADATA_DUMP" in os.environ
    path = Path(os.environ.get("TFL_METADATA_DUMP", REPO / "build" / "tests" / "tfl_metadata_dump"))
    if not path.is_file():
        if explicit:
            pytest.fail(f"TFL_METADATA_DUMP={path} does not exist")
        pytest.skip(f"tfl_metadata_dump not found at {path}: build the tests or set "
                    "TFL_METADATA_DUMP")

    def run(model):
        p = subprocess.run([str(path), str(model)], capture_output=True, timeout=120)
        if p.returncode == 2:  # the model itself did not load: not this suite's business
            pytest.skip("tfl cannot load the model: " + p.stderr.decode(errors="replace"))
        assert p.returncode == 0, p.stderr.decode(errors="replace")
        return json.loads(p.stdout.decode("utf-8", "surrogateescape"))

    return run


def f32(x):
    """x rounded to float32, so both sides compare as the stored value."""
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


def file_dict(name, description, locale, version, type_):
    return {"name": name, "description": description, "locale": locale, "version": version,
            "type": type_}


def empty_unit(kind):
    return {"kind": kind, "mean": [], "std": [], "score_transformation": 0,
            "default_score": 0.0, "global_score_threshold": 0.0, "delim_regex_pattern": "",
            "vocab_files": [], "sentencepiece_models": []}


def empty_tensor():
    return {"name": "", "description": "", "content": 0, "color_space": 0, "image_width": 0,
            "image_height": 0, "box_type": 0, "box_coordinate_type": 0, "box_index": [],
            "sample_rate": 0, "channels": 0, "has_range": False, "range_min": 0, "range_max": 0,
            "mean": [], "std": [], "stats_min": [], "stats_max": [], "process_units": [],
            "associated_files": []}


def finish_tensor(t):
    """tfl copies the first normalization unit's arrays onto the tensor."""
    for u in t["process_units"]:
        if u["kind"] == NORMALIZATION:
            t["mean"], t["std"] = list(u["mean"]), list(u["std"])
            break
    return t


# ---- Reader 1: a small flatbuffers walk of the schema ----------------------

class FB:
    """One table of a flatbuffer, read with the `flatbuffers` package."""

    def __init__(self, tab):
        self.t = tab

    @staticmethod
    def root(buf):
        from flatbuffers import encode, number_types as N
        from flatbuffers.table import Table
        return FB(Table(buf, encode.Get(N.UOffsetTFlags.packer_type, buf, 0)))

    def _o(self, i):
        return self.t.Offset(4 + 2 * i)

    def str(self, i):
        o = self._o(i)
        return self.t.String(o + self.t.Pos).decode("utf-8", "surrogateescape") if o else ""

    def scalar(self, i, flags, default=0):
        o = self._o(i)
        return self.t.Get(flags, o + self.t.Pos) if o else default

    def table(self, i):
        from flatbuffers.table import Table
        o = self._o(i)
        return FB(Table(self.t.Bytes, self.t.Indirect(o + self.t.Pos))) if o else None

    def tables(self, i):
        from flatbuffers.table import Table
        o = self._o(i)
        if not o:
            return []
        start, n = self.t.Vector(o), self.t.VectorLen(o)
        return [FB(Table(self.t.Bytes, self.t.Indirect(start + 4 * k))) for k in range(n)]

    def scalars(self, i, flags, size):
        o = self._o(i)
        if not o:
            return []
        start, n = self.t.Vector(o), self.t.VectorLen(o)
        return [self.t.Get(flags, start + size * k) for k in range(n)]

    def bytes(self, i):
        o = self._o(i)
        if not o:
            return b""
        start, n = self.t.Vector(o), self.t.VectorLen(o)
        return bytes(self.t.Bytes[start:start + n])


def fb_flags():
    from flatbuffers import number_types as N
    return N


def metadata_entry(model_bytes):
    """The TFLITE_METADATA buffer of a model, or None."""
    N = fb_flags()
    model = FB.root(bytearray(model_bytes))
    buffers = model.tables(4)
    for entry in model.tables(6):
        if entry.str(0) == "TFLITE_METADATA":
            buf = buffers[entry.scalar(1, N.Uint32Flags)]
            offset, size = buf.scalar(1, N.Uint64Flags), buf.scalar(2, N.Uint64Flags)
            if offset > 1:
                return bytes(model_bytes[offset:offset + size])
            return buf.bytes(0)
    return None


def fb_files(t, i):
    N = fb_flags()
    return [file_dict(f.str(0), f.str(1), f.str(3), f.str(4), f.scalar(2, N.Int8Flags))
            for f in t.tables(i)]


def fb_units(t, i):
    N = fb_flags()
    out = []
    for pu in t.tables(i):
        u = empty_unit(pu.scalar(0, N.Uint8Flags))
        o = pu.table(1)
        if o is not None:
            if u["kind"] == NORMALIZATION:
                u["mean"] = [f32(x) for x in o.scalars(0, N.Float32Flags, 4)]
                u["std"] = [f32(x) for x in o.scalars(1, N.Float32Flags, 4)]
            elif u["kind"] == SCORE_CALIBRATION:
                u["score_transformation"] = o.scalar(0, N.Int8Flags)
                u["default_score"] = f32(o.scalar(1, N.Float32Flags, 0.0))
            elif u["kind"] == SCORE_THRESHOLDING:
                u["global_score_threshold"] = f32(o.scalar(0, N.Float32Flags, 0.0))
            elif u["kind"] == BERT:
                u["vocab_files"] = fb_files(o, 0)
            elif u["kind"] == SENTENCE_PIECE:
                u["sentencepiece_models"] = fb_files(o, 0)
                u["vocab_files"] = fb_files(o, 1)
            elif u["kind"] == REGEX:
                u["delim_regex_pattern"] = o.str(0)
                u["vocab_files"] = fb_files(o, 1)
        out.append(u)
    return out


def fb_tensor(tm):
    N = fb_flags()
    t = empty_tensor()
    t["name"], t["description"] = tm.str(0), tm.str(1)
    c = tm.table(3)
    if c is not None:
        t["content"] = c.scalar(0, N.Uint8Flags)
        r = c.table(2)
        if r is not None:
            t["has_range"] = True
            t["range_min"], t["range_max"] = r.scalar(0, N.Int32Flags), r.scalar(1, N.Int32Flags)
        p = c.table(1)
        if p is not None and t["content"] == IMAGE:
            t["color_space"] = p.scalar(0, N.Int8Flags)
            sz = p.table(1)
            if sz is not None:
                t["image_width"] = sz.scalar(0, N.Uint32Flags)
                t["image_height"] = sz.scalar(1, N.Uint32Flags)
        elif p is not None and t["content"] == BOUNDING_BOX:
            t["box_index"] = p.scalars(0, N.Uint32Flags, 4)
            t["box_type"] = p.scalar(1, N.Int8Flags)
            t["box_coordinate_type"] = p.scalar(2, N.Int8Flags)
        elif p is not None and t["content"] == AUDIO:
            t["sample_rate"] = p.scalar(0, N.Uint32Flags)
            t["channels"] = p.scalar(1, N.Uint32Flags)
    s = tm.table(5)
    if s is not None:
        t["stats_max"] = [f32(x) for x in s.scalars(0, N.Float32Flags, 4)]
        t["stats_min"] = [f32(x) for x in s.scalars(1, N.Float32Flags, 4)]
    t["process_units"] = fb_units(tm, 4)
    t["associated_files"] = fb_files(tm, 6)
    return finish_tensor(t)


def read_with_flatbuffers(md_bytes):
    """Reader 1: the metadata as the dump's dict shape (minus files/labels)."""
    root = FB.root(bytearray(md_bytes))
    assert bytes(md_bytes[4:8]) == b"M001"
    out = {"name": root.str(0), "description": root.str(1), "version": root.str(2),
           "author": root.str(4), "license": root.str(5), "min_parser_version": root.str(7),
           "associated_files": fb_files(root, 6), "subgraphs": []}
    for sg in root.tables(3):
        out["subgraphs"].append({
            "name": sg.str(0), "description": sg.str(1),
            "inputs": [fb_tensor(t) for t in sg.tables(2)],
            "outputs": [fb_tensor(t) for t in sg.tables(3)],
            "input_process_units": fb_units(sg, 5), "output_process_units": fb_units(sg, 6),
            "associated_files": fb_files(sg, 4)})
    return out


# ---- Reader 2: tflite-support's generated schema classes --------------------

def _s(b):
    return b.decode("utf-8", "surrogateescape") if isinstance(b, bytes) else (b or "")


def _list(v):
    return [] if v is None else list(v)


def ts_files(files):
    return [file_dict(_s(f.name), _s(f.description), _s(f.locale), _s(f.version), f.type)
            for f in _list(files)]


def ts_units(units):
    out = []
    for pu in _list(units):
        u = empty_unit(pu.optionsType)
        o = pu.options
        if o is not None:
            if u["kind"] == NORMALIZATION:
                u["mean"] = [f32(x) for x in _list(o.mean)]
                u["std"] = [f32(x) for x in _list(o.std)]
            elif u["kind"] == SCORE_CALIBRATION:
                u["score_transformation"] = o.scoreTransformation
                u["default_score"] = f32(o.defaultScore)
            elif u["kind"] == SCORE_THRESHOLDING:
                u["global_score_threshold"] = f32(o.globalScoreThreshold)
            elif u["kind"] == BERT:
                u["vocab_files"] = ts_files(o.vocabFile)
            elif u["kind"] == SENTENCE_PIECE:
                u["sentencepiece_models"] = ts_files(o.sentencePieceModel)
                u["vocab_files"] = ts_files(o.vocabFile)
            elif u["kind"] == REGEX:
                u["delim_regex_pattern"] = _s(o.delimRegexPattern)
                u["vocab_files"] = ts_files(o.vocabFile)
        out.append(u)
    return out


def ts_tensor(tm):
    t = empty_tensor()
    t["name"], t["description"] = _s(tm.name), _s(tm.description)
    c = tm.content
    if c is not None:
        t["content"] = c.contentPropertiesType
        if c.range is not None:
            t["has_range"] = True
            t["range_min"], t["range_max"] = c.range.min, c.range.max
        p = c.contentProperties
        if p is not None and t["content"] == IMAGE:
            t["color_space"] = p.colorSpace
            if p.defaultSize is not None:
                t["image_width"], t["image_height"] = p.defaultSize.width, p.defaultSize.height
        elif p is not None and t["content"] == BOUNDING_BOX:
            t["box_index"] = [int(x) for x in _list(p.index)]
            t["box_type"], t["box_coordinate_type"] = p.type, p.coordinateType
        elif p is not None and t["content"] == AUDIO:
            t["sample_rate"], t["channels"] = p.sampleRate, p.channels
    if tm.stats is not None:
        t["stats_max"] = [f32(x) for x in _list(tm.stats.max)]
        t["stats_min"] = [f32(x) for x in _list(tm.stats.min)]
    t["process_units"] = ts_units(tm.processUnits)
    t["associated_files"] = ts_files(tm.associatedFiles)
    return finish_tensor(t)


def read_with_tflite_support(md_bytes):
    """Reader 2, or None when tflite-support is not installed."""
    try:
        from tensorflow_lite_support.metadata import metadata_schema_py_generated as S
    except ImportError:
        return None
    root = S.ModelMetadataT.InitFromObj(S.ModelMetadata.GetRootAsModelMetadata(md_bytes, 0))
    out = {"name": _s(root.name), "description": _s(root.description),
           "version": _s(root.version), "author": _s(root.author), "license": _s(root.license),
           "min_parser_version": _s(root.minParserVersion),
           "associated_files": ts_files(root.associatedFiles), "subgraphs": []}
    for sg in _list(root.subgraphMetadata):
        out["subgraphs"].append({
            "name": _s(sg.name), "description": _s(sg.description),
            "inputs": [ts_tensor(t) for t in _list(sg.inputTensorMetadata)],
            "outputs": [ts_tensor(t) for t in _list(sg.outputTensorMetadata)],
            "input_process_units": ts_units(sg.inputProcessUnits),
            "output_process_units": ts_units(sg.outputProcessUnits),
            "associated_files": ts_files(sg.associatedFiles)})
    return out


# ---- Comparison ------------------------------------------------------------

SCHEMA_KEYS = ("name", "description", "version", "author", "license", "min_parser_version",
               "associated_files", "subgraphs")


def tfl_schema_view(d):
    """tfl's dump with floats rounded like the references."""
    def fix(x):
        if isinstance(x, float):
            return f32(x)
        if isinstance(x, list):
            return [fix(v) for v in x]
        if isinstance(x, dict):
            return {k: fix(v) for k, v in x.items()}
        return x
    return fix({k: d[k] for k in SCHEMA_KEYS})


def expected_label_file(ref, output, packed_names):
    """The file tfl should pick for an output (no locale requested)."""
    outputs = ref["subgraphs"][0]["outputs"] if ref and ref["subgraphs"] else []
    if output < len(outputs):
        for kind in (TENSOR_AXIS_LABELS, TENSOR_VALUE_LABELS):
            files = [f for f in outputs[output]["associated_files"] if f["type"] == kind]
            if files:
                bare = [f for f in files if not f["locale"]]
                en = [f for f in files if f["locale"].lower().split("-")[0].split("_")[0] == "en"]
                return (bare or en or files)[0]["name"]
        return None
    sole = [n for n in packed_names if "label" in n.lower()]
    return sole[0] if len(sole) == 1 else None


def split_lines(data):
    """Reference label splitting: one per line, trimmed, trailing blanks dropped."""
    text = data.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = [ln.strip(" \t\r\v\f") for ln in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check_against_references(path, got):
    """Compares tfl's dump of one model file with zipfile and both readers."""
    pytest.importorskip("flatbuffers")
    data = Path(path).read_bytes()
    md = metadata_entry(data)
    archive = None
    if zipfile.is_zipfile(io.BytesIO(data)):
        archive = zipfile.ZipFile(io.BytesIO(data))

    if md is None and archive is None:
        assert got["has_metadata"] is False
        assert got["status"] == "ok" and got["message"] == "model has no metadata"
        return
    assert got["has_metadata"] is True, got["message"]
    assert got["has_entry"] is (md is not None)

    ref = None
    if md is not None:
        ref = read_with_flatbuffers(md)
        assert tfl_schema_view(got) == ref
        ref2 = read_with_tflite_support(md)
        if ref2 is not None:
            assert ref2 == ref  # the two references agree ...
            assert tfl_schema_view(got) == ref2  # ... and so does tfl

    # Packed files: same names, order, sizes and bytes as zipfile.
    infos = archive.infolist() if archive else []
    assert [f["name"] for f in got["files"]] == [i.filename for i in infos]
    for f, info in zip(got["files"], infos):
        assert f["size"] == info.file_size
        if info.compress_type == zipfile.ZIP_STORED:
            assert f["status"] == "ok"
            assert bytes.fromhex(f["hex"]) == archive.read(info)
        else:
            assert f["status"] == "unsupported"

    # Label files and their lines.
    names = [i.filename for i in infos]
    for entry in got["labels"]:
        want = expected_label_file(ref, entry["output"], names)
        assert entry["file"] == want, entry
        if want is None or "labels" not in entry:
            continue
        lines = split_lines(archive.read(want))
        if all(not ln or re.match(r"-?\d+\s", ln) for ln in lines) or lines[0][:1] in ("{", "["):
            continue  # index or JSON formats: covered by the C tests
        assert entry["labels"] == lines


def test_metadata_matches_references(model, dump):
    check_against_references(model, dump(model))


def rich_metadata(S):
    """ModelMetadataT using every field tfl reads, built with tflite-support."""
    def af(name, type_, locale=None, description="d"):
        f = S.AssociatedFileT()
        f.name, f.description, f.type, f.locale, f.version = name, description, type_, locale, "2"
        return f

    def unit(kind, options):
        u = S.ProcessUnitT()
        u.optionsType, u.options = kind, options
        return u

    image = S.TensorMetadataT()
    image.name, image.description = "image", "pixels"
    image.content = S.ContentT()
    image.content.contentPropertiesType = S.ContentProperties.ImageProperties
    props = S.ImagePropertiesT()
    props.colorSpace = S.ColorSpaceType.GRAYSCALE
    props.defaultSize = S.ImageSizeT()
    props.defaultSize.width, props.defaultSize.height = 320, 240
    image.content.contentProperties = props
    norm = S.NormalizationOptionsT()
    norm.mean, norm.std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    thr = S.ScoreThresholdingOptionsT()
    thr.globalScoreThreshold = 0.3
    image.processUnits = [unit(SCORE_THRESHOLDING, thr), unit(NORMALIZATION, norm)]
    image.stats = S.StatsT()
    image.stats.max, image.stats.min = [1.0, 2.0, 3.5], [-1.0, -2.0, -3.5]

    audio = S.TensorMetadataT()
    audio.name = "audio"
    audio.content = S.ContentT()
    audio.content.contentPropertiesType = S.ContentProperties.AudioProperties
    audio.content.contentProperties = S.AudioPropertiesT()
    audio.content.contentProperties.sampleRate, audio.content.contentProperties.channels = 8000, 2

    scores = S.TensorMetadataT()
    scores.name = "scores"
    scores.content = S.ContentT()
    scores.content.contentPropertiesType = S.ContentProperties.FeatureProperties
    scores.content.contentProperties = S.FeaturePropertiesT()
    cal = S.ScoreCalibrationOptionsT()
    cal.scoreTransformation, cal.defaultScore = 2, 0.125
    scores.processUnits = [unit(SCORE_CALIBRATION, cal)]
    scores.associatedFiles = [af("labels_fr.txt", TENSOR_AXIS_LABELS, "fr"),
                              af("labels.txt", TENSOR_AXIS_LABELS),
                              af("calibration.csv", 4)]

    boxes = S.TensorMetadataT()
    boxes.name = "boxes"
    boxes.content = S.ContentT()
    boxes.content.contentPropertiesType = S.ContentProperties.BoundingBoxProperties
    bb = S.BoundingBoxPropertiesT()
    bb.index, bb.type, bb.coordinateType = [0, 1, 2, 3], 2, 1
    boxes.content.contentProperties = bb
    boxes.content.range = S.ValueRangeT()
    boxes.content.range.min, boxes.content.range.max = 2, 2
    boxes.associatedFiles = [af("classes.txt", TENSOR_VALUE_LABELS, "en")]

    sg = S.SubGraphMetadataT()
    sg.name, sg.description = "main", "the only subgraph"
    sg.inputTensorMetadata = [image, audio]
    sg.outputTensorMetadata = [scores, boxes]
    bert = S.BertTokenizerOptionsT()
    bert.vocabFile = [af("vocab.txt", 5)]
    sp = S.SentencePieceTokenizerOptionsT()
    sp.sentencePieceModel = [af("sp.model", 0)]
    sp.vocabFile = [af("sp_vocab.txt", 5, "de")]
    rx = S.RegexTokenizerOptionsT()
    rx.delimRegexPattern, rx.vocabFile = "[ ,]+", [af("rx_vocab.txt", 5)]
    sg.inputProcessUnits = [unit(BERT, bert), unit(SENTENCE_PIECE, sp)]
    sg.outputProcessUnits = [unit(REGEX, rx)]
    sg.associatedFiles = [af("subgraph_notes.txt", 1)]

    m = S.ModelMetadataT()
    m.name, m.description, m.version = "rich model", "caf\u00e9 \"quoted\"\n\ttab", "v3"
    m.author, m.license, m.minParserVersion = "tfl tests", "Apache-2.0", "1.5.0"
    m.subgraphMetadata = [sg]
    m.associatedFiles = [af("README.txt", 1, "en", "read me")]
    return m


def write_model(path, metadata_bytes, files, concatenated):
    """A model (one empty subgraph) carrying the metadata, with files packed:
    appended in place with zipfile (offsets from the file start), or as a
    separate archive concatenated to it (offsets from the archive start)."""
    import flatbuffers
    from tensorflow_lite_support.metadata import schema_py_generated as M
    model = M.ModelT()
    model.version = 3
    model.subgraphs = [M.SubGraphT()]
    empty, buf = M.BufferT(), M.BufferT()
    buf.data = list(metadata_bytes)
    model.buffers = [empty, buf]
    entry = M.MetadataT()
    entry.name, entry.buffer = "TFLITE_METADATA", 1
    model.metadata = [entry]
    b = flatbuffers.Builder(0)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    data = io.BytesIO(bytes(b.Output()))
    archive = io.BytesIO() if concatenated else data
    with zipfile.ZipFile(archive, "a" if not concatenated else "w") as z:
        for name, content, method in files:
            z.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    out = data.getvalue() + (archive.getvalue() if concatenated else b"")
    Path(path).write_bytes(out)


@pytest.mark.parametrize("concatenated", [False, True], ids=["in-place", "concatenated"])
def test_metadata_written_by_tflite_support(dump, tmp_path, concatenated):
    """Every field tfl reads, written by tflite-support's own schema code."""
    S = pytest.importorskip("tensorflow_lite_support.metadata.metadata_schema_py_generated")
    import flatbuffers
    b = flatbuffers.Builder(0)
    b.Finish(rich_metadata(S).Pack(b), file_identifier=b"M001")
    files = [("labels.txt", b"background\r\n  cat \n\ndog\n\n", zipfile.ZIP_STORED),
             ("labels_fr.txt", b"fond\nchat\n\nchien\n", zipfile.ZIP_STORED),
             ("classes.txt", b"person\nbicycle\n", zipfile.ZIP_STORED),
             ("vocab.txt", b"[PAD]\n[UNK]\nhello\n" * 50, zipfile.ZIP_DEFLATED),
             ("empty.bin", b"", zipfile.ZIP_STORED)]
    path = tmp_path / "rich.tflite"
    write_model(path, bytes(b.Output()), files, concatenated)
    got = dump(path)
    assert got["status"] == "ok", got["message"]
    check_against_references(path, got)
    # Spot checks that the comparison saw real values, not empty defaults.
    image = got["subgraphs"][0]["inputs"][0]
    assert (image["image_width"], image["image_height"], image["color_space"]) == (320, 240, 2)
    assert [f32(x) for x in image["mean"]] == [f32(0.485), f32(0.456), f32(0.406)]
    assert got["labels"][0]["labels"] == ["background", "cat", "", "dog"]
    assert got["labels"][1]["file"] == "classes.txt"
    assert [f["status"] for f in got["files"]] == ["ok", "ok", "ok", "unsupported", "ok"]


def test_flatbuffers_reader_sees_rich_fields():
    """The comparison is only as good as its readers: the small reader must
    see the rarer fields real models use (the nl_classifier's tokenizer, SSD's
    boxes); skipped when the models are absent."""
    shared = Path(os.environ.get("TFL_SHARED_DIR", REPO.parent / "shared")) / "models"
    pytest.importorskip("flatbuffers")
    seen = 0
    for name in ("nl_classifier_builtin_ops_metadata.tflite",
                 "ssd_mobilenet_v1_coco_quant_metadata.tflite"):
        path = shared / name
        if not path.is_file():
            continue
        md = metadata_entry(path.read_bytes())
        ref = read_with_flatbuffers(md)
        seen += 1
        if name.startswith("nl_"):
            unit = ref["subgraphs"][0]["inputs"][0]["process_units"][0]
            assert unit["kind"] == REGEX and unit["vocab_files"][0]["name"] == "vocab.txt"
        else:
            boxes = ref["subgraphs"][0]["outputs"][0]
            assert boxes["box_index"] == [1, 0, 3, 2] and boxes["has_range"]
    if not seen:
        pytest.skip("shared models absent")
