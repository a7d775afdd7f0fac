/* TFLite_Detection_PostProcess: parameters and kernels shared by the op
 * (detection_postprocess.c) and its reference kernels (_ref.c). */
#ifndef TFL_OPS_DETECTION_POSTPROCESS_H
#define TFL_OPS_DETECTION_POSTPROCESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_dpp_params {
    /* From the custom options. */
    int32_t max_detections;
    int32_t max_classes_per_detection; /* fast NMS: classes reported per box */
    int32_t detections_per_class;      /* regular NMS: min(option, max_detections) */
    int32_t num_classes;
    float score_threshold; /* scores >= this are candidates */
    float iou_threshold;   /* boxes overlapping more than this are suppressed */
    float y_scale, x_scale, h_scale, w_scale;
    /* From the input shapes. */
    int32_t num_boxes;
    int32_t num_classes_with_bg; /* class predictions' last dimension */
    int32_t label_offset;        /* 1 when column 0 is a background class */
} tfl_dpp_params;

/* One regular-NMS detection. */
typedef struct tfl_dpp_det {
    int32_t box;
    int32_t cls;
    float score;
} tfl_dpp_det;

/* Work memory for the NMS kernels (slices of the op's scratch). */
typedef struct tfl_dpp_work {
    float *box_scores;     /* [num_boxes]: per-box max (fast) or one class (regular) */
    float *cand_scores;    /* [num_boxes]: scores that pass the threshold */
    int32_t *cand_box;     /* [num_boxes]: their box indices */
    int32_t *order;        /* [num_boxes]: candidates sorted by score */
    int32_t *sort_tmp;     /* [num_boxes] */
    uint8_t *active;       /* [num_boxes] */
    int32_t *selected;     /* [max(max_detections, detections_per_class)] */
    int32_t *class_order;  /* [num_classes] (fast NMS) */
    tfl_dpp_det *dets;     /* [max_detections + detections_per_class] (regular NMS) */
    tfl_dpp_det *dets_tmp; /* [max_detections + detections_per_class] */
} tfl_dpp_work;

/* The four outputs; rows past the detections must already be zero. */
typedef struct tfl_dpp_out {
    float *boxes;   /* [max_detections * max_classes_per_detection, 4] ymin, xmin, ymax, xmax */
    float *classes; /* [max_detections * max_classes_per_detection] */
    float *scores;  /* [max_detections * max_classes_per_detection] */
} tfl_dpp_out;

/* Center-size encodings + anchors -> corner boxes, for boxes [start, end).
 * enc: [num_boxes, enc_stride] (y, x, h, w first); anchors, boxes: [num_boxes, 4]. */
typedef void (*tfl_dpp_decode_fn)(const float *enc, size_t enc_stride, const float *anchors,
                                  const tfl_dpp_params *p, float *boxes, size_t start, size_t end);
/* NMS over decoded boxes [num_boxes, 4] and scores [num_boxes, num_classes_with_bg];
 * writes the detections and returns how many there are. */
typedef int32_t (*tfl_dpp_nms_fn)(const float *boxes, const float *scores, const tfl_dpp_params *p,
                                  const tfl_dpp_work *w, const tfl_dpp_out *out);

void tfl_detection_postprocess_decode_f32__ref(const float *enc, size_t enc_stride,
                                               const float *anchors, const tfl_dpp_params *p,
                                               float *boxes, size_t start, size_t end);
int32_t tfl_detection_postprocess_nms_fast_f32__ref(const float *boxes, const float *scores,
                                                    const tfl_dpp_params *p, const tfl_dpp_work *w,
                                                    const tfl_dpp_out *out);
int32_t tfl_detection_postprocess_nms_regular_f32__ref(const float *boxes, const float *scores,
                                                       const tfl_dpp_params *p,
                                                       const tfl_dpp_work *w,
                                                       const tfl_dpp_out *out);

/* Quantized -> float: (q - zero_point) * scale, for `cols` of every `stride`
 * values in `rows` rows. in: [rows, stride]; out: [rows, cols]. */
void tfl_detection_postprocess_dequantize_u8__ref(const uint8_t *in, size_t rows, size_t stride,
                                                  size_t cols, int32_t zero_point, float scale,
                                                  float *out);
void tfl_detection_postprocess_dequantize_s8__ref(const int8_t *in, size_t rows, size_t stride,
                                                  size_t cols, int32_t zero_point, float scale,
                                                  float *out);

/* Index of the first decoded box [num_boxes, 4] with ymin > ymax or
 * xmin > xmax (TFLite rejects those), or -1. */
int32_t tfl_detection_postprocess_first_inverted_box(const float *boxes, int32_t num_boxes);

#endif
