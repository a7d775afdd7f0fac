/* Op lookup by builtin code or custom code, built from ops.def. */
#include <string.h>

#include "ops/op.h"

#define TFL_OP(NAME, CODE, SYM) extern const tfl__op tfl__op_##SYM;
#define TFL_CUSTOM_OP(CODE, SYM) extern const tfl__op tfl__op_##SYM;
#include "ops/ops.def"
#undef TFL_OP
#undef TFL_CUSTOM_OP

static const tfl__op *const all_ops[] = {
#define TFL_OP(NAME, CODE, SYM) &tfl__op_##SYM,
#define TFL_CUSTOM_OP(CODE, SYM) &tfl__op_##SYM,
#include "ops/ops.def"
#undef TFL_OP
#undef TFL_CUSTOM_OP
    NULL};

const tfl__op *tfl__find_op(int builtin_code, const char *custom_code, int version,
                            bool *version_unsupported)
{
    *version_unsupported = false;
    for (const tfl__op *const *p = all_ops; *p; ++p) {
        const tfl__op *op = *p;
        if (op->builtin_code != builtin_code)
            continue;
        if (builtin_code == TFL__CUSTOM &&
            (!custom_code || !op->custom_code || strcmp(custom_code, op->custom_code) != 0))
            continue;
        if (version < op->min_version || version > op->max_version) {
            *version_unsupported = true;
            continue;
        }
        return op;
    }
    return NULL;
}
