"""Writes the small models the Python suite uses (tests/python/models/).

Needs TensorFlow, which the suite itself does not: run it once by hand,
    python tools/gen_python_test_models.py
and commit the .tflite files. Every op used is one tfl runs.

  multi_io.tflite        two inputs (float32 x, int32 y, batch dimension -1),
                         two outputs, one signature "serving_default"
  two_signatures.tflite  signatures "add" and "scale" in two subgraphs
  gather.tflite          GATHER of a constant [10, 2] table by an int32 index input:
                         an out-of-range index makes invoke fail
  heavy_conv.tflite      float32 3x3 convolutions on a [1, 96, 96, 16] input: an
                         invoke long enough (tens of ms) for the threading tests
"""
import os

import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "python", "models")


def convert(concrete_functions, trackable):
    conv = tf.lite.TFLiteConverter.from_concrete_functions(concrete_functions, trackable)
    return conv.convert()


class MultiIO(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x"),
                                  tf.TensorSpec([None, 3], tf.int32, name="y")])
    def serving_default(self, x, y):
        s = x + tf.cast(y, tf.float32)
        return {"sum": s, "scaled": x * 2.0 - 1.0}


class TwoSignatures(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32, name="a"),
                                  tf.TensorSpec([2], tf.float32, name="b")])
    def add(self, a, b):
        return {"total": a + b}

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="v")])
    def scale(self, v):
        return {"doubled": v * 2.0, "negated": -1.0 * v}


class Gather(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([3], tf.int32, name="indices")])
    def serving_default(self, indices):
        table = tf.reshape(tf.range(20, dtype=tf.float32), [10, 2])
        return {"rows": tf.gather(table, indices)}


class HeavyConv(tf.Module):
    def __init__(self):
        super().__init__()
        rng = tf.random.Generator.from_seed(7)
        self.w = [tf.Variable(rng.normal([3, 3, 16, 16], stddev=0.1)) for _ in range(4)]

    @tf.function(input_signature=[tf.TensorSpec([1, 96, 96, 16], tf.float32, name="x")])
    def serving_default(self, x):
        for w in self.w:
            x = tf.nn.relu(tf.nn.conv2d(x, w, strides=1, padding="SAME"))
        return {"y": x}


def main():
    os.makedirs(OUT, exist_ok=True)
    m = MultiIO()
    data = convert([m.serving_default.get_concrete_function()], m)
    with open(os.path.join(OUT, "multi_io.tflite"), "wb") as f:
        f.write(data)
    m2 = TwoSignatures()
    data = convert([m2.add.get_concrete_function(), m2.scale.get_concrete_function()], m2)
    with open(os.path.join(OUT, "two_signatures.tflite"), "wb") as f:
        f.write(data)
    m4 = Gather()
    data = convert([m4.serving_default.get_concrete_function()], m4)
    with open(os.path.join(OUT, "gather.tflite"), "wb") as f:
        f.write(data)
    m3 = HeavyConv()
    data = convert([m3.serving_default.get_concrete_function()], m3)
    with open(os.path.join(OUT, "heavy_conv.tflite"), "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
