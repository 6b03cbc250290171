// PyTorch export of position, mask, window and selection ops.
#include "interop/pytorch_export_ctx.h"

namespace archscope::pyout {

const std::map<std::string, PyFn>& morePyTable() {
    static const std::map<std::string, PyFn> t = {
    };
    return t;
}

const char* morePyPrelude() { return ""; }

}  // namespace archscope::pyout
