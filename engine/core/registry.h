// OpRegistry: the one list of op definitions that everything else reads.
//
// The core ops are registered from engine/ops/op_list.cpp on first use of
// global(). Plugins add theirs through add(), which refuses duplicate ids.
#pragma once

#include "core/op_def.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace archscope {

class OpRegistry {
public:
    static OpRegistry& global();

    const OpDef* find(std::string_view id) const;
    std::vector<const OpDef*> all() const;  // sorted by category, then id
    bool add(std::shared_ptr<const OpDef> def, std::string* err);
    // Edit distance suggestion for an unknown id ("linaer" -> "linear").
    std::string suggest(std::string_view id) const;

private:
    std::map<std::string, std::shared_ptr<const OpDef>, std::less<>> m_ops;
};

// Defined in engine/ops/op_list.cpp: registers every core op.
void registerCoreOps(OpRegistry& r);

}  // namespace archscope
