"""Hand-written control-flow and resource-variable models (several
subgraphs each), built with gen_fuzz_models' flatbuffer writer. The
conformance tests (tests/conformance/test_control_flow.py) build them on
the fly; run as a script, it writes the two the Python suite compares with
LiteRT (tests/python/models/):

  resource_accumulator.tflite  CALL_ONCE zeroes a resource variable; each
                               invoke adds its input to it and outputs it
  while_growing.tflite         a WHILE whose body doubles a tensor's rows
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fuzz_models as fb  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "python", "models")


def while_counter(limit=5, runaway=False):
    """while i < limit: i += 1; x *= 1.5 (cond always true when runaway)."""
    m = fb.Model("tfl while test")
    g = m.graph()
    i = g.input("i", [1], "int32")
    x = g.input("x", [2, 3], "float32")
    io, xo = g.tensor("i_out", [1], "int32"), g.tensor("x_out", [2, 3], "float32")
    g.op("WHILE", [i, x], [io, xo], fb.options("WhileOptions", cond_subgraph_index=1,
                                                 body_subgraph_index=2))
    g.output(io, xo)
    c = m.graph("cond")
    ci, cx = c.input("i", [1], "int32"), c.input("x", [2, 3], "float32")
    lim = c.const("limit", [1], "int32", [limit])
    ok = c.tensor("ok", [1], "bool")
    if runaway:
        c.op("LESS_EQUAL", [ci, ci], [ok])
    else:
        c.op("LESS", [ci, lim], [ok])
    c.output(ok)
    b = m.graph("body")
    bi, bx = b.input("i", [1], "int32"), b.input("x", [2, 3], "float32")
    one = b.const("one", [1], "int32", [0 if runaway else 1])
    k = b.const("k", [1], "float32", [1.5])
    ni, nx = b.tensor("i_next", [1], "int32"), b.tensor("x_next", [2, 3], "float32")
    b.op("ADD", [bi, one], [ni], fb.options("AddOptions"))
    b.op("MUL", [bx, k], [nx], fb.options("MulOptions"))
    b.output(ni, nx)
    return bytes(m.serialize())


def while_growing():
    """while i < 3: i += 1; x = concat(x, x) along axis 0 (shapes change)."""
    m = fb.Model("tfl while growing")
    g = m.graph()
    i = g.input("i", [1], "int32")
    x = g.input("x", [1, 2], "int8", quant=fb.q(0.5, 0))
    io, xo = g.tensor("i_out", [1], "int32"), g.tensor("x_out", [1, 2], "int8", quant=fb.q(0.5))
    g.op("WHILE", [i, x], [io, xo], fb.options("WhileOptions", cond_subgraph_index=1,
                                                 body_subgraph_index=2))
    g.output(io, xo)
    c = m.graph("cond")
    ci, _ = c.input("i", [1], "int32"), c.input("x", [1, 2], "int8", quant=fb.q(0.5))
    lim = c.const("limit", [1], "int32", [3])
    ok = c.tensor("ok", [1], "bool")
    c.op("LESS", [ci, lim], [ok])
    c.output(ok)
    b = m.graph("body")
    bi, bx = b.input("i", [1], "int32"), b.input("x", [1, 2], "int8", quant=fb.q(0.5))
    one = b.const("one", [1], "int32", [1])
    ni, nx = b.tensor("i_next", [1], "int32"), b.tensor("x_next", [2, 2], "int8", quant=fb.q(0.5))
    b.op("ADD", [bi, one], [ni], fb.options("AddOptions"))
    b.op("CONCATENATION", [bx, bx], [nx], fb.options("ConcatenationOptions", axis=0))
    b.output(ni, nx)
    return bytes(m.serialize())


def if_model(grow_else=False):
    """then: a + b; else: a * b (or concat(a, b) when grow_else)."""
    m = fb.Model("tfl if test")
    g = m.graph()
    cond = g.input("cond", [1], "bool")
    a, b = g.input("a", [3], "float32"), g.input("b", [3], "float32")
    y = g.tensor("y", [3], "float32")
    g.op("IF", [cond, a, b], [y], fb.options("IfOptions", then_subgraph_index=1,
                                               else_subgraph_index=2))
    g.output(y)
    t = m.graph("then")
    ta, tb = t.input("a", [3], "float32"), t.input("b", [3], "float32")
    ty = t.tensor("y", [3], "float32")
    t.op("ADD", [ta, tb], [ty], fb.options("AddOptions"))
    t.output(ty)
    e = m.graph("else")
    ea, eb = e.input("a", [3], "float32"), e.input("b", [3], "float32")
    if grow_else:
        ey = e.tensor("y", [6], "float32")
        e.op("CONCATENATION", [ea, eb], [ey], fb.options("ConcatenationOptions", axis=0))
    else:
        ey = e.tensor("y", [3], "float32")
        e.op("MUL", [ea, eb], [ey], fb.options("MulOptions"))
    e.output(ey)
    return bytes(m.serialize())


def accumulator(init=True, name="acc"):
    """CALL_ONCE sets acc = 0; each invoke: acc += x, output acc."""
    m = fb.Model("tfl resource variable test")
    g = m.graph()
    x = g.input("x", [2, 2], "float32")
    if init:
        g.op("CALL_ONCE", [], [], fb.options("CallOnceOptions", init_subgraph_index=1))
    h = g.tensor("handle", [1], "resource")
    g.op("VAR_HANDLE", [], [h], fb.options("VarHandleOptions", shared_name=name))
    v = g.tensor("value", [2, 2], "float32")
    g.op("READ_VARIABLE", [h], [v])
    y = g.tensor("y", [2, 2], "float32")
    g.op("ADD", [v, x], [y], fb.options("AddOptions"))
    g.op("ASSIGN_VARIABLE", [h, y], [])
    g.output(y)
    s = m.graph("init")
    sh = s.tensor("handle", [1], "resource")
    s.op("VAR_HANDLE", [], [sh], fb.options("VarHandleOptions", shared_name=name))
    zeros = s.const("zeros", [2, 2], "float32", [0.0] * 4)
    s.op("ASSIGN_VARIABLE", [sh, zeros], [])
    return bytes(m.serialize())


def recursive():
    """Subgraph 1 is a WHILE body that runs a WHILE with itself as body."""
    m = fb.Model("tfl recursive while")
    for name in ("main", "body"):
        g = m.graph(name)
        i = g.input("i", [1], "int32")
        o = g.tensor("o", [1], "int32")
        g.op("WHILE", [i], [o], fb.options("WhileOptions", cond_subgraph_index=2,
                                             body_subgraph_index=1))
        g.output(o)
    c = m.graph("cond")
    ci = c.input("i", [1], "int32")
    ok = c.tensor("ok", [1], "bool")
    c.op("LESS", [ci, ci], [ok])
    c.output(ok)
    return bytes(m.serialize())


def bad_cond():
    """A WHILE whose cond gives an int32."""
    m = fb.Model("tfl bad cond")
    g = m.graph()
    i = g.input("i", [1], "int32")
    o = g.tensor("o", [1], "int32")
    g.op("WHILE", [i], [o], fb.options("WhileOptions", cond_subgraph_index=1,
                                         body_subgraph_index=1 + 1))
    g.output(o)
    for name in ("cond", "body"):
        s = m.graph(name)
        si = s.input("i", [1], "int32")
        so = s.tensor("o", [1], "int32")
        s.op("ABS", [si], [so])
        s.output(so)
    return bytes(m.serialize())


def missing_subgraph():
    m = fb.Model("tfl missing subgraph")
    g = m.graph()
    c = g.input("c", [1], "bool")
    a = g.input("a", [1], "float32")
    y = g.tensor("y", [1], "float32")
    g.op("IF", [c, a], [y], fb.options("IfOptions", then_subgraph_index=3, else_subgraph_index=4))
    g.output(y)
    return bytes(m.serialize())


class _Bytes:
    """A built model as gen_fuzz_models' MODELS list takes it."""

    def __init__(self, data):
        self.data = data

    def serialize(self):
        return self.data


# Fuzz seeds (tests/fuzz/models/): one per op, the accumulator standing in
# for each of the resource-variable ops it uses.
for _name, _make in (("while_int32_float32", while_counter), ("while_growing_int8", while_growing),
                     ("if_float32", if_model), ("if_dynamic_float32", lambda: if_model(True)),
                     ("call_once_float32", accumulator), ("var_handle_float32", accumulator),
                     ("read_variable_float32", accumulator),
                     ("assign_variable_float32", accumulator)):
    fb.MODELS.append((_name, lambda make=_make: _Bytes(make())))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    for name, data in (("resource_accumulator", accumulator()),
                       ("while_growing", while_growing())):
        with open(os.path.join(out, name + ".tflite"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
