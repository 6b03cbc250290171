// maxpool1d: see poolForward in spatial_util.h for the formula and work split.
#include "ops/spatial_util.h"

namespace archscope::ops {

const OpDef& op_maxpool1d() {
    static const OpDef d = poolOpDef("maxpool1d", 1, PoolMode::Max);
    return d;
}

}  // namespace archscope::ops
