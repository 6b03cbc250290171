// Input samples and vocabularies: what a profiled run was fed, kept with the
// session so the views can label attention axes with tokens and draw the
// input image under a vision model's patch grid (docs/profile-store.md,
// table session_inputs).
#pragma once

#include "core/tensor.h"
#include "graph/analysis.h"
#include "probes/profile_data.h"

#include <map>
#include <string>
#include <vector>

namespace archscope::probes {

// Reads a vocabulary: "bytes" (built in: id i is byte i, printable ASCII as
// itself, space as "▁", others as <0xNN>), a JSON file holding an array of strings (index =
// id) or an object {"token": id} (Hugging Face vocab.json), or a text file
// with one token per line (line number = id). False with a message naming
// the file on error.
bool loadVocabulary(const std::string& spec, std::vector<std::string>* out, std::string* err);

// One sample per input node: i64 inputs of rank >= 1 become "tokens" (the
// ids of batch element 0 along the last axis, labelled with `vocab` when it
// is non-empty; ids outside it are shown as "#id"), f32 inputs [B, C, H, W]
// with C = 1 or 3 become an "image" thumbnail of batch element 0 (at most
// maxSide pixels a side, box-averaged, min-max scaled to 0..255). Inputs not
// in `given` are generated exactly as the backends do (generateInput).
std::vector<InputSample> inputSamples(const Analysis& a, const std::map<std::string, Tensor>& given, uint64_t seed,
                                      const std::vector<std::string>& vocab, int maxSide = 64);

// The RGB thumbnail of one image tensor [B, C, H, W] (batch element 0).
InputSample imageThumbnail(const std::string& node, const Tensor& x, int maxSide);

// Per-expert counts of a router_load output: shares [E] of `tokens` tokens.
RouterLoad routerLoad(const std::string& node, const std::string& port, const Tensor& shares, int64_t tokens);

}  // namespace archscope::probes
