/* NON_MAX_SUPPRESSION_V4 (120) and NON_MAX_SUPPRESSION_V5 (121), as TFLite's
 * reference_ops::NonMaxSuppression: greedy selection of boxes by score,
 * dropping a candidate whose IoU with an already selected box reaches the
 * threshold; with a sigma > 0 (V5, soft NMS) overlaps decay a candidate's
 * score by exp(-0.5 / sigma * iou^2) instead, and it goes back into the
 * queue. Candidates come out of a max-heap kept exactly as libstdc++'s
 * std::priority_queue keeps it, so equal scores leave in TFLite's order.
 *
 * Inputs: 0 boxes [n, 4] float32 (y1, x1, y2, x2, any corner order),
 * 1 scores [n], 2 max_output_size (int32 scalar), 3 iou_threshold,
 * 4 score_threshold (float32 scalars), V5: 5 soft_nms_sigma. Outputs:
 * selected indices [max_output_size] int32 (zeros past the count),
 * V5: selected scores [max_output_size], then the count (int32 scalar).
 * A non-constant max_output_size makes the first outputs dynamic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"

enum { BOXES, SCORES, MAX_OUT, IOU, SCORE_THRESHOLD, SIGMA };

typedef struct candidate {
    int index;
    float score;
    int suppress_begin;
} candidate;

static bool scalar_of(const tfl_tensor *t, tfl_type type)
{
    return t && t->type == type && t->ndim == 0;
}

static tfl_status nms_prepare(tfl__ctx *ctx, tfl__node *node)
{
    const bool soft = node->num_inputs == 6;
    tfl_status s = tfl__check_io(ctx, node, 5, 6, soft ? 3 : 2);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *boxes = tfl__input(ctx, node, BOXES), *scores = tfl__input(ctx, node, SCORES);
    const tfl_tensor *max_out = tfl__input(ctx, node, MAX_OUT);
    if (!boxes || boxes->type != TFL_FLOAT32 || boxes->ndim != 2 || boxes->dims[1] != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "boxes must be float32 [n, 4]");
    if (!scores || scores->type != TFL_FLOAT32 || scores->ndim != 1 ||
        scores->dims[0] != boxes->dims[0])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "scores must be float32 [%d]",
                            (int)boxes->dims[0]);
    if (!scalar_of(max_out, TFL_INT32))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "max_output_size must be an int32 scalar");
    if (!scalar_of(tfl__input(ctx, node, IOU), TFL_FLOAT32) ||
        !scalar_of(tfl__input(ctx, node, SCORE_THRESHOLD), TFL_FLOAT32) ||
        (soft && !scalar_of(tfl__input(ctx, node, SIGMA), TFL_FLOAT32)))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "thresholds must be float32 scalars");
    tfl_tensor *indices = tfl__output(ctx, node, 0);
    tfl_tensor *sel_scores = soft ? tfl__output(ctx, node, 1) : NULL;
    tfl_tensor *count = tfl__output(ctx, node, soft ? 2 : 1);
    if ((s = tfl__check_type(ctx, node, indices, "selected indices", TFL_INT32)) != TFL_OK ||
        (soft && (s = tfl__check_type(ctx, node, sel_scores, "selected scores", TFL_FLOAT32)) !=
                     TFL_OK) ||
        (s = tfl__check_type(ctx, node, count, "count", TFL_INT32)) != TFL_OK)
        return s;
    if ((s = tfl__resize(ctx, node, count, NULL, 0)) != TFL_OK)
        return s;
    const int32_t n = boxes->dims[0];
    node->scratch_bytes = (size_t)(n > 0 ? n : 1) * sizeof(candidate);
    if (tfl__is_const(max_out)) {
        int32_t m;
        memcpy(&m, max_out->data, sizeof m);
        if (m < 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "max_output_size %d is negative",
                                (int)m);
        if ((s = tfl__resize(ctx, node, indices, &m, 1)) != TFL_OK ||
            (soft && (s = tfl__resize(ctx, node, sel_scores, &m, 1)) != TFL_OK))
            return s;
        node->work = tfl__work((uint64_t)n + 1, (uint64_t)(m < n ? m : n) + 1, 1);
    } else {
        tfl__set_dynamic(indices);
        if (soft)
            tfl__set_dynamic(sel_scores);
        node->work = tfl__work((uint64_t)n + 1, (uint64_t)n + 1, 1);
    }
    return TFL_OK;
}

/* std::min and std::max on floats, NaN included: (b < a) ? b : a and
 * (a < b) ? b : a (fminf and fmaxf would drop a NaN TFLite keeps). */
static float smin(float a, float b) { return b < a ? b : a; }
static float smax(float a, float b) { return a < b ? b : a; }

/* TFLite's ComputeIntersectionOverUnion. */
static float iou(const float *boxes, int i, int j)
{
    const float *a = boxes + 4 * (size_t)i, *b = boxes + 4 * (size_t)j;
    const float ay0 = smin(a[0], a[2]), ay1 = smax(a[0], a[2]);
    const float ax0 = smin(a[1], a[3]), ax1 = smax(a[1], a[3]);
    const float by0 = smin(b[0], b[2]), by1 = smax(b[0], b[2]);
    const float bx0 = smin(b[1], b[3]), bx1 = smax(b[1], b[3]);
    const float area_a = (ay1 - ay0) * (ax1 - ax0), area_b = (by1 - by0) * (bx1 - bx0);
    if (area_a <= 0 || area_b <= 0)
        return 0.0f;
    const float ih = smax(smin(ay1, by1) - smax(ay0, by0), 0.0f);
    const float iw = smax(smin(ax1, bx1) - smax(ax0, bx0), 0.0f);
    const float inter = ih * iw;
    return inter / (area_a + area_b - inter);
}

