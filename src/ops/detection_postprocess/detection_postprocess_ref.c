/* Reference kernels of TFLite_Detection_PostProcess: box decoding, greedy
 * non-max suppression, and the fast (per-box best classes) and regular
 * (per-class) multi-class variants, with TFLite's arithmetic and orderings. */
#include <math.h>
#include <string.h>

#include "ops/detection_postprocess/detection_postprocess.h"

void tfl_detection_postprocess_dequantize_u8__ref(const uint8_t *in, size_t rows, size_t stride,
                                                  size_t cols, int32_t zero_point, float scale,
                                                  float *out)
{
    /* in: [rows, stride]; out: [rows, cols]. One float rounding, as TFLite. */
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c)
            out[r * cols + c] = (float)((int32_t)in[r * stride + c] - zero_point) * scale;
}

void tfl_detection_postprocess_dequantize_s8__ref(const int8_t *in, size_t rows, size_t stride,
                                                  size_t cols, int32_t zero_point, float scale,
                                                  float *out)
{
    /* in: [rows, stride]; out: [rows, cols]. */
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c)
            out[r * cols + c] = (float)((int32_t)in[r * stride + c] - zero_point) * scale;
}

void tfl_detection_postprocess_decode_f32__ref(const float *enc, size_t enc_stride,
                                               const float *anchors, const tfl_dpp_params *p,
                                               float *boxes, size_t start, size_t end)
{
    /* enc: [num_boxes, enc_stride] as (y, x, h, w, ...); anchors: [num_boxes, 4] as
     * (y, x, h, w); boxes: [num_boxes, 4] as (ymin, xmin, ymax, xmax). TFLite
     * computes centers and half sizes in double and rounds each to float once. */
    const double sy = p->y_scale, sx = p->x_scale, sh = p->h_scale, sw = p->w_scale;
    for (size_t i = start; i < end; ++i) {
        const float *e = enc + i * enc_stride;
        const float *a = anchors + i * 4;
        float yc = (float)((double)e[0] / sy * (double)a[2] + (double)a[0]);
        float xc = (float)((double)e[1] / sx * (double)a[3] + (double)a[1]);
        float half_h = (float)(0.5 * exp((double)e[2] / sh) * (double)a[2]);
        float half_w = (float)(0.5 * exp((double)e[3] / sw) * (double)a[3]);
        float *b = boxes + i * 4;
        b[0] = yc - half_h;
        b[1] = xc - half_w;
        b[2] = yc + half_h;
        b[3] = xc + half_w;
    }
}

int32_t tfl_detection_postprocess_first_inverted_box(const float *boxes, int32_t num_boxes)
{
    /* boxes: [num_boxes, 4]. NaN coordinates pass, as in TFLite. */
    for (int32_t i = 0; i < num_boxes; ++i) {
        const float *b = boxes + (size_t)i * 4;
        if (b[0] > b[2] || b[1] > b[3])
            return i;
    }
    return -1;
}

/* std::max<float> / std::min<float>: the first argument wins unless the
 * comparison says otherwise (matters for NaN). */
static float max_f(float a, float b)
{
    return a < b ? b : a;
}
static float min_f(float a, float b)
{
    return b < a ? b : a;
}

static float iou(const float *boxes, int32_t i, int32_t j)
{
    /* boxes: [num_boxes, 4] as (ymin, xmin, ymax, xmax). */
    const float *a = boxes + (size_t)i * 4, *b = boxes + (size_t)j * 4;
    const float area_a = (a[2] - a[0]) * (a[3] - a[1]);
    const float area_b = (b[2] - b[0]) * (b[3] - b[1]);
    if (area_a <= 0 || area_b <= 0)
        return 0.0f;
    const float ymin = max_f(a[0], b[0]), xmin = max_f(a[1], b[1]);
    const float ymax = min_f(a[2], b[2]), xmax = min_f(a[3], b[3]);
    const float inter = max_f(ymax - ymin, 0.0f) * max_f(xmax - xmin, 0.0f);
    return inter / (area_a + area_b - inter);
}

/* Stable sort of idx[0..n) by v[idx] descending (bottom-up merge sort); any
 * stable sort gives the same order as TFLite's std::stable_sort. */
