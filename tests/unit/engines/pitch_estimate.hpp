#pragma once
// A small autocorrelation F0 estimator for tests: good enough to tell a low voice from a high one.
#include <algorithm>
#include <cmath>
#include <vector>

namespace dramaloc::test {

// Median fundamental frequency (Hz) over voiced 40 ms frames of mono `samples`; 0 if none.
inline double median_f0_hz(const std::vector<float>& samples, int rate) {
    const int frame = rate / 25;
    const int hop = rate / 100;
    const int min_lag = rate / 400;
    const int max_lag = rate / 60;
    std::vector<double> f0s;
    for (int start = 0; start + frame + max_lag < static_cast<int>(samples.size()); start += hop) {
        double energy = 0;
        for (int i = 0; i < frame; ++i) energy += samples[start + i] * samples[start + i];
        if (std::sqrt(energy / frame) < 0.02) continue;  // silence or a quiet consonant
        double best = 0;
        int best_lag = 0;
        for (int lag = min_lag; lag <= max_lag; ++lag) {
            double num = 0, e2 = 0;
            for (int i = 0; i < frame; ++i) {
                num += samples[start + i] * samples[start + i + lag];
                e2 += samples[start + i + lag] * samples[start + i + lag];
            }
            const double r = num / std::sqrt(energy * e2 + 1e-12);
            if (r > best) {
                best = r;
                best_lag = lag;
            }
        }
        if (best > 0.6 && best_lag > 0) f0s.push_back(static_cast<double>(rate) / best_lag);
    }
    if (f0s.empty()) return 0;
    std::nth_element(f0s.begin(), f0s.begin() + static_cast<std::ptrdiff_t>(f0s.size() / 2), f0s.end());
    return f0s[f0s.size() / 2];
}

}  // namespace dramaloc::test
