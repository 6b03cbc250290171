// The one list of core ops. Adding an op: write engine/ops/<id>.cpp defining
// `const OpDef& op_<id>()`, and add X(<id>) below.
#include "core/registry.h"

#include <stdexcept>

// Sections keep concurrent additions apart; order within the list does not matter.
#define ARCHSCOPE_CORE_OPS(X)                 \
    /* graph boundary */ X(input) X(output)   \
    /* core */ X(linear) X(add) X(relu)       \
    /* elementwise, activations, norms */     \
    /* layout, conv, pooling, sequence */

namespace archscope {
namespace ops {
#define ARCHSCOPE_DECLARE(id) const OpDef& op_##id();
ARCHSCOPE_CORE_OPS(ARCHSCOPE_DECLARE)
#undef ARCHSCOPE_DECLARE
}  // namespace ops

void registerCoreOps(OpRegistry& r) {
    std::string err;
#define ARCHSCOPE_REGISTER(id)                                                             \
    if (!r.add(std::shared_ptr<const OpDef>(&ops::op_##id(), [](const OpDef*) {}), &err)) \
        throw std::logic_error("core op registration: " + err);
    ARCHSCOPE_CORE_OPS(ARCHSCOPE_REGISTER)
#undef ARCHSCOPE_REGISTER
}

}  // namespace archscope
