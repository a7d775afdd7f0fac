"""Writes hand-made regression inputs for the model fuzz harness into
tests/fuzz/regressions/model/: the bundled example model (and, when they
exist, the per-op models of tests/fuzz/models/) with one field patched in
place, each reproducing a class of bug that fuzzing found in the integer
kernels and the planner. Python 3 stdlib only:

    python3 tools/gen_fuzz_regressions.py

Crashers the fuzzer itself found are committed as it wrote them (minimized);
this script only adds the cases that are clearer made by hand.
"""
import os
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fuzz", "regressions", "model")
EXAMPLE = os.path.join(ROOT, "examples", "digits", "digits_int8.tflite")
MODELS = os.path.join(ROOT, "tests", "fuzz", "models")


class Table:
    """A FlatBuffers table at `pos` in `buf`, read by field slot number."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        vt = pos - struct.unpack_from("<i", buf, pos)[0]
        vt_len = struct.unpack_from("<H", buf, vt)[0]
        self.slots = [struct.unpack_from("<H", buf, vt + 4 + 2 * i)[0]
                      for i in range((vt_len - 4) // 2)]

    def field(self, i):
        """Absolute position of field i's value, or None when absent."""
        if i >= len(self.slots) or self.slots[i] == 0:
            return None
        return self.pos + self.slots[i]

    def ref(self, i):
        p = self.field(i)
        return None if p is None else p + struct.unpack_from("<I", self.buf, p)[0]

    def table(self, i):
        p = self.ref(i)
        return None if p is None else Table(self.buf, p)

    def vector(self, i):
        """(count, position of element 0) of a vector field."""
        p = self.ref(i)
        if p is None:
            return 0, None
        return struct.unpack_from("<I", self.buf, p)[0], p + 4

    def tables(self, i):
        n, p = self.vector(i)
        return [Table(self.buf, p + 4 * k + struct.unpack_from("<I", self.buf, p + 4 * k)[0])
                for k in range(n)]


def model(buf):
    return Table(buf, struct.unpack_from("<I", buf, 0)[0])


def tensors(buf, subgraph=0):
    # Model.subgraphs = field 2; SubGraph.tensors = field 0
    return model(buf).tables(2)[subgraph].tables(0)


def operators(buf, subgraph=0):
    # SubGraph.operators = field 3; Operator: opcode_index 0, inputs 1, outputs 2
    return model(buf).tables(2)[subgraph].tables(3)


def op_io(op, field):
    n, p = op.vector(field)
    return [struct.unpack_from("<i", op.buf, p + 4 * k)[0] for k in range(n)]


def set_zero_point(buf, tensor, value):
    """Overwrites every zero point of a quantized tensor (Tensor.quantization
    = field 4, QuantizationParameters.zero_point = field 3, int64)."""
    q = tensors(buf)[tensor].table(4)
    n, p = q.vector(3)
    assert n > 0, "tensor has no zero point"
    for k in range(n):
        struct.pack_into("<q", buf, p + 8 * k, value)


def set_dim(buf, tensor, axis, value):
    """Overwrites one dimension of a tensor's shape (Tensor.shape = field 0)."""
    n, p = tensors(buf)[tensor].vector(0)
    assert axis < n
    struct.pack_into("<i", buf, p + 4 * axis, value)


def input_of(buf, op_index, k=0):
    return op_io(operators(buf)[op_index], 1)[k]


def write(name, buf):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf)
    print("wrote", name, len(buf), "bytes")


def main():
    base = open(EXAMPLE, "rb").read()
    ops = operators(base)
    # The example is CONV_2D, DEPTHWISE_CONV_2D, ..., FULLY_CONNECTED, SOFTMAX.
    names = []
    for op in ops:
        names.append(struct.unpack_from("<I", base, op.field(0))[0] if op.field(0) else 0)
    cases = [
        # A zero point far outside int8 overflowed `filter * (input + offset)`
        # in int (UB) in each integer kernel; now refused at load.
        ("depthwise-zero-point-overflow", 1, -2147483520),
        ("fully-connected-zero-point-overflow", 6, 2147483520),
        ("conv-zero-point-int-min", 0, -2147483648),
    ]
    for name, op_index, zp in cases:
        buf = bytearray(base)
        set_zero_point(buf, input_of(buf, op_index), zp)
        write(name, bytes(buf))
    # An input whose declared size makes one invoke cost far more than any
    # real model of its kind (a fuzzer timeout): refused by the work cap.
    buf = bytearray(base)
    set_dim(buf, input_of(buf, 0), 1, 4000)
    set_dim(buf, input_of(buf, 0), 2, 4000)
    write("conv-huge-work", bytes(buf))
    # A zero-sized batch: every tensor empty, kernels get real (not NULL) pointers.
    buf = bytearray(base)
    set_dim(buf, input_of(buf, 0), 0, 0)
    write("empty-batch", bytes(buf))

    concat = os.path.join(MODELS, "concatenation_int8.tflite")
    if os.path.exists(concat):
        src = open(concat, "rb").read()
        # CONCATENATION with an empty input: a NULL data pointer plus a zero
        # offset (UB) in the copy loops.
        buf = bytearray(src)
        op = operators(buf)[0]
        for t in op_io(op, 1):
            set_dim(buf, t, 0, 0)
        write("concat-empty-input", bytes(buf))
        # A zero point of INT32_MIN was negated in the rescale setup.
        buf = bytearray(src)
        set_zero_point(buf, op_io(op, 1)[0], -2147483648)
        write("concat-zero-point-int-min", bytes(buf))
    else:
        print("tests/fuzz/models/concatenation_int8.tflite absent: concat cases skipped",
              file=sys.stderr)


if __name__ == "__main__":
    main()
