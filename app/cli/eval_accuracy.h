// Accuracy evaluation for `archscope run`: argmax of an output's last axis compared with
// integer labels (label < 0 = position not scored).
//
// Labels come from --labels FILE.npy, or from the design's metadata:
//   "eval.inputs": "ids=eval_ids.npy"      inputs used when the command line gives none
//   "eval.labels": "eval_labels.npy"       labels, shape = the output's shape without its last axis
//   "eval.output": "logits"                the output node scored (else the only output)
// Paths in metadata are relative to the design file. Metadata evaluation is skipped when
// --input or --set is given (the eval set then no longer matches the run).
#pragma once

#include "cli/args.h"
#include "core/tensor.h"
#include "graph/graph.h"

#include <map>
#include <ostream>
#include <string>

namespace archscope::cli {

struct Accuracy {
    bool active = false;  // labels were given (flag or metadata)
    std::string output, labelsFile;
    int64_t correct = 0, scored = 0;
    double value() const { return scored ? double(correct) / double(scored) : 0.0; }
};

// Adds the metadata eval inputs to `inputs` when applicable. Returns an exit code (0 ok, 2 bad input).
int addEvalInputs(const Args& args, const std::string& file, const Graph& g, std::map<std::string, Tensor>* inputs, std::ostream& err);

// Scores the run's outputs when labels are available. Returns an exit code (0 ok, 2 bad input).
int evaluateAccuracy(const Args& args, const std::string& file, const Graph& g, const std::map<std::string, Tensor>& outputs,
                     Accuracy* acc, std::ostream& err);

}  // namespace archscope::cli
