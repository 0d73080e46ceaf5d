#pragma once
// Writing MP4 files: H.264 (libx264, yuv420p) + AAC (FFmpeg's native encoder), in-process.
// Outputs are transactional: they appear at their path only when complete (core AtomicFile,
// the temporary keeps the .mp4 extension); any failure or a writer destroyed without
// finish() leaves nothing behind.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/time.hpp"
#include "media/audio.hpp"

namespace dramaloc::media {

struct VideoEncodeOptions {
    int width = 0;                 // even numbers (yuv420p)
    int height = 0;
    FrameRate fps{30, 1};
    int crf = 23;                  // x264 constant rate factor: lower = better and bigger
    std::string preset = "veryfast";
    int audio_sample_rate = 48000;
    int audio_channels = 2;
    int audio_bitrate = 128000;    // bits/s
    std::string audio_language;    // BCP-47 ("zh"); written as ISO 639-2 ("zho"); empty = undetermined
    std::string audio_title;       // track title / handler name; may be empty
    int rotation_degrees = 0;      // display matrix: players turn the picture this much clockwise (0/90/180/270)
    bool faststart = true;         // index (moov) before the media data, for streaming
    int keyframe_interval_s = 0;   // 0: every 2 s plus scene cuts; else exactly every N s
    // Frames given to write_rgb_frame are of this size and scaled (bicubic) to width x height,
    // as a 720p master upscaled for a 1080p release would be. 0: the same size.
    int input_width = 0;
    int input_height = 0;
};

// Writes one MP4: frames in order at opts.fps, audio in any number of chunks.
// One object is used by one thread at a time (x264 uses its own worker threads).
class Mp4Writer {
public:
    // Throws ConfigError for impossible options (odd size, bad fps, unknown preset) and
    // EngineError when libx264 or the AAC encoder is unavailable.
    Mp4Writer(const std::filesystem::path& output, VideoEncodeOptions options, bool with_audio);
    ~Mp4Writer();  // without finish(): removes everything written so far
    Mp4Writer(const Mp4Writer&) = delete;
    Mp4Writer& operator=(const Mp4Writer&) = delete;

    // One RGB24 frame of options.width x options.height (or the input size when one is given);
    // `stride` = bytes per row (>= 3*width).
    void write_rgb_frame(const std::uint8_t* rgb24, int stride);

    // Appends audio (any rate/channel count: resampled and converted to the output format).
    // Throws ConfigError when the writer was made without audio.
    void write_audio(const AudioBuffer& audio);

    // Flushes the encoders, writes the index and moves the file into place.
    void finish();

    std::int64_t frames_written() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A decoded frame handed to a painter: RGB24 pixels it may modify in place.
struct VideoFrameRgb {
    int width = 0;
    int height = 0;
    int stride = 0;                // bytes per row
    std::uint8_t* pixels = nullptr;
    std::int64_t index = 0;        // frame number from 0
};

struct VideoTranscodeOptions {
    int crf = 20;
    std::string preset = "veryfast";
    bool faststart = true;
    // The encoded size (even numbers), scaled to (bicubic) after painting; 0: the coded size.
    int width = 0;
    int height = 0;
    // A ceiling on the bitrate over the constant quality of `crf` (x264's VBV at 90 % of it, a
    // one-second buffer starting nearly empty: even a short clip averages under it); 0: none.
    int max_bitrate_kbps = 0;
};

// Decodes the best video stream of `input`, calls `paint(frame, pts)` on every frame (RGB24,
// coded size, in display order), re-encodes it as H.264 with the same timestamps and display
// matrix (scaled when options ask), and copies every audio stream unchanged. Used for
// burned-in subtitles and for pictures a delivery profile wants at another size or bitrate.
// Throws InputError for bad input, Cancelled on request; never leaves a partial `output`.
void transcode_video(const std::filesystem::path& input, const std::filesystem::path& output,
                     const std::function<void(VideoFrameRgb& frame, TimeMs pts)>& paint,
                     const VideoTranscodeOptions& options = {});

}  // namespace dramaloc::media
