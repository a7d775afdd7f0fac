/* CPU feature detection: names round-trip, the formatted list matches the
 * bits, and on x86 Linux every feature agrees with the kernel's view in
 * /proc/cpuinfo (which also reflects what the OS saves: XGETBV). */
#include <stdio.h>
#include <string.h>

#include "core/cpu.h"
#include "test.h"
#include "tfl.h"

static void test_names(void)
{
    for (int i = 0; i < TFL__CPU_NUM_FEATURES; ++i) {
        const char *n = tfl__cpu_feature_name(1u << i);
        CHECK(n != NULL);
        if (n)
            CHECK_EQ_INT(tfl__cpu_feature_bit(n), 1u << i);
    }
    CHECK(tfl__cpu_feature_name(1u << TFL__CPU_NUM_FEATURES) == NULL);
    CHECK(tfl__cpu_feature_name(3) == NULL);
    CHECK_EQ_INT(tfl__cpu_feature_bit("avx1024"), 0);
    char buf[256];
    CHECK(strcmp(tfl__cpu_format(0, buf, sizeof buf), "none") == 0);
    CHECK(strcmp(tfl__cpu_format(TFL__CPU_AVX2 | TFL__CPU_AVX512VNNI, buf, sizeof buf),
                 "avx2 avx512vnni") == 0);
    char tiny[6];
    tfl__cpu_format(TFL__CPU_AVX2 | TFL__CPU_FMA, tiny, sizeof tiny);
    CHECK(strlen(tiny) < sizeof tiny);
    tfl__cpu_format(tfl__cpu_features(), buf, sizeof buf);
    CHECK(strcmp(buf, tfl_cpu_features()) == 0);
    CHECK(tfl__cpu_features() == tfl__cpu_features());
}

/* Is flag a whole word of the cpuinfo flags line? */
static int has_flag(const char *line, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = strstr(line, flag); p; p = strstr(p + 1, flag))
        if ((p == line || p[-1] == ' ' || p[-1] == '\t') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
            return 1;
    return 0;
}

static void test_matches_cpuinfo(void)
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) {
        printf("SKIP /proc/cpuinfo unreadable\n");
        return;
    }
    static char line[8192];
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "flags", 5) == 0) {
            found = 1;
            break;
        }
    fclose(f);
    CHECK(found);
    static const struct {
        uint32_t bit;
        const char *flag;
    } map[] = {{TFL__CPU_SSE41, "sse4_1"},         {TFL__CPU_AVX2, "avx2"},
               {TFL__CPU_FMA, "fma"},              {TFL__CPU_F16C, "f16c"},
               {TFL__CPU_AVX512F, "avx512f"},      {TFL__CPU_AVX512BW, "avx512bw"},
               {TFL__CPU_AVX512VL, "avx512vl"},    {TFL__CPU_AVX512VNNI, "avx512_vnni"},
               {TFL__CPU_AVXVNNI, "avx_vnni"},     {TFL__CPU_AMX_INT8, "amx_int8"}};
    uint32_t got = tfl__cpu_features();
    printf("detected: %s\n", tfl_cpu_features());
    for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i) {
        int want = has_flag(line, map[i].flag), have = (got & map[i].bit) != 0;
        if (want != have)
            fprintf(stderr, "%s: cpuinfo %d, detected %d\n", map[i].flag, want, have);
        /* AMX additionally needs the tile-data permission, which may be refused. */
        if (map[i].bit == TFL__CPU_AMX_INT8)
            CHECK(!have || want);
        else
            CHECK_EQ_INT(have, want);
    }
#else
    printf("SKIP not x86 Linux\n");
#endif
}

TFL_TEST_MAIN(TEST(test_names), TEST(test_matches_cpuinfo))
