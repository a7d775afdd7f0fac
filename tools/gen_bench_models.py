"""Writes the generated models of `make bench`, all with random weights:

- int8: MobileNet v1 1.0 (224) and an EfficientNet-Lite0-style network, with
  per-channel int8 filters, laid out as the TFLite converter lays out
  post-training-quantized models (fused ReLU6, int32 biases at input_scale *
  filter_scale, int8 activations);
- float32: MobileNet v1 1.0, MobileNet v2 1.0 and the EfficientNet-Lite0-style
  network, as the converter writes float models (fused ReLU6, float biases);
- float16 weights: MobileNet v2 1.0 with every filter and bias stored as
  float16 and widened by a DEQUANTIZE, as the converter writes models
  optimized with `target_spec.supported_types = [tf.float16]`.

Their outputs mean nothing; they exist so the benchmark covers the shapes of
network people convert most, without TensorFlow and without shipping
weights. Float weights are scaled (He-style) so activations neither vanish
nor overflow through the depth of the network.

    python3 tools/gen_bench_models.py OUT_DIR

Uses the FlatBuffers writer of tools/gen_fuzz_models.py. Deterministic.
"""
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fuzz_models as fb  # noqa: E402  (the schema writer, not its models)

# Activation quantization (int8 networks): after ReLU6 [0, 6] in int8,
# linear outputs around [-8, 8].
RELU6_Q = fb.q(6.0 / 255, -128)
LINEAR_Q = fb.q(16.0 / 255, 0)


class Net:
    """kind: "int8", "float32", or "float16" (float32 activations, float16
    weights behind DEQUANTIZE)."""

    def __init__(self, name, seed, kind="int8"):
        self.m = fb.Model("tfl bench model: " + name + " (random weights)")
        self.g = self.m.graph()
        self.r = random.Random(seed)
        self.n = 0
        self.kind = kind
        self.act = "int8" if kind == "int8" else "float32"

    def _name(self, kind):
        self.n += 1
        return "%s_%d" % (kind, self.n)

    def _q(self, q):
        return q if self.kind == "int8" else None

    def _weights(self, shape, qdim, in_scale, out_scale, fan_in):
        """The filter and its bias: per-channel int8 scaled so outputs use the
        output range, and an int32 bias; or float (He-scaled) and a float bias."""
        channels = shape[qdim]
        if self.kind != "int8":
            return self._float_weights(shape, channels, fan_in)
        # |sum| of fan_in products of uniform values ~ sqrt(fan_in) * range.
        base = out_scale * 64 / (in_scale * 127 * 40 * math.sqrt(fan_in))
        scales = [base * self.r.uniform(0.5, 1.5) for _ in range(channels)]
        values = [self.r.randint(-127, 127) for _ in range(fb.count(shape))]
        w = self.g.const(self._name("w"), shape, "int8", values, fb.q_channels(scales, qdim))
        bias = [self.r.randint(-2000, 2000) for _ in range(channels)]
        b = self.g.const(self._name("b"), [channels], "int32", bias,
                         fb.q_channels([in_scale * s for s in scales], 0))
        return w, b

    def _float_weights(self, shape, channels, fan_in):
        limit = math.sqrt(6.0 / fan_in)
        values = [self.r.uniform(-limit, limit) for _ in range(fb.count(shape))]
        bias = [self.r.uniform(-0.1, 0.1) for _ in range(channels)]
        return self._float_const("w", shape, values), self._float_const("b", [channels], bias)

    def _float_const(self, kind, shape, values):
        if self.kind == "float32":
            return self.g.const(self._name(kind), shape, "float32", values)
        half = self.g.const(self._name(kind + "_f16"), shape, "float16", values)
        wide = self.g.tensor(self._name(kind), shape, "float32")
        self.g.op("DEQUANTIZE", [half], [wide], version=3)
        return wide

    def conv(self, x, shape, q_in, out_c, k, stride, relu6=True):
        _, h, w, c = shape
        oh, ow = (h + stride - 1) // stride, (w + stride - 1) // stride
        q_out = RELU6_Q if relu6 else LINEAR_Q
        wt, b = self._weights([out_c, k, k, c], 0, q_in[0][0], q_out[0][0], k * k * c)
        y = self.g.tensor(self._name("conv"), [1, oh, ow, out_c], self.act, self._q(q_out))
        self.g.op("CONV_2D", [x, wt, b], [y],
                  fb.options("Conv2DOptions", padding=fb.SAME, stride_w=stride, stride_h=stride,
                             fused_activation_function=fb.RELU6 if relu6 else fb.NONE),
                  version=3 if self.kind == "int8" else 1)
        return y, [1, oh, ow, out_c], q_out

    def depthwise(self, x, shape, q_in, k, stride):
        _, h, w, c = shape
        oh, ow = (h + stride - 1) // stride, (w + stride - 1) // stride
        wt, b = self._weights([1, k, k, c], 3, q_in[0][0], RELU6_Q[0][0], k * k)
        y = self.g.tensor(self._name("dw"), [1, oh, ow, c], self.act, self._q(RELU6_Q))
        self.g.op("DEPTHWISE_CONV_2D", [x, wt, b], [y],
                  fb.options("DepthwiseConv2DOptions", padding=fb.SAME, stride_w=stride,
                             stride_h=stride, depth_multiplier=1,
                             fused_activation_function=fb.RELU6),
                  version=3 if self.kind == "int8" else 1)
        return y, [1, oh, ow, c], RELU6_Q

    def add(self, a, b, shape):
        y = self.g.tensor(self._name("add"), shape, self.act, self._q(LINEAR_Q))
        self.g.op("ADD", [a, b], [y], fb.options("AddOptions"),
                  version=2 if self.kind == "int8" else 1)
        return y

    def head(self, x, shape, q_in, classes, fc):
        """Global average pool, then classes logits (1x1 conv or FC) and softmax."""
        _, h, w, c = shape
        v = 2 if self.kind == "int8" else 1
        pooled = self.g.tensor(self._name("pool"), [1, 1, 1, c], self.act, self._q(q_in))
        self.g.op("AVERAGE_POOL_2D", [x], [pooled],
                  fb.options("Pool2DOptions", padding=fb.VALID, stride_w=1, stride_h=1,
                             filter_width=w, filter_height=h), version=v)
        if fc:
            flat = self.g.tensor(self._name("flat"), [1, c], self.act, self._q(q_in))
            self.g.op("RESHAPE", [pooled], [flat],
                      fb.options("ReshapeOptions", new_shape=[1, c]))
            wt, b = self._weights([classes, c], 0, q_in[0][0], LINEAR_Q[0][0], c)
            logits = self.g.tensor(self._name("logits"), [1, classes], self.act,
                                   self._q(LINEAR_Q))
            self.g.op("FULLY_CONNECTED", [flat, wt, b], [logits],
                      fb.options("FullyConnectedOptions"), version=4 if v == 2 else 1)
        else:
            conv, _, _ = self.conv(pooled, [1, 1, 1, c], q_in, classes, 1, 1, relu6=False)
            logits = self.g.tensor(self._name("logits"), [1, classes], self.act,
                                   self._q(LINEAR_Q))
            self.g.op("RESHAPE", [conv], [logits],
                      fb.options("ReshapeOptions", new_shape=[1, classes]))
        probs = self.g.tensor("probabilities", [1, classes], self.act,
                              self._q(fb.q(1.0 / 256, -128)))
        self.g.op("SOFTMAX", [logits], [probs], fb.options("SoftmaxOptions", beta=1.0),
                  version=v)
        self.g.output(probs)

    def image_input(self):
        shape = [1, 224, 224, 3]
        return self.g.input("input", shape, self.act, self._q(fb.q(1.0 / 128, 0))), shape, \
            fb.q(1.0 / 128, 0)


