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

// Gray and Rgb24 are packed; Yuv420 is planar without conversion of the colours: the luma
// plane (width x height), then the two chroma planes of (width/2) x (height/2) each, as the
// codec holds them (limited range, BT.601/709 as coded).
enum class PixelKind { Gray, Rgb24, Yuv420 };

struct VideoReadOptions {
    Rect roi;                 // region to read; empty = full frame
    int frame_step = 1;       // convert frames 0, step, 2*step, …
    PixelKind kind = PixelKind::Gray;
    int output_width = 0;     // 0 = the region's width; otherwise scaled, keeping the aspect ratio
    // Frames that no other frame refers to (most B-frames) are not decoded: about half the
    // decoding work, for readers that need a look at most frames but not every one (the
    // B-frames still decoded are not deblocked). `index` stays the frame's place in the stream
    // (from its time), so indices then skip.
    bool skip_non_reference = false;
};

struct VideoFrame {
    std::int64_t index = 0;   // index of the frame in decode-output (display) order, from 0
    TimeMs pts = 0;           // presentation time from the start of the stream
    int width = 0;
    int height = 0;
    int stride = 0;           // bytes per row in `pixels` (width or 3*width, no padding; Yuv420: of the luma plane)
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
    // Frames of the video stream read from the file so far, decoded or skipped (each packet is one
    // frame): after the last next(), the stream's frame count.
    std::int64_t frames_in_stream() const;
    TimeMs duration_ms() const;  // of the video stream (else the file), 0 when unknown
    Rect roi() const;  // the region actually read (the full frame when none was given)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dramaloc::media