/* libstdc++'s std::push_heap / std::pop_heap with comparison a.score <
 * b.score: the same layout gives the same order among equal scores. */
static void sift_up(candidate *h, int hole, int top, candidate v)
{
    int parent = (hole - 1) / 2;
    while (hole > top && h[parent].score < v.score) {
        h[hole] = h[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    h[hole] = v;
}

static void heap_push(candidate *h, int *len, candidate v)
{
    h[*len] = v;
    ++*len;
    sift_up(h, *len - 1, 0, v);
}

static candidate heap_pop(candidate *h, int *len)
{
    candidate top = h[0];
    const int n = *len - 1; /* the heap without its last slot */
    candidate v = h[n];
    h[n] = top;
    int hole = 0, child = 0;
    while (child < (n - 1) / 2) {
        child = 2 * (child + 1);
        if (h[child].score < h[child - 1].score)
            --child;
        h[hole] = h[child];
        hole = child;
    }
    if ((n & 1) == 0 && n >= 2 && child == (n - 2) / 2) {
        child = 2 * (child + 1);
        h[hole] = h[child - 1];
        hole = child - 1;
    }
    if (n > 0)
        sift_up(h, hole, 0, v);
    *len = n;
    return top;
}

static tfl_status nms_eval(tfl__ctx *ctx, tfl__node *node)
{
    const bool soft = node->num_inputs == 6;
    const tfl_tensor *boxes_t = tfl__input(ctx, node, BOXES);
    const float *boxes = (const float *)(const void *)boxes_t->data;
    const float *scores = (const float *)(const void *)tfl__input(ctx, node, SCORES)->data;
    int32_t max_out;
    float iou_threshold, score_threshold, sigma = 0.0f;
    memcpy(&max_out, tfl__input(ctx, node, MAX_OUT)->data, sizeof max_out);
    memcpy(&iou_threshold, tfl__input(ctx, node, IOU)->data, sizeof iou_threshold);
    memcpy(&score_threshold, tfl__input(ctx, node, SCORE_THRESHOLD)->data, sizeof(float));
    if (soft)
        memcpy(&sigma, tfl__input(ctx, node, SIGMA)->data, sizeof sigma);
    if (max_out < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_INVALID_ARGUMENT,
                            "max_output_size %d is negative", (int)max_out);
    if (sigma < 0.0f)
        return tfl__op_fail(ctx, node, TFL_ERROR_INVALID_ARGUMENT,
                            "soft_nms_sigma %g is negative", (double)sigma);
    tfl_tensor *indices_t = tfl__output(ctx, node, 0);
    tfl_tensor *scores_t = soft ? tfl__output(ctx, node, 1) : NULL;
    tfl_tensor *count_t = tfl__output(ctx, node, soft ? 2 : 1);
    tfl_status s;
    if (indices_t->alloc == TFL__ALLOC_DYNAMIC &&
        ((s = tfl__resize(ctx, node, indices_t, &max_out, 1)) != TFL_OK ||
         (soft && (s = tfl__resize(ctx, node, scores_t, &max_out, 1)) != TFL_OK)))
        return s;
    int32_t *selected = (int32_t *)(void *)indices_t->data;
    float *sel_scores = soft ? (float *)(void *)scores_t->data : NULL;
    const int n = boxes_t->dims[0];
    candidate *heap = ctx->scratch;
    int len = 0;
    for (int i = 0; i < n; ++i)
        if (scores[i] > score_threshold)
            heap_push(heap, &len, (candidate){i, scores[i], 0});
    int num = 0;
    const int num_outputs = len < max_out ? len : max_out;
    const float scale = sigma > 0.0f ? (float)(-0.5 / (double)sigma) : 0.0f;
    while (num < num_outputs && len > 0) {
        candidate c = heap_pop(heap, &len);
        const float original = c.score;
        bool hard = false;
        for (int j = num - 1; j >= c.suppress_begin; --j) {
            const float v = iou(boxes, c.index, selected[j]);
            if (v >= iou_threshold) {
                hard = true;
                break;
            }
            if (sigma > 0.0f)
                c.score = c.score * expf(scale * v * v);
            if (c.score <= score_threshold)
                break;
        }
        c.suppress_begin = num;
        if (!hard) {
            if (c.score == original) {
                selected[num] = c.index;
                if (sel_scores)
                    sel_scores[num] = c.score;
                ++num;
            }
            if (c.score > score_threshold)
                heap_push(heap, &len, c);
        }
    }
    for (int i = num; i < max_out; ++i) {
        selected[i] = 0;
        if (sel_scores)
            sel_scores[i] = 0.0f;
    }
    memcpy(count_t->data, &num, sizeof num);
    return TFL_OK;
}

const tfl__op tfl__op_non_max_suppression_v4 = {
    .builtin_code = 120,
    .min_version = 1,
    .max_version = 1,
    .prepare = nms_prepare,
    .eval = nms_eval,
};

const tfl__op tfl__op_non_max_suppression_v5 = {
    .builtin_code = 121,
    .min_version = 1,
    .max_version = 1,
    .prepare = nms_prepare,
    .eval = nms_eval,
};
