// PyTorch export of recurrences (scan, linear_mix) and mixture of experts.
#include "interop/pytorch_export_ctx.h"

namespace archscope::pyout {

const std::map<std::string, PyFn>& seqPyTable() {
    static const std::map<std::string, PyFn> t = {
    };
    return t;
}

const char* seqPyPrelude() { return ""; }

}  // namespace archscope::pyout
