"""Writes examples/custom_op/softsign.tflite: one float32 input [1, 8] through
a CUSTOM op "Softsign" (x / (1 + |x|), which the example implements) into
the output. Run once by hand and commit the model:

    python tools/gen_custom_op_example.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fuzz_models as fb  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "custom_op",
                   "softsign.tflite")


def main():
    m = fb.Model("tfl example: a model with a custom op")
    g = m.graph()
    x = g.input("x", [1, 8], "float32")
    y = g.tensor("softsign", [1, 8], "float32")
    g.op("Softsign", [x], [y])
    g.output(y)
    with open(sys.argv[1] if len(sys.argv) > 1 else OUT, "wb") as f:
        f.write(m.serialize())


if __name__ == "__main__":
    main()
