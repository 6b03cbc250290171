// input: a graph input. Its tensor comes from the run request (`--input
// NAME=X.npy`) or is generated from the seed (normal f32, or ints in [0, high)).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_input() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "input";
        d.displayName = "Input";
        d.category = "Graph";
        d.doc = "A graph input with a symbolic shape such as \"B, T\" or \"B, 3, H, W\".";
        d.outputs = {{"y", PortType::Any, "the input tensor"}};
        d.attrs = {attrShape("shape", "B, T, 64", "dimensions, comma separated; may use declared sizes (B, T, ...)"),
                   attrEnum("dtype", "f32", {"f32", "i64"}, "element type"),
                   attrInt("high", 100, 1, 1e12, "i64 inputs are generated in [0, high) when not given")};
        d.infer = [](InferCtx& c) {
            Shape s;
            const std::string& text = c.attrs.s("shape");
            size_t start = 0;
            while (start <= text.size()) {
                size_t comma = text.find(',', start);
                std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (part.find_first_not_of(" \t") == std::string::npos) {
                    if (comma == std::string::npos && s.empty() && start == 0) break;  // "" = scalar
                    return c.error("attribute \"shape\": empty dimension in \"" + text + "\"");
                }
                part = part.substr(part.find_first_not_of(" \t"));
                part = part.substr(0, part.find_last_not_of(" \t") + 1);
                std::string err;
                auto dim = Dim::parse(part, c.bindings, &err);
                if (!dim) return c.error("attribute \"shape\": " + err);
                s.push_back(*dim);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            DType t;
            parseDType(c.attrs.s("dtype"), &t);
            c.out(s, t);
            return true;
        };
        d.cpu = [](KernelCtx&) {};  // filled by the executor from the run request
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