static void stable_sort_desc(int32_t *idx, int32_t *tmp, int32_t n, const float *v)
{
    int32_t *src = idx, *dst = tmp;
    for (int32_t width = 1; width < n; width *= 2) {
        for (int32_t lo = 0; lo < n; lo += 2 * width) {
            int32_t mid = lo + width < n ? lo + width : n;
            int32_t hi = mid + width < n ? mid + width : n;
            int32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = v[src[j]] > v[src[i]] ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, (size_t)n * sizeof *idx);
}

/* Greedy NMS over one score per box: candidates are scores >= threshold in
 * decreasing score order (ties: lower box first); a candidate is kept unless
 * a kept box overlaps it by more than the IoU threshold. Writes up to
 * max_out box indices to w->selected and returns how many. */
static int32_t nms_single(const float *boxes, const float *scores, const tfl_dpp_params *p,
                          int32_t max_out, const tfl_dpp_work *w)
{
    /* scores: [num_boxes] */
    int32_t kept = 0;
    for (int32_t i = 0; i < p->num_boxes; ++i) {
        if (scores[i] >= p->score_threshold) {
            w->cand_scores[kept] = scores[i];
            w->cand_box[kept] = i;
            ++kept;
        }
    }
    for (int32_t i = 0; i < kept; ++i)
        w->order[i] = i;
    stable_sort_desc(w->order, w->sort_tmp, kept, w->cand_scores);

    const int32_t out_size = kept < max_out ? kept : max_out;
    int32_t num_selected = 0, num_active = kept;
    memset(w->active, 1, (size_t)(uint32_t)kept); /* kept >= 0 */
    for (int32_t i = 0; i < kept; ++i) {
        if (num_active == 0 || num_selected >= out_size)
            break;
        if (!w->active[i])
            continue;
        const int32_t bi = w->cand_box[w->order[i]];
        w->selected[num_selected++] = bi;
        w->active[i] = 0;
        --num_active;
        for (int32_t j = i + 1; j < kept; ++j) {
            if (w->active[j] && iou(boxes, bi, w->cand_box[w->order[j]]) > p->iou_threshold) {
                w->active[j] = 0;
                --num_active;
            }
        }
    }
    return num_selected;
}

/* libstdc++'s std::partial_sort (heap select + heap sort) on indices with
 * the comparison v[a] > v[b]. It is not stable, so ties among classes come
 * out in the order this exact heap procedure leaves them, which is what
 * TFLite (built against libstdc++) reports. */
#define DPP_GT(a, b) (v[(a)] > v[(b)])

static void adjust_heap(int32_t *first, ptrdiff_t hole, ptrdiff_t len, int32_t value,
                        const float *v)
{
    const ptrdiff_t top = hole;
    ptrdiff_t child = hole;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (DPP_GT(first[child], first[child - 1]))
            --child;
        first[hole] = first[child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        first[hole] = first[child - 1];
        hole = child - 1;
    }
    ptrdiff_t parent = (hole - 1) / 2;
    while (hole > top && DPP_GT(first[parent], value)) {
        first[hole] = first[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    first[hole] = value;
}

static void pop_heap(int32_t *first, ptrdiff_t len, int32_t *result, const float *v)
{
    int32_t value = *result;
    *result = first[0];
    adjust_heap(first, 0, len, value, v);
}

static void partial_sort_desc(int32_t *idx, int32_t n, int32_t k, const float *v)
{
    /* make_heap over [0, k) */
    if (k >= 2) {
        for (ptrdiff_t parent = (k - 2) / 2;; --parent) {
            adjust_heap(idx, parent, k, idx[parent], v);
            if (parent == 0)
                break;
        }
    }
    for (int32_t i = k; i < n; ++i)
        if (DPP_GT(idx[i], idx[0]))
            pop_heap(idx, k, &idx[i], v);
    for (ptrdiff_t last = k; last > 1;) {
        --last;
        pop_heap(idx, last, &idx[last], v);
    }
}
#undef DPP_GT

/* TFLite's ArgMaxVector: first maximum, NaN skipped (all NaN: index 0). */
static int32_t argmax(const float *v, int32_t n)
{
    int32_t best = 0;
    float best_v = v[0];
    for (int32_t i = 1; i < n; ++i) {
        if (!isnan(v[i]) && (isnan(best_v) || v[i] > best_v)) {
            best_v = v[i];
            best = i;
        }
    }
    return best;
}

/* The best k classes of one box, best first, into order[0..k). */
static void top_classes(const float *box_scores, int32_t num_classes, int32_t k, int32_t *order)
{
    if (k == 1) {
        order[0] = argmax(box_scores, num_classes);
        return;
    }
    for (int32_t c = 0; c < num_classes; ++c)
        order[c] = c;
    partial_sort_desc(order, num_classes, k, box_scores);
}

static void copy_box(float *dst, const float *boxes, int32_t i)
{
    memcpy(dst, boxes + (size_t)i * 4, 4 * sizeof *dst);
}

int32_t tfl_detection_postprocess_nms_fast_f32__ref(const float *boxes, const float *scores,
                                                    const tfl_dpp_params *p, const tfl_dpp_work *w,
                                                    const tfl_dpp_out *out)
{
    /* boxes: [num_boxes, 4]; scores: [num_boxes, num_classes_with_bg]. Each box
     * competes with its best class score; kept boxes report their top
     * min(max_classes_per_detection, num_classes) classes. */
    const int32_t nc = p->num_classes;
    const int32_t k = p->max_classes_per_detection < nc ? p->max_classes_per_detection : nc;
    const size_t row = (size_t)p->num_classes_with_bg;
    for (int32_t b = 0; b < p->num_boxes; ++b) {
        const float *s = scores + (size_t)b * row + p->label_offset;
        top_classes(s, nc, k, w->class_order);
        w->box_scores[b] = s[w->class_order[0]];
    }
    const int32_t n = nms_single(boxes, w->box_scores, p, p->max_detections, w);
    for (int32_t d = 0; d < n; ++d) {
        const int32_t b = w->selected[d];
        const float *s = scores + (size_t)b * row + p->label_offset;
        /* Recomputed rather than kept for every box: the same procedure on
         * the same scores gives the same classes. */
        top_classes(s, nc, k, w->class_order);
        for (int32_t c = 0; c < k; ++c) {
            const size_t o = (size_t)d * (size_t)p->max_classes_per_detection + (size_t)c;
            copy_box(out->boxes + o * 4, boxes, b);
            out->classes[o] = (float)w->class_order[c];
            out->scores[o] = s[w->class_order[c]];
        }
    }
    return n;
}

int32_t tfl_detection_postprocess_nms_regular_f32__ref(const float *boxes, const float *scores,
                                                       const tfl_dpp_params *p,
                                                       const tfl_dpp_work *w,
                                                       const tfl_dpp_out *out)
{
    /* boxes: [num_boxes, 4]; scores: [num_boxes, num_classes_with_bg]. NMS per
     * class, then the best max_detections over all classes. Merging keeps
     * earlier classes first among equal scores, like TFLite's single-thread
     * std::inplace_merge. */
    const size_t row = (size_t)p->num_classes_with_bg;
    int32_t count = 0;
    for (int32_t c = 0; c < p->num_classes; ++c) {
        const float *col = scores + p->label_offset + c;
        for (int32_t b = 0; b < p->num_boxes; ++b)
            w->box_scores[b] = col[(size_t)b * row];
        const int32_t n = nms_single(boxes, w->box_scores, p, p->detections_per_class, w);
        if (n == 0)
            continue;
        const int32_t total = count + n < p->max_detections ? count + n : p->max_detections;
        int32_t i = 0, j = 0;
        for (int32_t k = 0; k < total; ++k) {
            float sj = j < n ? w->box_scores[w->selected[j]] : 0.0f;
            if (j < n && (i >= count || sj > w->dets[i].score)) {
                w->dets_tmp[k].box = w->selected[j];
                w->dets_tmp[k].cls = c;
                w->dets_tmp[k].score = sj;
                ++j;
            } else {
                w->dets_tmp[k] = w->dets[i++];
            }
        }
        memcpy(w->dets, w->dets_tmp, (size_t)total * sizeof *w->dets);
        count = total;
    }
    for (int32_t d = 0; d < count; ++d) {
        copy_box(out->boxes + (size_t)d * 4, boxes, w->dets[d].box);
        out->classes[d] = (float)w->dets[d].cls;
        out->scores[d] = w->dets[d].score;
    }
    return count;
}
