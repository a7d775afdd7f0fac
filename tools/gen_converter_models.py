"""Writes tests/converter_models/: one small model per (op, quantization mode)
as TensorFlow's converter writes it, beside the hand-built flatbuffers of
tests/fuzz/models/. The test suite runs them through tfl and LiteRT's
reference kernels (tests/conformance/test_seed_models.py) without
TensorFlow, so this runs once by hand and the .tflite files are committed:

    python tools/gen_converter_models.py        # needs tensorflow, tf_keras, numpy

Modes (the file name's suffix):
  float32   no optimization
  dynamic   Optimize.DEFAULT without data: int8 weights, float activations
            (TFLite's hybrid kernels)
  int8      full integer, int8 inputs and outputs (a representative dataset)
  16x8      int16 activations, int8 weights (EXPERIMENTAL_TFLITE_BUILTINS_
            ACTIVATIONS_INT16_WEIGHTS_INT8), int16 inputs and outputs
  float16   float16 weights, DEQUANTIZE'd to float32 at run time

Weight tensors have at least 1024 elements: the converter leaves smaller
ones float in dynamic-range mode. A case lists the modes the converter
supports for it; file names are the
TFLite op the model is about, lower case, then the mode. Weights are seeded,
so a rerun writes the same models (up to the converter's version).
"""
import os
import sys

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "converter_models")
ALL = ("float32", "dynamic", "int8", "16x8", "float16")
NO_16X8 = ("float32", "dynamic", "int8", "float16")


def rng_for(name):
    return np.random.default_rng(sum(map(ord, name)))


def init(name):
    """A seeded Keras initializer (so the weights do not change per run)."""
    return tf.keras.initializers.RandomUniform(-0.5, 0.5, seed=sum(map(ord, name)) % 1000)


def init2(k, name):
    return k.initializers.RandomUniform(-0.5, 0.5, seed=sum(map(ord, name)) % 1000)


def keras2(name, shape, make_layer):
    """A tf_keras (Keras 2) model, whose LSTMs convert to fused TFLite ops."""
    import tf_keras as k
    x = k.Input(shape=shape[1:], batch_size=shape[0], name="x")
    return k.Model(x, make_layer(k)(x), name=name)


def keras(name, shape, *layers):
    x = tf.keras.Input(shape=shape[1:], batch_size=shape[0], name="x")
    y = x
    for layer in layers:
        y = layer(y)
    return tf.keras.Model(x, y, name=name)


