// constant: y = value, a parameter of a fixed shape with no inputs.
// Holds tensors that feed computation directly, e.g. the cos/sin tables of an
// imported rotary embedding or a precomputed mask. Kernel: one memcpy.
#include "ops/common.h"
#include "ops/interop_util.h"

#include <cstring>

namespace archscope::ops {

const OpDef& op_constant() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "constant";
        d.displayName = "Constant";
        d.category = "Core";
        d.doc = "A fixed tensor stored with the weights (parameter \"value\"): tables, masks and other constants of imported models.";
        d.outputs = {{"y", PortType::F32, "the stored tensor"}};
        d.attrs = {attrShape("shape", "1", "dimensions of the tensor, comma separated (empty for a scalar)"),
                   attrEnum("init", "zeros", {"zeros", "ones", "normal"}, "initial value when no weights file provides it")};
        d.infer = [](InferCtx& c) {
            Shape s;
            if (!parseShapeAttr(c, "shape", &s)) return false;
            c.out(s);
            const std::string& init = c.attrs.s("init");
            c.param("value", shapeValues(s), init == "ones" ? Init::Ones : init == "normal" ? Init::Normal : Init::Zeros, 1.0f);
            return true;
        };
        d.cpu = [](KernelCtx& k) { std::memcpy(k.out(0).raw(), k.param(0).raw(), k.out(0).byteSize()); };
        d.bytes = [](const InferCtx& c) { return 2 * int64_t(sizeof(float)) * outNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
