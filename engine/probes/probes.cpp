#include "probes/probes.h"

#include "probes/stats.h"

#include <algorithm>
#include <limits>
#include <map>

namespace archscope::probes {

bool isAttentionOutput(const OpDef& def, int port, const TensorType& type, const Attrs& attrs) {
    if (port < 0 || port >= int(def.outputs.size())) return false;
    if (def.outputs[size_t(port)].probe != "attention" || type.dtype != DType::F32 || type.shape.size() != 4) return false;
    if (attrs.has("axis") && std::holds_alternative<int64_t>(attrs.value("axis"))) {
        int64_t ax = attrs.i("axis");
        return ax == -1 || ax == 3;
    }
    return true;
}

std::vector<AttentionMap> attentionMaps(const std::string& node, const std::string& port, int layer, const Tensor& p,
                                        int maxTokens) {
    std::vector<AttentionMap> maps;
    if (p.dtype() != DType::F32 || p.rank() != 4) return maps;
    const int64_t B = p.dim(0), H = p.dim(1), tq = p.dim(2), tk = p.dim(3);
    const int64_t longest = std::max(tq, tk);
    const int pool = longest > maxTokens ? int((longest + maxTokens - 1) / maxTokens) : 1;
    const float* x = p.f32();
    for (int64_t h = 0; h < H; ++h) {
        AttentionMap m;
        m.node = node;
        m.port = port;
        m.layer = layer;
        m.head = int(h);
        m.tq = tq;
        m.tk = tk;
        m.pool = pool;
        m.data = meanPool(x + h * tq * tk, tq, tk, pool, &m.rows, &m.cols);
        double sum = 0, lo = std::numeric_limits<double>::infinity();
        for (int64_t b = 0; b < B; ++b)
            for (int64_t q = 0; q < tq; ++q) {
                double e = rowEntropy(x + ((b * H + h) * tq + q) * tk, tk);
                sum += e;
                lo = std::min(lo, e);
            }
        m.entropyMean = sum / double(B * tq);
        m.entropyMin = lo;
        maps.push_back(std::move(m));
    }
    return maps;
}

TensorStats tensorStats(const std::string& node, const std::string& port, const Tensor& x, const ProbeOptions& opt) {
    TensorStats t;
    t.node = node;
    t.port = port;
    t.shape = x.shape();
    t.numel = x.numel();
    if (x.dtype() != DType::F32 || x.numel() == 0) return t;
    if (opt.probes.sparsity) {
        Sparsity s = sparsity(x.f32(), x.numel(), opt.eps);
        t.hasSparsity = true;
        t.zeroFrac = s.zeroFrac;
        t.nearZeroFrac = s.nearZeroFrac;
        t.eps = opt.eps;
        t.absmax = s.absmax;
        t.histogram = histogram(x.f32(), x.numel(), s.absmax, opt.histBins);
    }
    if (opt.probes.outliers && x.rank() >= 2) {
        int64_t channels = x.dim(-1);
        ChannelStats c = channelStats(x.f32(), x.numel() / channels, channels);
        t.hasChannels = true;
        t.outlierChannels = outlierChannels(c.absmax, opt.outlierFactor);
        t.channelAbsmax = std::move(c.absmax);
        t.channelKurtosis = std::move(c.kurtosis);
    }
    return t;
}

MemoryStats memoryStats(const Analysis& a) {
    MemoryStats m;
    m.measured = true;
    std::map<std::string, size_t> lastUse;
    for (size_t i = 0; i < a.order.size(); ++i)
        for (auto& s : a.nodes.at(a.order[i]).sources)
            if (!s.empty()) lastUse[s] = i;
    int64_t live = 0;
    for (size_t i = 0; i < a.order.size(); ++i) {
        const NodeInfo& info = a.nodes.at(a.order[i]);
        live += info.activationBytes;  // outputs are allocated while the inputs are alive
        m.peakActivationBytes = std::max(m.peakActivationBytes, live);
        std::vector<std::string> freed;
        const bool sink = info.outputs.empty();  // e.g. a graph output: the result keeps its input
        for (auto& s : info.sources)
            if (!sink && !s.empty() && lastUse[s] == i && std::find(freed.begin(), freed.end(), s) == freed.end()) freed.push_back(s);
        for (auto& s : freed) live -= a.nodes.at(s).activationBytes;
        m.weightsBytes += info.paramCount * int64_t(sizeof(float));
    }
    // KV cache: outputs marked "kv_cache" (mha's present_k/present_v) of decoder attention,
    // i.e. blocks that are causal or decode with a cache; encoders keep no cache.
    for (auto& [id, info] : a.nodes) {
        if (!info.def || !info.ok) continue;
        auto flag = [&](const char* n) { return info.def->findAttr(n) && info.attrs.has(n) && info.attrs.b(n); };
        if (!flag("causal") && !flag("cache")) continue;
        for (size_t o = 0; o < info.outputs.size() && o < info.def->outputs.size(); ++o)
            if (info.def->outputs[o].probe == "kv_cache")
                m.kvCacheBytes += shapeNumel(info.outputs[o].shape) * int64_t(dtypeSize(info.outputs[o].dtype));
    }
    return m;
}

std::string boundVerdict(int64_t flops, int64_t bytes, const Ceilings& c) {
    if (c.gflops <= 0 || c.gbps <= 0 || (flops == 0 && bytes == 0)) return "";
    if (bytes == 0) return "compute";
    double intensity = double(flops) / double(bytes), ridge = c.gflops / c.gbps;
    return intensity >= ridge ? "compute" : "memory";
}

}  // namespace archscope::probes
