/* Measured per-core multiply-accumulate peak of this CPU (peak.c). */
#ifndef TFL_CLI_PEAK_H
#define TFL_CLI_PEAK_H

typedef struct cli_peak {
    double f32_gmacs, int8_gmacs; /* per core; 0 = no SIMD path measured */
    const char *f32_isa, *int8_isa; /* the instruction measured, or "none" */
} cli_peak;

cli_peak cli_measure_peak(void);

#endif
