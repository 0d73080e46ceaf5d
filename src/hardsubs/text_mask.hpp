#pragma once
// The text mask of burned-in subtitles: bright, low-chroma strokes next to a dark outline
// (the look of nearly every short drama's subtitles: white fill, black border). Raw
// colour or luma thresholds fail on busy backgrounds; requiring the outline removes
// bright highlights, and requiring low chroma removes coloured lights and skin.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/video_frames.hpp"

namespace dramaloc::hardsubs {

// A packed RGB24 picture that someone else owns.
struct RgbView {
    const std::uint8_t* pixels = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;  // bytes per row
};

// One byte per pixel, 0 or 1.
struct Mask {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> bits;

    Mask() = default;
    Mask(int w, int h) : width(w), height(h), bits(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0) {}
    std::uint8_t at(int x, int y) const { return bits[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)]; }
    std::uint8_t& at(int x, int y) { return bits[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)]; }
    std::size_t count() const;
};

struct TextMaskOptions {
    int bright_min = 180;      // every channel at least this (fill is white or near it)
    int chroma_max = 48;       // max(R,G,B) - min(R,G,B) at most this
    int dark_max = 80;         // an outline pixel: every channel at most this
    int outline_radius = 6;    // fill must have an outline pixel this close (source pixels)
    int step = 1;              // sample every step-th pixel and row (cheap masks for change detection)
};

// Outline radius for a frame of this width (the 1080-wide default scaled).
int outline_radius_for_width(int frame_width);

// Mask of size ceil(width/step) x ceil(height/step).
Mask text_mask(const RgbView& image, const TextMaskOptions& options);

// The same look read straight off a decoded 4:2:0 frame (limited-range YUV as coded, no RGB
// conversion), at half resolution: luma averaged over each 2x2 block, chroma as stored. This
// is what one decode of an episode keeps of every frame (scan.hpp). The thresholds are those
// of TextMaskOptions carried over to YUV (white fill: luma >= 170 of 16..235, chroma within
// 10 of neutral; outline: luma <= 85 and nearly neutral).
struct YuvTextMaskOptions {
    int bright_min = 170;
    int chroma_max = 10;       // |U - 128| and |V - 128| of the fill
    int dark_max = 85;
    int dark_chroma_max = 48;  // |U - 128| + |V - 128| of the outline
    int outline_radius = 3;    // half-resolution pixels
};
struct Yuv420View {
    const std::uint8_t* y = nullptr;  // width x height, `width` bytes per row
    const std::uint8_t* u = nullptr;  // width/2 x height/2
    const std::uint8_t* v = nullptr;
    int width = 0;   // even
    int height = 0;  // even
};
Mask text_mask_yuv420_half(const Yuv420View& frame, const YuvTextMaskOptions& options);

// Square dilation by `radius` pixels.
Mask dilate(const Mask& mask, int radius);

// Pixel-wise AND (same size).
void intersect(Mask& into, const Mask& other);

// |a XOR b| and |a OR b| (same size).
std::size_t count_differences(const Mask& a, const Mask& b);
std::size_t count_union(const Mask& a, const Mask& b);

// Smallest rectangle holding every set pixel; empty when none is set.
media::Rect bounding_box(const Mask& mask);

// Removes 8-connected components smaller than `min_pixels` (specks of background).
void remove_small_components(Mask& mask, std::size_t min_pixels);

}  // namespace dramaloc::hardsubs
