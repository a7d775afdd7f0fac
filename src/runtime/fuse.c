/* See fuse.h. */
#include "runtime/fuse.h"

#include <stdlib.h>
#include <string.h>

#include "core/tensor.h"

enum { PAD = 34, PADV2 = 60, CONV_2D = 3, DEPTHWISE_CONV_2D = 4 };
enum { F_PADDING = 0, PADDING_VALID = 1 }; /* Conv2D and DepthwiseConv2D options */

static bool is_8bit(const tfl_tensor *t) { return t->type == TFL_UINT8 || t->type == TFL_INT8; }

static bool same_quantization(const tfl_tensor *a, const tfl_tensor *b)
{
    return a->quant.count == 1 && b->quant.count == 1 && a->scale == b->scale &&
           a->zero_point == b->zero_point;
}

/* The [4, 2] paddings of a PAD with only H and W padded, into p[4]. */
static bool hw_paddings(const tfl_tensor *t, int p[4])
{
    if (t->alloc != TFL__ALLOC_CONST || !t->data || t->ndim != 2 || t->dims[0] != 4 ||
        t->dims[1] != 2 || (t->type != TFL_INT32 && t->type != TFL_INT64))
        return false;
    int64_t v[8];
    for (int i = 0; i < 8; ++i)
        v[i] = t->type == TFL_INT32 ? ((const int32_t *)t->data)[i]
                                    : ((const int64_t *)t->data)[i];
    if (v[0] || v[1] || v[6] || v[7])
        return false; /* batch or channels padded */
    for (int i = 2; i < 6; ++i)
        if (v[i] < 0 || v[i] > 1024)
            return false;
    p[0] = (int)v[2], p[1] = (int)v[3], p[2] = (int)v[4], p[3] = (int)v[5];
    return true;
}

/* PADV2's constant value, if given, must be the zero point. */
static bool pads_with_zero_point(const tfl__node *pad, const tfl_tensor *tensors,
                                 const tfl_tensor *out)
{
    if (pad->builtin_code == PAD || pad->num_inputs < 3 || pad->inputs[2] < 0)
        return true; /* PAD pads quantized tensors with the output's zero point */
    const tfl_tensor *v = &tensors[pad->inputs[2]];
    if (v->alloc != TFL__ALLOC_CONST || !v->data || v->type != out->type ||
        tfl__num_elements(v) != 1)
        return false;
    const int32_t value = v->type == TFL_UINT8 ? ((const uint8_t *)v->data)[0]
                                               : ((const int8_t *)v->data)[0];
    return value == out->zero_point;
}

/* The one node reading tensor t, as its input 0 only; NULL if any other. */
static tfl__node *sole_reader(tfl__node *nodes, int num_nodes, int32_t t)
{
    tfl__node *reader = NULL;
    for (int n = 0; n < num_nodes; ++n)
        for (int i = 0; i < nodes[n].num_inputs; ++i)
            if (nodes[n].inputs[i] == t) {
                if (reader || i != 0)
                    return NULL;
                reader = &nodes[n];
            }
    return reader;
}

int tfl__fuse_pads(tfl__node *nodes, int num_nodes, const tfl_tensor *tensors,
                   const int32_t *graph_outputs, int num_graph_outputs)
{
    for (int n = 0; n < num_nodes; ++n) {
        tfl__node *pad = &nodes[n];
        if ((pad->builtin_code != PAD && pad->builtin_code != PADV2) || pad->elided ||
            pad->num_inputs < 2 || pad->num_outputs != 1 || pad->inputs[0] < 0 ||
            pad->inputs[1] < 0)
            continue;
        const int32_t x = pad->inputs[0], y = pad->outputs[0];
        const tfl_tensor *in = &tensors[x], *out = &tensors[y];
        int p[4];
        if (!is_8bit(in) || in->type != out->type || in->ndim != 4 || out->is_variable ||
            !same_quantization(in, out) || !hw_paddings(&tensors[pad->inputs[1]], p) ||
            !pads_with_zero_point(pad, tensors, out))
            continue;
        bool graph_output = false;
        for (int i = 0; i < num_graph_outputs; ++i)
            graph_output = graph_output || graph_outputs[i] == y;
        tfl__node *conv = graph_output ? NULL : sole_reader(nodes, num_nodes, y);
        if (!conv || conv->index <= pad->index || conv->pad_fused ||
            (conv->builtin_code != CONV_2D && conv->builtin_code != DEPTHWISE_CONV_2D) ||
            tfl__fb_i8(&conv->options, F_PADDING, 0) != PADDING_VALID)
            continue;
        int32_t *inputs = malloc((size_t)conv->num_inputs * sizeof *inputs);
        if (!inputs)
            return -1;
        memcpy(inputs, conv->inputs, (size_t)conv->num_inputs * sizeof *inputs);
        inputs[0] = x;
        free(conv->own_inputs);
        conv->own_inputs = inputs;
        conv->inputs = inputs;
        conv->pad_fused = true;
        conv->pad_top = p[0];
        conv->pad_bottom = p[1];
        conv->pad_left = p[2];
        conv->pad_right = p[3];
        pad->elided = true;
    }
    return 0;
}
