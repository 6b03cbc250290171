// Pure statistics used by the probes, on plain float arrays. Each function
// states its formula; the tests check them against loops written separately.
#pragma once

#include <cstdint>
#include <vector>

namespace archscope::probes {

// Entropy of one probability row, H = -sum_j p_j ln p_j (0 ln 0 = 0), in nats.
double rowEntropy(const float* p, int64_t n);

// Median and 95th percentile (nearest rank: the ceil(0.95 n)-th smallest).
double median(std::vector<double> v);
double percentile95(std::vector<double> v);

struct Sparsity {
    double zeroFrac = 0;      // fraction with x == 0
    double nearZeroFrac = 0;  // fraction with |x| < eps (includes exact zeros)
    double absmax = 0;        // max |x| over finite values
};
Sparsity sparsity(const float* x, int64_t n, double eps);

// Counts of x in `bins` equal bins over [-range, range]; values on the upper
// edge go to the last bin, values outside are clamped to the end bins, NaN is
// skipped. range == 0 puts every value in the middle bin.
std::vector<int64_t> histogram(const float* x, int64_t n, double range, int bins);

// Per channel c of a [rows, channels] view (last axis = channels):
// absmax_c = max_r |x_rc|; excess kurtosis_c = m4 / m2^2 - 3 with central
// moments m_k = mean_r (x_rc - mean_c)^k (0 when m2 == 0).
struct ChannelStats {
    std::vector<float> absmax, kurtosis;
};
ChannelStats channelStats(const float* x, int64_t rows, int64_t channels);

// Channels whose absmax exceeds factor * median(absmax) (LLM.int8 rule).
std::vector<int64_t> outlierChannels(const std::vector<float>& absmax, double factor);

// Block mean pooling of a rows x cols map by `pool` on both axes; partial
// edge blocks average over the elements they hold.
std::vector<float> meanPool(const float* x, int64_t rows, int64_t cols, int pool, int64_t* outRows, int64_t* outCols);

}  // namespace archscope::probes
