#include "cli/eval_accuracy.h"

#include "interop/npy.h"

#include <filesystem>

namespace archscope::cli {

namespace {

bool useMetadata(const Args& args) { return !args.has("--input") && !args.has("--set"); }

std::string meta(const Graph& g, const std::string& key) {
    auto it = g.metadata.find(key);
    return it == g.metadata.end() ? "" : it->second;
}

std::string besideDesign(const std::string& file, const std::string& rel) {
    return (std::filesystem::path(file).parent_path() / rel).string();
}

}  // namespace

int addEvalInputs(const Args& args, const std::string& file, const Graph& g, std::map<std::string, Tensor>* inputs, std::ostream& err) {
    const std::string spec = meta(g, "eval.inputs");
    if (spec.empty() || !useMetadata(args)) return 0;
    size_t start = 0;
    while (start < spec.size()) {
        const size_t comma = std::min(spec.find(',', start), spec.size());
        const std::string item = spec.substr(start, comma - start);
        start = comma + 1;
        const auto eq = item.find('=');
        const std::string name = item.substr(0, eq);
        const Node* n = g.node(name);
        if (eq == std::string::npos || !n || n->op != "input") {
            err << "archscope run: " << file << ": metadata eval.inputs entry \"" << item
                << "\" must be INPUT_NODE=FILE.npy naming an input node of the design\n";
            return 2;
        }
        Tensor t;
        std::string msg;
        if (!readNpy(besideDesign(file, item.substr(eq + 1)), &t, &msg)) {
            err << "archscope run: " << file << ": metadata eval.inputs " << name << ": " << msg << "\n";
            return 2;
        }
        (*inputs)[name] = std::move(t);
    }
    return 0;
}

int evaluateAccuracy(const Args& args, const std::string& file, const Graph& g, const std::map<std::string, Tensor>& outputs,
                     Accuracy* acc, std::ostream& err) {
    std::string labelsFile = args.value("--labels");
    if (labelsFile.empty() && useMetadata(args) && !meta(g, "eval.labels").empty()) labelsFile = besideDesign(file, meta(g, "eval.labels"));
    if (labelsFile.empty()) return 0;
    acc->active = true;
    acc->labelsFile = labelsFile;
    acc->output = args.value("--eval-output", meta(g, "eval.output"));
    if (acc->output.empty()) {
        if (outputs.size() != 1) {
            err << "archscope run: --labels: the design has " << outputs.size() << " outputs; name the scored one with --eval-output NAME\n";
            return 2;
        }
        acc->output = outputs.begin()->first;
    }
    auto it = outputs.find(acc->output);
    if (it == outputs.end()) {
        err << "archscope run: --labels: the design has no output node \"" << acc->output << "\" (--eval-output or metadata eval.output)\n";
        return 2;
    }
    const Tensor& y = it->second;
    Tensor labels;
    std::string msg;
    if (!readNpy(labelsFile, &labels, &msg)) { err << "archscope run: --labels: " << msg << "\n"; return 2; }
    std::vector<int64_t> rows(y.shape().begin(), y.shape().empty() ? y.shape().end() : y.shape().end() - 1);
    if (y.dtype() != DType::F32 || y.rank() < 1 || labels.dtype() != DType::I64 || labels.shape() != rows) {
        err << "archscope run: --labels " << labelsFile << ": expected int64 labels of shape " << shapeStr(shapeFromValues(rows))
            << " (output \"" << acc->output << "\" " << shapeStr(shapeFromValues(y.shape())) << " without its last axis), got "
            << dtypeName(labels.dtype()) << " " << shapeStr(shapeFromValues(labels.shape())) << "\n";
        return 2;
    }
    const int64_t C = y.dim(-1);
    for (int64_t r = 0; r < labels.numel(); ++r) {
        const int64_t want = labels.i64()[r];
        if (want < 0) continue;
        if (want >= C) {
            err << "archscope run: --labels " << labelsFile << ": label " << want << " at position " << r << " is not a class of output \""
                << acc->output << "\" (last axis " << C << ")\n";
            return 2;
        }
        const float* row = y.f32() + r * C;
        int64_t best = 0;
        for (int64_t c = 1; c < C; ++c)
            if (row[c] > row[best]) best = c;
        acc->correct += best == want;
        ++acc->scored;
    }
    if (acc->scored == 0) { err << "archscope run: --labels " << labelsFile << ": no label >= 0, nothing to score\n"; return 2; }
    return 0;
}

}  // namespace archscope::cli