# name -> (builder returning a Keras model or (tf.function, input specs), modes)
CASES = {
    "conv_2d": (lambda n: keras(n, [1, 9, 7, 16], tf.keras.layers.Conv2D(
        8, 3, strides=2, padding="same", activation="relu", kernel_initializer=init(n),
        bias_initializer=init(n + "b"))), ALL),
    "depthwise_conv_2d": (lambda n: keras(n, [1, 6, 6, 64], tf.keras.layers.DepthwiseConv2D(
        3, depth_multiplier=2, padding="valid", activation="relu6",
        depthwise_initializer=init(n), bias_initializer=init(n + "b"))), ALL),
    "fully_connected": (lambda n: keras(n, [2, 40], tf.keras.layers.Dense(
        32, activation="tanh", kernel_initializer=init(n), bias_initializer=init(n + "b"))),
        ALL),
    "transpose_conv": (lambda n: keras(n, [1, 5, 5, 16], tf.keras.layers.Conv2DTranspose(
        8, 3, strides=2, padding="same", kernel_initializer=init(n),
        bias_initializer=init(n + "b"))), ALL),
    "average_pool_2d": (lambda n: keras(n, [1, 7, 7, 3], tf.keras.layers.AveragePooling2D(
        3, strides=2, padding="same")), ("float32", "int8", "16x8")),
    "max_pool_2d": (lambda n: keras(n, [1, 7, 7, 3], tf.keras.layers.MaxPooling2D(
        2, padding="valid")), ("float32", "int8", "16x8")),
    "softmax": (lambda n: keras(n, [2, 11], tf.keras.layers.Softmax()),
                ("float32", "int8", "16x8")),
    "logistic": (lambda n: keras(n, [2, 10], tf.keras.layers.Activation("sigmoid")),
                 ("float32", "int8", "16x8")),
    "mean": (lambda n: keras(n, [1, 6, 5, 4], tf.keras.layers.GlobalAveragePooling2D()),
             ("float32", "int8", "16x8")),
    "resize_bilinear": (lambda n: keras(n, [1, 5, 4, 2], tf.keras.layers.UpSampling2D(
        2, interpolation="bilinear")), ("float32", "int8", "16x8")),
    "concatenation": (lambda n: fn(n, [1, 4, 4, 3], lambda t, w: tf.concat(
        [t, tf.nn.conv2d(t, w, 1, "SAME")], -1), [1, 1, 3, 2]), ("float32", "int8", "16x8")),
    # Keras 3 lowers recurrent layers to a WHILE loop of FULLY_CONNECTED and
    # elementwise ops; tf_keras (Keras 2) LSTMs convert to TFLite's fused op.
    "while_keras_lstm": (lambda n: keras(n, [2, 5, 64], tf.keras.layers.LSTM(
        16, return_sequences=True, kernel_initializer=init(n),
        recurrent_initializer=init(n + "r"), bias_initializer=init(n + "b"))),
        ("float32", "dynamic", "float16")),
    "while_keras_rnn": (lambda n: keras(n, [2, 4, 40], tf.keras.layers.SimpleRNN(
        32, return_sequences=True, kernel_initializer=init(n),
        recurrent_initializer=init(n + "r"), bias_initializer=init(n + "b"))),
        ("float32", "dynamic", "float16")),
    "unidirectional_sequence_lstm": (lambda n: keras2(n, [2, 5, 64], lambda k: k.layers.LSTM(
        40, return_sequences=True, kernel_initializer=init2(k, n),
        recurrent_initializer=init2(k, n + "r"), bias_initializer=init2(k, n + "b"))),
        ("float32", "dynamic", "int8", "float16")),
    # Two UNIDIRECTIONAL_SEQUENCE_LSTMs, REVERSE_V2 and CONCATENATION.
    "unidirectional_sequence_lstm_bidirectional": (lambda n: keras2(
        n, [1, 4, 64], lambda k: k.layers.Bidirectional(k.layers.LSTM(40, return_sequences=True, kernel_initializer=init2(k, n),
                      recurrent_initializer=init2(k, n + "r")))),
        ("float32", "dynamic", "float16")),
    # A rank-3 matmul by a constant: the converter writes FULLY_CONNECTED.
    "fully_connected_matmul": (lambda n: fn(n, [2, 3, 40], lambda t, w: tf.matmul(t, w), [40, 32]),
                     ("float32", "dynamic", "int8", "16x8")),
    "gelu": (lambda n: keras(n, [2, 9], tf.keras.layers.Activation("gelu")),
             ("float32", "int8")),
    "hard_swish": (lambda n: fn(n, [2, 12], lambda t, w: t * tf.nn.relu6(t + 3) / 6),
                   ("float32", "int8")),
    "l2_normalization": (lambda n: fn(n, [2, 8], lambda t, w: tf.math.l2_normalize(t, -1)),
                         ("float32", "int8")),
    "pad": (lambda n: keras(n, [1, 3, 4, 2], tf.keras.layers.ZeroPadding2D(((1, 2), (0, 1)))),
            ("float32", "int8", "16x8")),
    # Elementwise and data movement, by a seeded constant or by the input itself.
    "add": (lambda n: fn(n, [2, 3, 8], lambda t, w: t + w, [8]), ("float32", "int8", "16x8")),
    "sub": (lambda n: fn(n, [2, 3, 8], lambda t, w: t - w, [3, 8]), ("float32", "int8", "16x8")),
    "mul": (lambda n: fn(n, [2, 3, 8], lambda t, w: t * w, [8]), ("float32", "int8", "16x8")),
    "maximum": (lambda n: fn(n, [2, 9], lambda t, w: tf.maximum(t, w), [9]),
                ("float32", "int8", "16x8")),
    "minimum": (lambda n: fn(n, [2, 9], lambda t, w: tf.minimum(t, w), [9]),
                ("float32", "int8", "16x8")),
    "squared_difference": (lambda n: fn(n, [2, 9], lambda t, w: tf.math.squared_difference(
        t, w), [9]), ("float32", "int8")),
    "tanh": (lambda n: fn(n, [3, 7], lambda t, w: tf.tanh(t * 3)), ("float32", "int8", "16x8")),
    "leaky_relu": (lambda n: fn(n, [3, 7], lambda t, w: tf.nn.leaky_relu(t, 0.2)),
                   ("float32", "int8", "16x8")),
    "prelu": (lambda n: keras(n, [1, 4, 4, 3], tf.keras.layers.PReLU(
        alpha_initializer=init(n), shared_axes=[1, 2])), ("float32", "int8")),
    "elu": (lambda n: fn(n, [3, 7], lambda t, w: tf.nn.elu(t * 2)), ("float32", "int8")),
    "exp": (lambda n: fn(n, [3, 7], lambda t, w: tf.exp(t)), ("float32", "int8", "16x8")),
    "log": (lambda n: fn(n, [3, 7], lambda t, w: tf.math.log(tf.abs(t) + 0.5)),
            ("float32", "int8")),
    "rsqrt": (lambda n: fn(n, [3, 7], lambda t, w: tf.math.rsqrt(tf.abs(t) + 0.5)),
              ("float32", "int8", "16x8")),
    "strided_slice": (lambda n: fn(n, [2, 7, 6], lambda t, w: t[:, 1::2, ::-2]),
                      ("float32", "int8", "16x8")),
    "transpose": (lambda n: fn(n, [2, 3, 4, 5], lambda t, w: tf.transpose(t, [0, 3, 1, 2])),
                  ("float32", "int8", "16x8")),
    "depth_to_space": (lambda n: fn(n, [1, 3, 2, 8], lambda t, w: tf.nn.depth_to_space(t, 2)),
                       ("float32", "int8")),
    "space_to_depth": (lambda n: fn(n, [1, 4, 6, 2], lambda t, w: tf.nn.space_to_depth(t, 2)),
                       ("float32", "int8")),
    # Keras's nearest upsampling by whole factors is a RESHAPE and a TILE.
    "tile_upsampling": (lambda n: keras(n, [1, 3, 5, 2], tf.keras.layers.UpSampling2D(
        (2, 3), interpolation="nearest")), ("float32", "int8", "16x8")),
    "resize_nearest_neighbor": (lambda n: fn(n, [1, 3, 5, 2], lambda t, w: tf.image.resize(
        t, [7, 8], method="nearest")), ("float32", "int8", "16x8")),
    "batch_matmul": (lambda n: fn(n, [2, 4, 6], lambda t, w: tf.matmul(t, t, transpose_b=True)),
                     ("float32", "int8", "16x8")),
    "reduce_max": (lambda n: fn(n, [2, 5, 6], lambda t, w: tf.reduce_max(t, axis=1)),
                   ("float32", "int8", "16x8")),
    "sum": (lambda n: fn(n, [2, 5, 6], lambda t, w: tf.reduce_sum(t, axis=[0, 2])),
            ("float32", "int8", "16x8")),
    "gather": (lambda n: fn(n, [5, 6], lambda t, w: tf.gather(t, [4, 0, 2, 2], axis=0)),
               ("float32", "int8", "16x8")),
    "split": (lambda n: fn(n, [2, 9], lambda t, w: tf.split(t, 3, axis=1)[1] * 2),
              ("float32", "int8")),
    "arg_max": (lambda n: fn(n, [3, 10], lambda t, w: tf.argmax(t, axis=1, output_type=tf.int32)),
                ("float32", "int8")),
}


