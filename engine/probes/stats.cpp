#include "probes/stats.h"

#include <algorithm>
#include <cmath>

namespace archscope::probes {

double rowEntropy(const float* p, int64_t n) {
    double h = 0;
    for (int64_t j = 0; j < n; ++j)
        if (p[j] > 0) h -= double(p[j]) * std::log(double(p[j]));
    return h;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double percentile95(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t rank = size_t(std::ceil(0.95 * double(v.size())));
    return v[std::max<size_t>(rank, 1) - 1];
}

Sparsity sparsity(const float* x, int64_t n, double eps) {
    Sparsity s;
    if (n <= 0) return s;
    int64_t zeros = 0, near = 0;
    double absmax = 0;
    for (int64_t i = 0; i < n; ++i) {
        double a = std::fabs(double(x[i]));
        zeros += x[i] == 0.0f;
        near += a < eps;
        if (std::isfinite(a)) absmax = std::max(absmax, a);
    }
    s.zeroFrac = double(zeros) / double(n);
    s.nearZeroFrac = double(near) / double(n);
    s.absmax = absmax;
    return s;
}

std::vector<int64_t> histogram(const float* x, int64_t n, double range, int bins) {
    std::vector<int64_t> h(size_t(std::max(bins, 1)), 0);
    const int nb = int(h.size());
    for (int64_t i = 0; i < n; ++i) {
        double v = x[i];
        if (std::isnan(v)) continue;
        int b = nb / 2;
        if (range > 0) {
            double t = (v + range) / (2 * range) * nb;
            b = t < 0 ? 0 : t >= nb ? nb - 1 : int(t);
        }
        ++h[size_t(b)];
    }
    return h;
}

ChannelStats channelStats(const float* x, int64_t rows, int64_t channels) {
    ChannelStats s;
    s.absmax.assign(size_t(channels), 0.0f);
    s.kurtosis.assign(size_t(channels), 0.0f);
    std::vector<double> mean(size_t(channels), 0.0), m2(size_t(channels), 0.0), m4(size_t(channels), 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < channels; ++c) {
            float v = x[r * channels + c];
            mean[size_t(c)] += v;
            s.absmax[size_t(c)] = std::max(s.absmax[size_t(c)], std::fabs(v));
        }
    for (auto& m : mean) m /= double(std::max<int64_t>(rows, 1));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < channels; ++c) {
            double d = x[r * channels + c] - mean[size_t(c)], d2 = d * d;
            m2[size_t(c)] += d2;
            m4[size_t(c)] += d2 * d2;
        }
    for (int64_t c = 0; c < channels; ++c) {
        double a = m2[size_t(c)] / double(rows), b = m4[size_t(c)] / double(rows);
        s.kurtosis[size_t(c)] = a > 0 ? float(b / (a * a) - 3.0) : 0.0f;
    }
    return s;
}

std::vector<int64_t> outlierChannels(const std::vector<float>& absmax, double factor) {
    std::vector<double> v(absmax.begin(), absmax.end());
    double med = median(v);
    std::vector<int64_t> out;
    for (size_t c = 0; c < absmax.size(); ++c)
        if (double(absmax[c]) > factor * med) out.push_back(int64_t(c));
    return out;
}

std::vector<float> meanPool(const float* x, int64_t rows, int64_t cols, int pool, int64_t* outRows, int64_t* outCols) {
    pool = std::max(pool, 1);
    int64_t r2 = (rows + pool - 1) / pool, c2 = (cols + pool - 1) / pool;
    std::vector<double> sum(size_t(r2 * c2), 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) sum[size_t((r / pool) * c2 + c / pool)] += x[r * cols + c];
    std::vector<float> out(sum.size());
    for (int64_t i = 0; i < r2; ++i)
        for (int64_t j = 0; j < c2; ++j) {
            int64_t h = std::min<int64_t>(pool, rows - i * pool), w = std::min<int64_t>(pool, cols - j * pool);
            out[size_t(i * c2 + j)] = float(sum[size_t(i * c2 + j)] / double(h * w));
        }
    *outRows = r2;
    *outCols = c2;
    return out;
}

}  // namespace archscope::probes
