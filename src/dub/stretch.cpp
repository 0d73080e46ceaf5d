#include "dub/stretch.hpp"

#include <rubberband/RubberBandStretcher.h>

#include <algorithm>
#include <vector>

#include "core/cancel.hpp"
#include "core/error.hpp"

namespace dramaloc::dub {
namespace {

constexpr std::size_t kBlock = 4096;

using RubberBand::RubberBandStretcher;

}  // namespace

media::AudioBuffer stretch_to_frames(const media::AudioBuffer& audio, SampleCount frames) {
    if (frames < 0) throw InputError("cannot stretch audio to a negative length");
    media::AudioBuffer out;
    out.sample_rate = audio.sample_rate;
    out.channels = audio.channels;
    out.samples.assign(static_cast<std::size_t>(frames * audio.channels), 0.0f);
    const SampleCount in_frames = audio.frames();
    if (in_frames == 0 || frames == 0) return out;
    if (in_frames == frames) return audio;

    const auto channels = static_cast<std::size_t>(audio.channels);
    const auto total = static_cast<std::size_t>(in_frames);
    // Rubber Band takes one array per channel.
    std::vector<std::vector<float>> planes(channels, std::vector<float>(total));
    for (std::size_t i = 0; i < total; ++i) {
        for (std::size_t c = 0; c < channels; ++c) planes[c][i] = audio.samples[i * channels + c];
    }
    const RubberBandStretcher::Options options =
        RubberBandStretcher::OptionProcessOffline | RubberBandStretcher::OptionEngineFiner |
        RubberBandStretcher::OptionThreadingNever | RubberBandStretcher::OptionChannelsTogether;
    RubberBandStretcher stretcher(static_cast<std::size_t>(audio.sample_rate), channels, options,
                                  static_cast<double>(frames) / static_cast<double>(in_frames), 1.0);
    stretcher.setExpectedInputDuration(total);
    stretcher.setMaxProcessSize(kBlock);

    std::vector<const float*> in_ptrs(channels);

    std::vector<std::vector<float>> result(channels);
    std::vector<std::vector<float>> chunk(channels, std::vector<float>(kBlock));
    std::vector<float*> out_ptrs(channels);
    const auto drain = [&] {
        int available = 0;
        while ((available = stretcher.available()) > 0) {
            const std::size_t n = std::min<std::size_t>(kBlock, static_cast<std::size_t>(available));
            for (std::size_t c = 0; c < channels; ++c) out_ptrs[c] = chunk[c].data();
            const std::size_t got = stretcher.retrieve(out_ptrs.data(), n);
            for (std::size_t c = 0; c < channels; ++c) result[c].insert(result[c].end(), chunk[c].begin(), chunk[c].begin() + static_cast<std::ptrdiff_t>(got));
            if (got == 0) break;
        }
    };
    for (std::size_t pos = 0; pos < total; pos += kBlock) {
        throw_if_cancelled();
        const std::size_t n = std::min(kBlock, total - pos);
        for (std::size_t c = 0; c < channels; ++c) in_ptrs[c] = planes[c].data() + pos;
        stretcher.study(in_ptrs.data(), n, pos + n >= total);
    }
    for (std::size_t pos = 0; pos < total; pos += kBlock) {
        throw_if_cancelled();
        const std::size_t n = std::min(kBlock, total - pos);
        for (std::size_t c = 0; c < channels; ++c) in_ptrs[c] = planes[c].data() + pos;
        stretcher.process(in_ptrs.data(), n, pos + n >= total);
        drain();
    }
    drain();

    // Rubber Band lands within a few frames of the requested length; the rest is exact.
    const std::size_t produced = result.empty() ? 0 : result[0].size();
    const std::size_t keep = std::min(produced, static_cast<std::size_t>(frames));
    for (std::size_t i = 0; i < keep; ++i) {
        for (std::size_t c = 0; c < channels; ++c) out.samples[i * channels + c] = result[c][i];
    }
    return out;
}

}  // namespace dramaloc::dub
