// archscope devices: the Vulkan devices this machine offers.
#include "cli/cli.h"
#include "cli/common.h"
#include "runtime/vulkan/vk_context.h"

namespace archscope::cli {

namespace {

json deviceJson(const vk::DeviceInfo& d) {
    json heaps = json::array();
    for (auto& h : d.heaps) heaps.push_back({{"bytes", h.size}, {"device_local", h.deviceLocal}});
    return {{"index", d.index},
            {"name", d.name},
            {"type", d.type},
            {"driver", d.driver},
            {"driver_info", d.driverInfo},
            {"api_version", d.apiVersion},
            {"unified_memory", d.unifiedMemory},
            {"memory_heaps", heaps},
            {"limits",
             {{"max_workgroup_invocations", d.maxWorkGroupInvocations},
              {"max_workgroup_count", {d.maxWorkGroupCount[0], d.maxWorkGroupCount[1], d.maxWorkGroupCount[2]}},
              {"max_shared_memory_bytes", d.maxSharedMemory},
              {"max_push_constants_bytes", d.maxPushConstants},
              {"max_storage_buffer_range", d.maxStorageBufferRange},
              {"max_texel_buffer_elements", d.maxTexelBufferElements},
              {"timestamp_period_ns", d.timestampPeriodNs},
              {"timestamps", d.timestamps}}}};
}

void printDevice(const vk::DeviceInfo& d, std::ostream& out) {
    out << "[" << d.index << "] " << d.name << "\n"
        << "    type " << d.type << ", driver " << d.driver << " (" << d.driverInfo << "), Vulkan " << d.apiVersion << "\n";
    for (size_t i = 0; i < d.heaps.size(); ++i)
        out << "    heap " << i << ": " << humanBytes(double(d.heaps[i].size)) << (d.heaps[i].deviceLocal ? " device-local" : " host") << "\n";
    out << "    memory " << (d.unifiedMemory ? "unified (mapped directly)" : "discrete (staged uploads)") << "\n"
        << "    workgroup <= " << d.maxWorkGroupInvocations << " invocations, shared memory " << humanBytes(d.maxSharedMemory)
        << ", push constants " << d.maxPushConstants << " B\n"
        << "    storage buffer range " << humanBytes(double(d.maxStorageBufferRange)) << ", texel buffer "
        << humanCount(double(d.maxTexelBufferElements)) << " elements, timestamps "
        << (d.timestamps ? "yes (" + std::to_string(d.timestampPeriodNs) + " ns/tick)" : std::string("no")) << "\n";
}

}  // namespace

Command cmd_devices() {
    return {"devices", "list the Vulkan devices (name, type, driver, memory, limits)",
            "usage: archscope devices [--json]\n\n"
            "Lists the Vulkan devices in the order --device N counts them. Without\n"
            "--device, `archscope run --backend vulkan` prefers a discrete GPU, then an\n"
            "integrated one, then a CPU device (lavapipe).\n\n"
            "  --json              machine-readable output\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--json"}, {});
                if (!args.ok() || !args.positional().empty()) {
                    err << "archscope devices: " << (args.ok() ? "takes no positional arguments" : args.error()) << "\n";
                    return 2;
                }
                std::vector<vk::DeviceInfo> devs;
                std::string msg;
                const bool ok = vk::VkContext::listDevices(&devs, &msg);
                if (args.flag("--json")) {
                    json list = json::array();
                    for (auto& d : devs) list.push_back(deviceJson(d));
                    json j{{"devices", list}};
                    if (!ok) j["error"] = msg;
                    out << j.dump(2) << "\n";
                    return 0;
                }
                if (!ok) { out << "no Vulkan: " << msg << "\n"; return 0; }
                if (devs.empty()) { out << "no Vulkan devices\n"; return 0; }
                for (auto& d : devs) printDevice(d, out);
                return 0;
            }};
}

}  // namespace archscope::cli
