// avgpool2d: see poolForward in spatial_util.h for the formula and work split.
#include "ops/spatial_util.h"

namespace archscope::ops {

const OpDef& op_avgpool2d() {
    static const OpDef d = poolOpDef("avgpool2d", 2, PoolMode::Avg);
    return d;
}

}  // namespace archscope::ops
