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