def mobilenet_v1(kind):
    net = Net("mobilenet_v1_1.0_224 " + kind, 1, kind)
    x, shape, q_in = net.image_input()
    x, shape, q_in = net.conv(x, shape, q_in, 32, 3, 2)
    for out_c, stride in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1),
                          (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]:
        x, shape, q_in = net.depthwise(x, shape, q_in, 3, stride)
        x, shape, q_in = net.conv(x, shape, q_in, out_c, 1, 1)
    net.head(x, shape, q_in, 1001, fc=False)
    return net.m


def inverted_residuals(net, x, shape, q_in, blocks):
    """MobileNet v2 / EfficientNet blocks: (expansion, kernel, stride, output
    channels, repeats); 1x1 expand (ReLU6), depthwise (ReLU6), linear 1x1
    project, and a residual ADD where shapes allow."""
    for expand, k, stride, out_c, repeats in blocks:
        for i in range(repeats):
            s = stride if i == 0 else 1
            block_in, in_shape = x, shape
            h, hs, hq = x, shape, q_in
            if expand != 1:
                h, hs, hq = net.conv(h, hs, hq, shape[3] * expand, 1, 1)
            h, hs, hq = net.depthwise(h, hs, hq, k, s)
            h, hs, hq = net.conv(h, hs, hq, out_c, 1, 1, relu6=False)
            if s == 1 and in_shape[3] == out_c:
                h = net.add(block_in, h, hs)
            x, shape, q_in = h, hs, LINEAR_Q
    return x, shape, q_in


def mobilenet_v2(kind):
    net = Net("mobilenet_v2_1.0_224 " + kind, 3, kind)
    x, shape, q_in = net.image_input()
    x, shape, q_in = net.conv(x, shape, q_in, 32, 3, 2)
    x, shape, q_in = inverted_residuals(net, x, shape, q_in, [
        (1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 3, 2, 32, 3), (6, 3, 2, 64, 4),
        (6, 3, 1, 96, 3), (6, 3, 2, 160, 3), (6, 3, 1, 320, 1)])
    x, shape, q_in = net.conv(x, shape, q_in, 1280, 1, 1)
    net.head(x, shape, q_in, 1001, fc=True)
    return net.m


def efficientnet_lite0(kind):
    net = Net("efficientnet_lite0-style " + kind, 2, kind)
    x, shape, q_in = net.image_input()
    x, shape, q_in = net.conv(x, shape, q_in, 32, 3, 2)
    # EfficientNet-B0's blocks without squeeze-and-excitation, ReLU6 instead
    # of swish (Lite).
    x, shape, q_in = inverted_residuals(net, x, shape, q_in, [
        (1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
        (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)])
    x, shape, q_in = net.conv(x, shape, q_in, 1280, 1, 1)
    net.head(x, shape, q_in, 1000, fc=True)
    return net.m


# name -> (builder, kind); bench/compare.py lists the same names.
MODELS = {
    "mobilenet_v1_1.0_224_int8_random": (mobilenet_v1, "int8"),
    "efficientnet_lite0_int8_random": (efficientnet_lite0, "int8"),
    "mobilenet_v1_1.0_224_float_random": (mobilenet_v1, "float32"),
    "mobilenet_v2_1.0_224_float_random": (mobilenet_v2, "float32"),
    "efficientnet_lite0_float_random": (efficientnet_lite0, "float32"),
    "mobilenet_v2_1.0_224_fp16_random": (mobilenet_v2, "float16"),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 tools/gen_bench_models.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (make, kind) in MODELS.items():
        path = os.path.join(out, name + ".tflite")
        with open(path, "wb") as f:
            f.write(make(kind).serialize())
        print("wrote", path)


if __name__ == "__main__":
    main()
