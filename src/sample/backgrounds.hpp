#pragma once
// Moving backgrounds and a fixed corner logo for sample episodes. Everything costly is
// precomputed once; painting a frame is a few row copies, so generating minutes of
// 1080x1920 video is bounded by the encoder, not by painting.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "subtitles/render/ass_renderer.hpp"

namespace dramaloc::sample {

enum class Background {
    Plain,    // a slowly drifting vertical gradient
    Striped,  // diagonal stripes moving across the frame
    Busy,     // a fractal texture with bright spots, scrolling (hard for band detection)
};
const char* to_string(Background background) noexcept;
std::optional<Background> background_from_string(std::string_view name) noexcept;

// What is behind the text of a sample's frames.
class FrameBackground {
public:
    virtual ~FrameBackground() = default;
    // Paints frame `index` (whole frame) into packed RGB24. Frames are painted in order.
    virtual void paint(std::int64_t index, std::uint8_t* rgb24, int stride) = 0;
};

class BackgroundPainter : public FrameBackground {
public:
    BackgroundPainter(Background kind, int width, int height, std::uint64_t seed);
    void paint(std::int64_t index, std::uint8_t* rgb24, int stride) override;

private:
    Background kind_;
    int width_;
    int height_;
    // Plain: rows of a tall cyclic gradient. Striped: one long patterned row.
    // Busy: a width x height texture that tiles in both directions.
    std::vector<std::uint8_t> pixels_;
    int period_ = 0;  // rows (plain) or pixels (striped) before the pattern repeats
};

// A station logo in the top-right corner: opaque, identical in every frame (band
// detection must learn to ignore on-screen text that never changes).
class CornerLogo {
public:
    CornerLogo(int frame_width, int frame_height);
    void paint(std::uint8_t* rgb24, int stride) const;
    const subtitles::PixelRect& area() const { return area_; }

private:
    subtitles::PixelRect area_;
    std::vector<std::uint8_t> patch_;  // area_.width * area_.height * 3
};

}  // namespace dramaloc::sample
