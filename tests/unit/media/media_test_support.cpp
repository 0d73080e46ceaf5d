#include "media_test_support.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "media/av_handles.hpp"
#include "media/video_encode.hpp"

namespace dramaloc::test {

void write_test_video(const std::filesystem::path& path, const TestVideoSpec& spec) {
    media::VideoEncodeOptions options;
    options.width = spec.width;
    options.height = spec.height;
    options.fps = spec.fps;
    options.crf = 18;
    options.preset = spec.preset;
    options.faststart = spec.faststart;
    options.audio_sample_rate = spec.audio_sample_rate;
    options.audio_channels = spec.audio_channels;
    options.audio_language = spec.audio_language;
    options.audio_title = "Mandarin";
    options.rotation_degrees = spec.rotation_degrees;
    media::Mp4Writer writer(path, options, spec.with_audio);

    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(spec.width * spec.height * 3));
    for (int y = 0; y < spec.height; ++y) {
        const bool in_band = y >= spec.band_y && y < spec.band_y + spec.band_height;
        const std::uint8_t* colour = in_band ? spec.band_rgb : spec.background_rgb;
        for (int x = 0; x < spec.width; ++x)
            for (int c = 0; c < 3; ++c) rgb[static_cast<std::size_t>((y * spec.width + x) * 3 + c)] = colour[c];
    }
    const TimeMs total_ms = spec.fps.frames_to_ms_ceil(spec.frames);
    const media::AudioBuffer tone =
        media::make_sine(spec.tone_hz, total_ms, spec.audio_sample_rate, spec.audio_channels, 0.5f);
    const SampleCount audio_per_frame = tone.frames() / spec.frames;
    for (int i = 0; i < spec.frames; ++i) {
        // A small moving square so that frames differ (real P/B frames, not all-skip).
        auto frame = rgb;
        const int sx = (i * 3) % (spec.width - 16);
        for (int y = 8; y < 24; ++y)
            for (int x = sx; x < sx + 16; ++x)
                for (int c = 0; c < 3; ++c) frame[static_cast<std::size_t>((y * spec.width + x) * 3 + c)] = 255;
        writer.write_rgb_frame(frame.data(), spec.width * 3);
        if (spec.with_audio) {
            // Audio in per-frame chunks, as a real generator would interleave it.
            media::AudioBuffer chunk;
            chunk.sample_rate = tone.sample_rate;
            chunk.channels = tone.channels;
            const SampleCount begin = i * audio_per_frame;
            const SampleCount end = i + 1 == spec.frames ? tone.frames() : begin + audio_per_frame;
            chunk.samples.assign(tone.samples.begin() + begin * tone.channels, tone.samples.begin() + end * tone.channels);
            writer.write_audio(chunk);
        }
    }
    writer.finish();
}

std::vector<PacketRecord> read_stream_packets(const std::filesystem::path& path, int stream_index) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0)
        throw InputError("test: cannot open " + path.string());
    media::InputFormatPtr input(raw);
    media::PacketPtr packet = media::make_packet();
    std::vector<PacketRecord> out;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream_index) {
            out.push_back({packet->pts, packet->dts, packet->size, (packet->flags & AV_PKT_FLAG_KEY) != 0,
                           Hasher().update(packet->data, static_cast<std::size_t>(packet->size)).hex()});
        }
        av_packet_unref(packet.get());
    }
    return out;
}

bool have_ffprobe() {
    return std::system("command -v ffprobe >/dev/null 2>&1 && command -v ffmpeg >/dev/null 2>&1") == 0;
}

}  // namespace dramaloc::test

namespace {
// FFmpeg's info-level chatter (x264 statistics) would drown the test output.
struct QuietFfmpeg : ::testing::Environment {
    void SetUp() override { dramaloc::media::set_ffmpeg_log_quiet(true); }
};
const auto* const quiet_ffmpeg = ::testing::AddGlobalTestEnvironment(new QuietFfmpeg);
}  // namespace
