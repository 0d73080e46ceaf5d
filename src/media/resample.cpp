#include "media/resample.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <cmath>

#include "core/error.hpp"
#include "media/av_handles.hpp"
#include "media/detail/input.hpp"

namespace dramaloc::media {

struct StreamResampler::Impl {
    SwrPtr swr;
    int in_channels = 0;
    int out_channels = 0;
    std::vector<float> out;
    bool flushed = false;

    std::span<const float> convert(const float* in, int frames) {
        const int capacity = swr_get_out_samples(swr.get(), frames);
        detail::check_av(capacity, "resampling audio");
        out.resize(static_cast<std::size_t>(std::max(0, capacity)) * static_cast<std::size_t>(out_channels));
        auto* to = reinterpret_cast<std::uint8_t*>(out.data());
        const auto* from = reinterpret_cast<const std::uint8_t*>(in);
        const int produced = swr_convert(swr.get(), &to, capacity, in ? &from : nullptr, frames);
        detail::check_av(produced, "resampling audio");
        return {out.data(), static_cast<std::size_t>(produced) * static_cast<std::size_t>(out_channels)};
    }
};

StreamResampler::StreamResampler(int in_rate, int in_channels, int out_rate, int out_channels) : impl_(std::make_unique<Impl>()) {
    if (in_rate <= 0 || out_rate <= 0 || in_channels < 1 || in_channels > 8 || out_channels < 1 || out_channels > 8)
        throw InputError("cannot convert audio of " + std::to_string(in_channels) + " channel(s) at " + std::to_string(in_rate) +
                         " Hz to " + std::to_string(out_channels) + " channel(s) at " + std::to_string(out_rate) + " Hz");
    AVChannelLayout in_layout, out_layout;
    av_channel_layout_default(&in_layout, in_channels);
    av_channel_layout_default(&out_layout, out_channels);
    SwrContext* swr = nullptr;
    const int rc = swr_alloc_set_opts2(&swr, &out_layout, AV_SAMPLE_FMT_FLT, out_rate, &in_layout, AV_SAMPLE_FMT_FLT, in_rate, 0, nullptr);
    impl_->swr.reset(swr);
    detail::check_av(rc, "configuring the audio resampler");
    // A longer filter than the default (32 taps): the stop band stays 60 dB down next to
    // the new Nyquist frequency (speech analysis at 16 kHz from 48 kHz material).
    av_opt_set_int(swr, "filter_size", 64, 0);
    av_opt_set_double(swr, "rematrix_maxval", 1.0, 0);  // downmix averages: never above full scale
    detail::check_av(swr_init(swr), "starting the audio resampler");
    impl_->in_channels = in_channels;
    impl_->out_channels = out_channels;
}

StreamResampler::~StreamResampler() = default;
StreamResampler::StreamResampler(StreamResampler&&) noexcept = default;
StreamResampler& StreamResampler::operator=(StreamResampler&&) noexcept = default;

std::span<const float> StreamResampler::push(std::span<const float> interleaved) {
    const auto frames = static_cast<int>(interleaved.size() / static_cast<std::size_t>(impl_->in_channels));
    return impl_->convert(interleaved.data(), frames);
}

std::span<const float> StreamResampler::flush() {
    if (impl_->flushed) return {};
    impl_->flushed = true;
    return impl_->convert(nullptr, 0);
}

AudioBuffer resample(const AudioBuffer& audio, int sample_rate) {
    if (sample_rate <= 0 || audio.sample_rate <= 0 || audio.channels <= 0)
        throw InputError("cannot resample audio of " + std::to_string(audio.channels) + " channel(s) at " +
                         std::to_string(audio.sample_rate) + " Hz to " + std::to_string(sample_rate) + " Hz");
    if (audio.sample_rate == sample_rate) return audio;
    AudioBuffer out;
    out.sample_rate = sample_rate;
    out.channels = audio.channels;
    StreamResampler resampler(audio.sample_rate, audio.channels, sample_rate, audio.channels);
    const auto first = resampler.push(audio.samples);
    out.samples.assign(first.begin(), first.end());
    const auto tail = resampler.flush();
    out.samples.insert(out.samples.end(), tail.begin(), tail.end());
    // The input's duration at the new rate, to the nearest frame (libswresample's flush can
    // differ by a frame from that rounding).
    const auto frames = static_cast<std::size_t>(
        std::llround(static_cast<double>(audio.frames()) * sample_rate / static_cast<double>(audio.sample_rate)));
    out.samples.resize(frames * static_cast<std::size_t>(audio.channels), 0.0f);
    return out;
}

}  // namespace dramaloc::media
