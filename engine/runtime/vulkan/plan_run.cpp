// ExecutionPlan, run half: inputs in, one submit per GPU segment, CPU
// fallbacks between segments, timestamps read once, outputs out.
#include "runtime/vulkan/plan_internal.h"
#include "runtime/vulkan/fault.h"

#include <chrono>
#include <cstring>

namespace archscope::vk {

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

bool ExecutionPlan::runFallback(const PlanStep& st, const RunRequest& req, std::string* err) {
    const OpDef& def = *st.info.def;
    std::vector<Tensor> ins, outs;
    for (int s : st.in) {
        if (s < 0) { ins.emplace_back(); continue; }
        const TensorSlot& t = m_slots[size_t(s)];
        Tensor x(t.dtype, t.shape);
        std::memcpy(x.raw(), hostPtr(s), t.bytes);
        ins.push_back(std::move(x));
    }
    KernelCtx k{st.info.attrs, {}, {}, {}};
    for (size_t i = 0; i < ins.size(); ++i) k.inputs.push_back(st.in[i] < 0 ? nullptr : &ins[i]);
    for (auto& p : st.info.params) {
        const Tensor* w = req.weights->find(st.info.weightNode, p.name);
        if (!w) { *err = "node \"" + st.node + "\": weight \"" + p.name + "\" was not materialised"; return false; }
        k.params.push_back(w);
    }
    for (size_t o = 0; o < st.info.outputs.size(); ++o) {  // inferred outputs (an op may declare more)
        const TensorSlot& t = m_slots[size_t(st.out[o])];
        outs.emplace_back(t.dtype, t.shape);
    }
    for (auto& o : outs) k.outputs.push_back(&o);
    try {
        def.cpu(k);
    } catch (const std::exception& e) {
        *err = "node \"" + st.node + "\" (" + def.id + "): " + e.what();
        return false;
    }
    for (size_t o = 0; o < outs.size(); ++o) std::memcpy(hostPtr(st.out[o]), outs[o].raw(), outs[o].byteSize());
    return true;
}

// A kernel's status word set during the last submit: the run fails with its message.
bool ExecutionPlan::checkStatus(std::string* err) const {
    for (size_t i = 0; i < m_slots.size(); ++i) {
        const TensorSlot& t = m_slots[i];
        if (t.status.empty()) continue;
        uint32_t w[2];
        std::memcpy(w, m_side->host(t.offset), sizeof w);
        if (!w[0]) continue;
        std::string msg = t.status;
        const auto at = msg.find("{v}");
        if (at != std::string::npos) msg.replace(at, 3, std::to_string(int32_t(w[1])));
        const std::string node = t.name.substr(0, t.name.find('#'));
        *err = "node \"" + node + "\": " + msg;
        return true;
    }
    return false;
}

RunResult ExecutionPlan::run(const RunRequest& req) {
    RunResult res;
    std::vector<double> stepMs(m_steps.size(), 0.0);
    auto t0 = Clock::now();
    // Inputs: given or generated, written straight into (mapped or staging) memory.
    for (size_t i = 0; i < m_steps.size(); ++i) {
        const PlanStep& st = m_steps[i];
        if (st.info.def->id != "input") continue;
        auto n0 = Clock::now();
        const TensorSlot& t = m_slots[size_t(st.out[0])];
        auto it = req.inputs.find(st.node);
        Tensor x = it != req.inputs.end() ? it->second : generateInput(st.node, st.info, req.seed);
        if (x.shape() != t.shape || x.dtype() != t.dtype) {
            res.error = "input \"" + st.node + "\": expected " + shapeStr(t.shape) + " " + dtypeName(t.dtype) + ", got " +
                        shapeStr(x.shape()) + " " + dtypeName(x.dtype());
            return res;
        }
        std::memcpy(hostPtr(st.out[0]), x.raw(), t.bytes);
        stepMs[i] = msSince(n0);
    }
    for (auto& t : m_slots)
        if (!t.status.empty()) std::memset(m_side->host(t.offset), 0, 16);
    int submits = 0;
    VkFence fence = m_fence.get();
    std::vector<double> segHostMs(m_segments.size(), 0.0);
    for (size_t si_ = 0; si_ < m_segments.size(); ++si_) {
        Segment& s = m_segments[si_];
        if (s.gpu) {
            auto h0 = Clock::now();
            VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
            si.commandBufferCount = 1;
            si.pCommandBuffers = &s.cb;
            check(vkResetFences(m_ctx.device(), 1, &fence), "vkResetFences");
            const VkResult fault = injectedFault(FaultSite::Submit);  // ARCHSCOPE_FAULT=vk_submit:N
            check(fault != VK_SUCCESS ? fault : vkQueueSubmit(m_ctx.queue(), 1, &si, fence), "vkQueueSubmit");
            check(vkWaitForFences(m_ctx.device(), 1, &fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
            ++submits;
            segHostMs[si_] = msSince(h0);
            if (checkStatus(&res.error)) return res;
            continue;
        }
        for (int i = s.firstStep; i < s.endStep; ++i) {
            if (m_steps[size_t(i)].where != "cpu-fallback") continue;
            auto n0 = Clock::now();
            if (!runFallback(m_steps[size_t(i)], req, &res.error)) return res;
            stepMs[size_t(i)] = msSince(n0);
        }
    }
    // All timestamps at once, after the last fence.
    auto q0 = Clock::now();
    std::vector<uint64_t> ts;
    uint32_t nq = 0;
    for (auto& s : m_segments)
        if (s.gpu) nq = s.firstQuery + 1 + uint32_t(s.endDispatch - s.firstDispatch);
    if (nq) {
        ts.resize(nq);
        check(vkGetQueryPoolResults(m_ctx.device(), m_queries.get(), 0, nq, nq * 8, ts.data(), 8, VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
              "vkGetQueryPoolResults");
    }
    const double period = m_ctx.info().timestampPeriodNs * 1e-6;  // ms per tick
    double span = 0;
    res.overheadMs = msSince(q0);
    for (size_t si_ = 0; si_ < m_segments.size(); ++si_) {
        const Segment& s = m_segments[si_];
        if (!s.gpu) continue;
        for (int d = s.firstDispatch; d < s.endDispatch; ++d) {
            const uint32_t q = s.firstQuery + 1 + uint32_t(d - s.firstDispatch);
            stepMs[size_t(m_dispatchStep[size_t(d)])] += double(ts[q] - ts[q - 1]) * period;
        }
        const double segSpan = double(ts[s.firstQuery + uint32_t(s.endDispatch - s.firstDispatch)] - ts[s.firstQuery]) * period;
        span += segSpan;
        res.overheadMs += std::max(0.0, segHostMs[si_] - segSpan);  // submit latency and fence wake-up
    }
    for (size_t i = 0; i < m_steps.size(); ++i) {
        const PlanStep& st = m_steps[i];
        auto r0 = Clock::now();
        if (st.info.def->id == "output" && st.in[0] >= 0) {
            const TensorSlot& t = m_slots[size_t(st.in[0])];
            Tensor y(t.dtype, t.shape);
            std::memcpy(y.raw(), hostPtr(st.in[0]), t.bytes);
            res.outputs[st.node] = std::move(y);
            stepMs[i] = msSince(r0);
        }
        auto c0 = Clock::now();
        if (m_opt.keepIntermediates)
            for (size_t o = 0; o < st.out.size(); ++o) {
                if (st.out[o] < 0) continue;
                const TensorSlot& t = m_slots[size_t(st.out[o])];
                Tensor y(t.dtype, t.shape);
                std::memcpy(y.raw(), hostPtr(st.out[o]), t.bytes);
                res.intermediates[st.node + "." + st.info.def->outputs[o].name] = std::move(y);
            }
        if (m_opt.keepIntermediates) res.overheadMs += msSince(c0);  // copies for probes: no node's time
        res.timings.push_back({st.node, st.info.def->id, stepMs[i], st.where});
    }
    res.totalMs = msSince(t0);
    m_stats.submitsLastRun = submits;
    m_stats.gpuSpanMsLastRun = span;
    ++m_stats.runs;
    res.ok = true;
    return res;
}

}  // namespace archscope::vk
