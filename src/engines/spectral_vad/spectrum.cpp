#include "engines/spectral_vad/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace dramaloc::engines::dsp {

PowerSpectrum::PowerSpectrum(int frame_size, int fft_size)
    : frame_size_(frame_size), fft_size_(fft_size) {
    if (fft_size < 2 || (fft_size & (fft_size - 1)) != 0 || frame_size < 1 || frame_size > fft_size) {
        throw std::invalid_argument("PowerSpectrum: fft_size must be a power of two >= frame_size");
    }
    window_.resize(static_cast<std::size_t>(frame_size));
    for (int i = 0; i < frame_size; ++i) {
        window_[static_cast<std::size_t>(i)] =
            0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / std::max(1, frame_size - 1));
    }
    twiddles_.resize(static_cast<std::size_t>(fft_size / 2));
    for (int k = 0; k < fft_size / 2; ++k) {
        twiddles_[static_cast<std::size_t>(k)] = std::polar(1.0, -2.0 * std::numbers::pi * k / fft_size);
    }
    int bits = 0;
    while ((1 << bits) < fft_size) ++bits;
    bit_reverse_.resize(static_cast<std::size_t>(fft_size));
    for (int i = 0; i < fft_size; ++i) {
        int r = 0;
        for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
        bit_reverse_[static_cast<std::size_t>(i)] = r;
    }
    work_.resize(static_cast<std::size_t>(fft_size));
    power_.resize(static_cast<std::size_t>(fft_size / 2 + 1));
}

std::span<const double> PowerSpectrum::compute(std::span<const float> frame) {
    std::fill(work_.begin(), work_.end(), std::complex<double>{});
    const std::size_t n = std::min(frame.size(), window_.size());
    for (std::size_t i = 0; i < n; ++i) {
        work_[static_cast<std::size_t>(bit_reverse_[i])] = frame[i] * window_[i];
    }
    const std::size_t size = work_.size();
    for (std::size_t len = 2; len <= size; len <<= 1) {
        const std::size_t stride = size / len;
        for (std::size_t start = 0; start < size; start += len) {
            for (std::size_t k = 0; k < len / 2; ++k) {
                const std::complex<double> t = twiddles_[k * stride] * work_[start + k + len / 2];
                work_[start + k + len / 2] = work_[start + k] - t;
                work_[start + k] += t;
            }
        }
    }
    const double scale = 1.0 / (static_cast<double>(frame_size_) * frame_size_);
    for (std::size_t k = 0; k < power_.size(); ++k) power_[k] = std::norm(work_[k]) * scale;
    return power_;
}

int PowerSpectrum::bin_of(double hz, int sample_rate) const {
    const int bin = static_cast<int>(std::lround(hz * fft_size_ / sample_rate));
    return std::clamp(bin, 0, fft_size_ / 2);
}

double band_power(std::span<const double> power, int first, int last) {
    if (first > last) return 0.0;
    double sum = 0.0;
    for (int k = first; k <= last; ++k) sum += power[static_cast<std::size_t>(k)];
    return sum / (last - first + 1);
}

double spectral_flatness(std::span<const double> power, int first, int last) {
    if (first > last) return 0.0;
    constexpr double kTiny = 1e-20;
    double log_sum = 0.0;
    double sum = 0.0;
    for (int k = first; k <= last; ++k) {
        const double p = power[static_cast<std::size_t>(k)] + kTiny;
        log_sum += std::log(p);
        sum += p;
    }
    const double count = last - first + 1;
    return std::exp(log_sum / count) / (sum / count);
}

double to_db(double power) { return power > 1e-12 ? 10.0 * std::log10(power) : -120.0; }

}  // namespace dramaloc::engines::dsp
