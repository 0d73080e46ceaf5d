#pragma once
// Small generated fixtures for the media tests: MP4s written with our own Mp4Writer from
// synthesized colour frames and sines, and an independent packet listing for comparisons.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace dramaloc::test {

struct TestVideoSpec {
    int width = 180;
    int height = 320;
    FrameRate fps{30, 1};
    int frames = 60;
    bool with_audio = true;
    int audio_sample_rate = 48000;
    int audio_channels = 2;
    double tone_hz = 1000.0;
    int rotation_degrees = 0;
    std::string audio_language = "zh";
    std::string preset = "ultrafast";  // "veryfast" gives B-frames (pts != dts)
    bool faststart = true;
    // The subtitle band: rows [band_y, band_y + band_height) are painted band_rgb; the rest is mid gray.
    int band_y = 240;
    int band_height = 40;
    std::uint8_t band_rgb[3] = {230, 40, 40};
    std::uint8_t background_rgb[3] = {128, 128, 128};
};

// Writes an MP4 following `spec` with media::Mp4Writer.
void write_test_video(const std::filesystem::path& path, const TestVideoSpec& spec = {});

// One demuxed packet, as our own reader sees it.
struct PacketRecord {
    std::int64_t pts = 0;
    std::int64_t dts = 0;
    int size = 0;
    bool key = false;
    std::string hash;  // of the payload
    bool operator==(const PacketRecord&) const = default;
};

// All packets of the stream with container index `stream_index` (timestamps in its time base).
std::vector<PacketRecord> read_stream_packets(const std::filesystem::path& path, int stream_index);

// Whether the ffmpeg/ffprobe command-line tools are on PATH (used only as independent checks).
bool have_ffprobe();

}  // namespace dramaloc::test