class Fn:
    """A tf.function model: body(x, w) with w a seeded constant of w_shape."""

    def __init__(self, name, shape, body, w_shape):
        self.shape = shape
        w = (tf.constant(rng_for(name).uniform(-1, 1, w_shape).astype(np.float32))
             if w_shape else None)
        self.f = tf.function(lambda x: body(x, w),
                             input_signature=[tf.TensorSpec(shape, tf.float32, name="x")])


def fn(name, shape, body, w_shape=None):
    return Fn(name, shape, body, w_shape)


def representative(shape, name):
    rng = rng_for(name + "data")

    def gen():
        for _ in range(16):
            yield [rng.uniform(-1, 1, shape).astype(np.float32)]
    return gen


def convert(name, mode):
    builder, _ = CASES[name]
    model = builder(name)
    if isinstance(model, Fn):
        shape = model.shape
        conv = tf.lite.TFLiteConverter.from_concrete_functions([model.f.get_concrete_function()])
    else:
        shape = [int(d) for d in model.inputs[0].shape]
        conv = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float32":
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode in ("int8", "16x8"):
        conv.representative_dataset = representative(shape, name)
    if mode == "int8":
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = conv.inference_output_type = tf.int8
    elif mode == "16x8":
        conv.target_spec.supported_ops = [
            tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
        conv.inference_input_type = conv.inference_output_type = tf.int16
    elif mode == "float16":
        conv.target_spec.supported_types = [tf.float16]
    return conv.convert()


def main(argv):
    os.makedirs(OUT, exist_ok=True)
    only = set(argv)
    for name, (_, modes) in CASES.items():
        if only and name not in only:
            continue
        for mode in modes:
            tf.keras.utils.set_random_seed(1)
            data = convert(name, mode)
            path = os.path.join(OUT, f"{name}_{mode}.tflite")
            with open(path, "wb") as f:
                f.write(data)
            print(f"{path}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
