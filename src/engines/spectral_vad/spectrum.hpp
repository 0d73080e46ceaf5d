#pragma once
// Short-time power spectra for the embedded speech backends (spectral VAD, pitch speakers):
// a Hann-windowed frame, zero-padded to a power of two, through a small radix-2 FFT.
// Deterministic and allocation-free after construction; one object per thread.
#include <complex>
#include <span>
#include <vector>

namespace dramaloc::engines::dsp {

class PowerSpectrum {
public:
    // `frame_size` samples per frame (≤ fft_size); `fft_size` must be a power of two.
    PowerSpectrum(int frame_size, int fft_size);

    // Power of bins 0..fft_size/2 for `frame` (exactly frame_size samples).
    std::span<const double> compute(std::span<const float> frame);

    int frame_size() const { return frame_size_; }
    int fft_size() const { return fft_size_; }
    // Bin index nearest to `hz` for audio at `sample_rate`, clamped to the spectrum.
    int bin_of(double hz, int sample_rate) const;

private:
    int frame_size_;
    int fft_size_;
    std::vector<double> window_;
    std::vector<std::complex<double>> twiddles_;
    std::vector<int> bit_reverse_;
    std::vector<std::complex<double>> work_;
    std::vector<double> power_;
};

// Mean power of bins [first, last] (inclusive).
double band_power(std::span<const double> power, int first, int last);

// Geometric over arithmetic mean of bins [first, last]: ~0 for a pure tone, ~0.56 for white noise.
double spectral_flatness(std::span<const double> power, int first, int last);

// 10·log10(power) with a floor at −120 dB, so silence stays finite.
double to_db(double power);

}  // namespace dramaloc::engines::dsp
