#include "probes/inputs.h"

#include "runtime/backend.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace archscope::probes {

namespace {

std::string byteToken(int b) {
    if (b >= 0x21 && b < 0x7f) return std::string(1, char(b));
    if (b == 0x20) return "▁";  // SentencePiece's visible space
    char buf[8];
    std::snprintf(buf, sizeof buf, "<0x%02X>", b);
    return buf;
}

bool vocabFromJson(const nlohmann::json& j, std::vector<std::string>* out, std::string* why) {
    if (j.is_array()) {
        for (auto& t : j) {
            if (!t.is_string()) return *why = "an array entry is not a string", false;
            out->push_back(t.get<std::string>());
        }
        return true;
    }
    if (!j.is_object()) return *why = "expected an array of strings or an object {\"token\": id}", false;
    for (auto& [tok, id] : j.items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > (int64_t(1) << 24))
            return *why = "token \"" + tok + "\" has no valid id (a non-negative integer)", false;
        const size_t i = size_t(id.get<int64_t>());
        if (out->size() <= i) out->resize(i + 1);
        (*out)[i] = tok;
    }
    return true;
}

}  // namespace

bool loadVocabulary(const std::string& spec, std::vector<std::string>* out, std::string* err) {
    out->clear();
    if (spec == "bytes") {
        for (int b = 0; b < 256; ++b) out->push_back(byteToken(b));
        return true;
    }
    std::ifstream f(spec, std::ios::binary);
    if (!f) { *err = "vocabulary " + spec + ": cannot read the file (give a text file with one token per line, a JSON array, or \"bytes\")"; return false; }
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string text = ss.str();
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (text[first] == '[' || text[first] == '{')) {
        auto j = nlohmann::json::parse(text, nullptr, false);
        std::string why = "not valid JSON";
        if (j.is_discarded() || !vocabFromJson(j, out, &why)) { *err = "vocabulary " + spec + ": " + why; return false; }
    } else {
        std::stringstream lines(text);
        std::string line;
        while (std::getline(lines, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            out->push_back(line);
        }
    }
    if (out->empty()) { *err = "vocabulary " + spec + " has no tokens"; return false; }
    return true;
}

InputSample imageThumbnail(const std::string& node, const Tensor& x, int maxSide) {
    InputSample s;
    s.node = node;
    s.kind = "image";
    const int64_t C = x.dim(1), H = x.dim(2), W = x.dim(3);
    const int64_t step = std::max<int64_t>(1, (std::max(H, W) + maxSide - 1) / maxSide);
    s.width = int((W + step - 1) / step);
    s.height = int((H + step - 1) / step);
    std::vector<float> avg(size_t(s.width) * size_t(s.height) * 3, 0.f);
    for (int c = 0; c < 3; ++c) {
        const float* plane = x.f32() + (C == 1 ? 0 : c) * H * W;
        for (int ty = 0; ty < s.height; ++ty)
            for (int tx = 0; tx < s.width; ++tx) {
                double sum = 0;
                int64_t n = 0;
                for (int64_t y = ty * step; y < std::min(H, (ty + 1) * step); ++y)
                    for (int64_t xx = tx * step; xx < std::min(W, (tx + 1) * step); ++xx, ++n) sum += plane[y * W + xx];
                avg[(size_t(ty) * size_t(s.width) + size_t(tx)) * 3 + size_t(c)] = float(sum / double(std::max<int64_t>(n, 1)));
            }
    }
    auto [lo, hi] = std::minmax_element(avg.begin(), avg.end());
    const float l = avg.empty() ? 0.f : *lo, range = avg.empty() ? 0.f : *hi - *lo;
    s.rgb.resize(avg.size());
    for (size_t i = 0; i < avg.size(); ++i)
        s.rgb[i] = uint8_t(range > 0 ? std::clamp(std::lround((avg[i] - l) / range * 255.0), 0L, 255L) : 128);
    return s;
}

std::vector<InputSample> inputSamples(const Analysis& a, const std::map<std::string, Tensor>& given, uint64_t seed,
                                      const std::vector<std::string>& vocab, int maxSide) {
    std::vector<InputSample> out;
    for (auto& id : a.order) {
        const NodeInfo& info = a.nodes.at(id);
        // The graph-input op is the one node kind every backend feeds by id (runtime/backend.h).
        if (!info.def || info.def->id != "input" || info.outputs.empty()) continue;
        const TensorType& t = info.outputs[0];
        const bool tokens = t.dtype == DType::I64 && !t.shape.empty();
        const bool image = t.dtype == DType::F32 && t.shape.size() == 4 && (t.shape[1].value() == 1 || t.shape[1].value() == 3);
        if (!tokens && !image) continue;
        auto it = given.find(id);
        const Tensor x = it != given.end() ? it->second : generateInput(id, info, seed);
        if (image) { out.push_back(imageThumbnail(id, x, maxSide)); continue; }
        InputSample s;
        s.node = id;
        s.kind = "tokens";
        const int64_t len = x.dim(-1);
        for (int64_t i = 0; i < len; ++i) {
            const int64_t tok = x.i64()[i];
            s.tokens.push_back(tok);
            if (!vocab.empty()) s.labels.push_back(tok >= 0 && tok < int64_t(vocab.size()) ? vocab[size_t(tok)] : "#" + std::to_string(tok));
        }
        out.push_back(std::move(s));
    }
    return out;
}

RouterLoad routerLoad(const std::string& node, const std::string& port, const Tensor& shares, int64_t tokens) {
    RouterLoad r;
    r.node = node;
    r.port = port;
    r.tokens = tokens;
    for (int64_t e = 0; e < shares.numel(); ++e) {
        const double f = shares.f32()[e];
        r.counts.push_back(std::llround(f * double(tokens)));
        r.fractions.push_back(tokens > 0 ? double(r.counts.back()) / double(tokens) : f);
    }
    return r;
}

}  // namespace archscope::probes
