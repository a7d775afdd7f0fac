/* A minimal test framework: CHECK records a failure and goes on; tests are
 * plain functions run by TFL_TEST_MAIN. Exit 77 marks a skipped test. */
#ifndef TFL_TEST_H
#define TFL_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tfl_test_failures;
static int tfl_test_checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        ++tfl_test_checks;                                                           \
        if (!(cond)) {                                                               \
            ++tfl_test_failures;                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                              \
    do {                                                                                \
        long long va_ = (long long)(a), vb_ = (long long)(b);                           \
        ++tfl_test_checks;                                                              \
        if (va_ != vb_) {                                                               \
            ++tfl_test_failures;                                                        \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld vs %lld\n", __FILE__, __LINE__, \
                    #a, #b, va_, vb_);                                                  \
        }                                                                               \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                              \
    do {                                                                                   \
        double va_ = (double)(a), vb_ = (double)(b);                                       \
        ++tfl_test_checks;                                                                 \
        if (!(fabs(va_ - vb_) <= (tol))) {                                                 \
            ++tfl_test_failures;                                                           \
            fprintf(stderr, "%s:%d: %s ~= %s failed: %.9g vs %.9g\n", __FILE__, __LINE__, \
                    #a, #b, va_, vb_);                                                     \
        }                                                                                  \
    } while (0)

/* Substring check on messages. */
#define CHECK_CONTAINS(haystack, needle)                                                   \
    do {                                                                                   \
        const char *h_ = (haystack);                                                       \
        ++tfl_test_checks;                                                                 \
        if (!h_ || !strstr(h_, (needle))) {                                                \
            ++tfl_test_failures;                                                           \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
                    h_ ? h_ : "(null)", (needle));                                         \
        }                                                                                  \
    } while (0)

typedef void (*tfl_test_fn)(void);
typedef struct {
    const char *name;
    tfl_test_fn fn;
} tfl_test_case;

#define TFL_TEST_MAIN(...)                                                         \
    int main(void)                                                                 \
    {                                                                              \
        static const tfl_test_case cases[] = {__VA_ARGS__};                        \
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {              \
            int before = tfl_test_failures;                                        \
            cases[i].fn();                                                         \
            printf("%s %s\n", tfl_test_failures == before ? "ok  " : "FAIL",      \
                   cases[i].name);                                                 \
        }                                                                          \
        printf("%d checks, %d failures\n", tfl_test_checks, tfl_test_failures);    \
        return tfl_test_failures ? 1 : 0;                                          \
    }
#define TEST(fn) {#fn, fn}

#endif
