// The Vulkan kernel of a plugin op: one dispatch of the plugin's SPIR-V with
// every tensor bound as a storage buffer (inputs, params, outputs), the
// push-constant block filled from the declared fields, and one invocation per
// element or row of the grid tensor (layout documented in archscope_plugin.h).
// A node the kernel cannot take (32-bit index overflow, a bad field index)
// declines with a reason and runs on the CPU kernel instead.
#include "plugins/plugin_adapter.h"

#include "runtime/vulkan/kernel.h"

namespace archscope {

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }

constexpr uint32_t kSpirvMagic = 0x07230203u;

bool checkStatic(const archscope_vulkan_kernel& k, const OpDef& def, std::string* err) {
    if (!k.spirv || k.spirv_words < 5 || k.spirv[0] != kSpirvMagic) { *err = "vulkan.spirv is not SPIR-V (bad magic number or too short)"; return false; }
    if (k.local_size_x == 0 || k.local_size_x > 1024) { *err = "vulkan.local_size_x must be 1..1024"; return false; }
    if (k.grid != ARCHSCOPE_GRID_NUMEL && k.grid != ARCHSCOPE_GRID_ROWS) { *err = "vulkan.grid must be ARCHSCOPE_GRID_NUMEL or ARCHSCOPE_GRID_ROWS"; return false; }
    if (k.grid_tensor < 0) { *err = "vulkan.grid_tensor must be a binding index"; return false; }
    if (k.push_count < 0 || k.push_count > ARCHSCOPE_MAX_PUSH_FIELDS || (k.push_count > 0 && !k.push)) {
        *err = "vulkan.push_count must be 0.." + std::to_string(ARCHSCOPE_MAX_PUSH_FIELDS) + " with a push array";
        return false;
    }
    for (int32_t i = 0; i < k.push_count; ++i) {
        const archscope_push_field& f = k.push[i];
        const std::string w = "vulkan.push[" + std::to_string(i) + "]: ";
        switch (f.kind) {  // push-constant field kinds, not ops
        case ARCHSCOPE_PUSH_NUMEL:
        case ARCHSCOPE_PUSH_ROWS:
        case ARCHSCOPE_PUSH_DIM:
            if (f.tensor < 0) { *err = w + "tensor must be a binding index"; return false; }
            break;
        case ARCHSCOPE_PUSH_PRESENT:
            if (f.tensor < 0 || f.tensor >= int(def.inputs.size())) { *err = w + "PRESENT needs an input index"; return false; }
            break;
        case ARCHSCOPE_PUSH_ATTR_INT:
        case ARCHSCOPE_PUSH_ATTR_FLOAT: {
            if (f.attr < 0 || f.attr >= int(def.attrs.size())) { *err = w + "attr " + std::to_string(f.attr) + " is not an attribute index"; return false; }
            AttrType t = def.attrs[size_t(f.attr)].type;
            bool ok = f.kind == ARCHSCOPE_PUSH_ATTR_INT ? (t == AttrType::Int || t == AttrType::Bool) : (t == AttrType::Float || t == AttrType::Int);
            if (!ok) { *err = w + "attribute " + q(def.attrs[size_t(f.attr)].name) + " has the wrong type for this field"; return false; }
            break;
        }
        default: *err = w + "unknown kind " + std::to_string(f.kind); return false;
        }
    }
    return true;
}

// Fills one push field; false (with *why) when it names a tensor that does not exist.
bool pushField(const archscope_push_field& f, const std::vector<vk::TensorRef>& all, const std::vector<bool>& present,
               const OpDef& def, const Attrs& attrs, vk::Push* p, std::string* why) {
    auto tensor = [&](const vk::TensorRef** t) {
        if (f.tensor >= int(all.size())) { *why = "push field names binding " + std::to_string(f.tensor) + " of " + std::to_string(all.size()); return false; }
        *t = &all[size_t(f.tensor)];
        return true;
    };
    const vk::TensorRef* t = nullptr;
    switch (f.kind) {  // push-constant field kinds, not ops
    case ARCHSCOPE_PUSH_NUMEL:
        if (!tensor(&t)) return false;
        p->u(uint32_t(t->numel()));
        return true;
    case ARCHSCOPE_PUSH_ROWS:
        if (!tensor(&t)) return false;
        p->u(uint32_t(t->shape.empty() || t->shape.back() == 0 ? t->numel() : t->numel() / t->shape.back()));
        return true;
    case ARCHSCOPE_PUSH_DIM: {
        if (!tensor(&t)) return false;
        int r = int(t->shape.size()), ax = f.axis < 0 ? f.axis + r : f.axis;
        if (ax < 0 || ax >= r) { *why = "push field asks for axis " + std::to_string(f.axis) + " of a rank-" + std::to_string(r) + " tensor"; return false; }
        p->u(uint32_t(t->shape[size_t(ax)]));
        return true;
    }
    case ARCHSCOPE_PUSH_PRESENT: p->u(present[size_t(f.tensor)] ? 1u : 0u); return true;
    case ARCHSCOPE_PUSH_ATTR_INT: {
        const AttrDef& a = def.attrs[size_t(f.attr)];
        p->i(a.type == AttrType::Bool ? int32_t(attrs.b(a.name)) : int32_t(attrs.i(a.name)));
        return true;
    }
    case ARCHSCOPE_PUSH_ATTR_FLOAT: p->f(float(attrs.f(def.attrs[size_t(f.attr)].name))); return true;
    }
    *why = "unknown push field";
    return false;
}

}  // namespace

bool adaptPluginKernel(const archscope_op_def& src, const OpDef& def, const std::string& shader,
                       std::shared_ptr<const vk::VulkanKernel>* out, std::string* err) {
    const archscope_vulkan_kernel& k = *src.vulkan;
    if (!checkStatic(k, def, err)) return false;
    const archscope_vulkan_kernel spec = k;  // pointers inside stay valid: the library is never unloaded
    const OpDef* self = &def;
    auto kernel = std::make_shared<vk::VulkanKernel>();
    kernel->op = def.id;
    kernel->build = [spec, self, shader](vk::KernelBuild& b) {
        if (b.outputs.empty()) return b.decline("plugin op has no outputs to bind");
        std::vector<vk::TensorRef> all;
        std::vector<bool> present;
        for (auto& t : b.inputs) {
            present.push_back(t.slot >= 0);
            all.push_back(t.slot >= 0 ? t : b.outputs[0]);
        }
        for (auto& t : b.params) all.push_back(t);
        for (auto& t : b.outputs) all.push_back(t);
        for (auto& t : all)
            if (t.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        if (spec.grid_tensor >= int(all.size())) return b.decline("vulkan.grid_tensor names binding " + std::to_string(spec.grid_tensor) + " of " + std::to_string(all.size()));
        vk::Dispatch d;
        d.shader = shader;
        for (auto& t : all) d.bindings.push_back({t.slot, vk::BindKind::Storage});
        std::string why;
        for (int32_t i = 0; i < spec.push_count; ++i)
            if (!pushField(spec.push[i], all, present, *self, b.attrs, &d.push, &why)) return b.decline("plugin kernel: " + why);
        const vk::TensorRef& g = all[size_t(spec.grid_tensor)];
        int64_t count = g.numel();
        if (spec.grid == ARCHSCOPE_GRID_ROWS && !g.shape.empty() && g.shape.back() > 0) count /= g.shape.back();
        vk::grid1d(b.device, vk::ceilDiv(std::max<int64_t>(count, 1), spec.local_size_x), d.groups);
        b.dispatch(std::move(d));
        return true;
    };
    *out = std::move(kernel);
    return true;
}

}  // namespace archscope
