#pragma once
// Reading decoded video frames, optionally only a region (e.g. the burned-in subtitle band),
// every Nth frame, as gray or RGB, optionally downscaled. Every frame is decoded (H.264 is
// inter-coded) with FFmpeg's frame threads, but only selected frames are converted, and only
// their region, so band-only reads stay cheap.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/time.hpp"

namespace dramaloc::media {

// A rectangle in pixels of the coded (stored, unrotated) picture. Empty = the whole frame.
struct Rect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
    bool operator==(const Rect&) const = default;
};

enum class PixelKind { Gray, Rgb24 };

struct VideoReadOptions {
    Rect roi;                 // region to read; empty = full frame
    int frame_step = 1;       // convert frames 0, step, 2*step, …
    PixelKind kind = PixelKind::Gray;
    int output_width = 0;     // 0 = the region's width; otherwise scaled, keeping the aspect ratio
    // Decode key frames only (the decoder skips every other frame, so a sparse look over a
    // whole episode costs a fraction of a full decode). `index` then counts key frames.
    bool keyframes_only = false;
};

struct VideoFrame {
    std::int64_t index = 0;   // index of the frame in decode-output (display) order, from 0
    TimeMs pts = 0;           // presentation time from the start of the stream
    int width = 0;
    int height = 0;
    int stride = 0;           // bytes per row in `pixels` (width or 3*width, no padding)
    std::vector<std::uint8_t> pixels;
};

// One object is used by one thread at a time (FFmpeg may use worker threads internally).
class VideoFrameReader {
public:
    // Throws InputError for unreadable/non-media/damaged files, a file without video, a bad
    // step/width, or a region outside the picture ("…: band y0:y1 … is outside the WxH frame").
    explicit VideoFrameReader(const std::filesystem::path& path, VideoReadOptions options = {});
    ~VideoFrameReader();
    VideoFrameReader(VideoFrameReader&&) noexcept;
    VideoFrameReader& operator=(VideoFrameReader&&) noexcept;

    // The next selected frame; false at the end. Reuses `frame.pixels`' allocation.
    bool next(VideoFrame& frame);

    int source_width() const;
    int source_height() const;
    FrameRate frame_rate() const;
    Rect roi() const;  // the region actually read (the full frame when none was given)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dramaloc::media
