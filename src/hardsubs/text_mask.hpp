#pragma once
// The text mask of burned-in subtitles: thin bright strokes of any colour between dark sides
// (the outline, shadow or box every short drama's subtitles have: white, yellow or light
// blue fill, black border). Raw colour or luma thresholds fail on busy backgrounds; asking for
// a stroke — dark on both sides within a stroke's width — removes bright highlights and the
// bright background next to an outline, whatever the text's colour.
#include <cstddef>
#include <cstdint>
#include <functional>
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

// Outline radius for a frame of this width (the 1080-wide default scaled).
int outline_radius_for_width(int frame_width);
// How far a stroke's dark sides may be for a frame of this width, in mask (half-resolution)
// pixels: half a thick stroke (a bold 90 px font at 1080 wide) and its outline.
int stroke_radius_for_width(int frame_width);

// Limited-range luma (16..235) thresholds, at mask resolution.
struct TextMaskOptions {
    int bright_min = 150;      // a fill pixel's luma: white, yellow and light blue text all pass
    int chroma_max = 255;      // |U - 128| and |V - 128| of the fill; 255: any colour
    int dark_max = 90;
    int dark_chroma_max = 64;  // |U - 128| + |V - 128| of the outline
    int outline_radius = 3;    // how far the dark sides may be (mask pixels)
    // The brighter the fill, the lighter its dark sides may be (about 70 levels of contrast):
    // a fill of light_min takes sides up to light_dark_max (light blue text with a thin outline
    // blended into a bright background at half resolution), one of very_bright_min sides up to
    // dim_max (white text with a shadow only, over mid-tones).
    int light_min = 185;
    int light_dark_max = 115;
    int very_bright_min = 215;
    int dim_max = 130;
};

struct Yuv420View {
    const std::uint8_t* y = nullptr;  // width x height, `width` bytes per row
    const std::uint8_t* u = nullptr;  // width/2 x height/2
    const std::uint8_t* v = nullptr;
    int width = 0;   // even
    int height = 0;  // even
};
// The mask of a decoded 4:2:0 frame (limited-range YUV as coded, no RGB conversion), at half
// resolution: luma averaged over each 2x2 block, chroma as stored. This is what one decode of
// an episode keeps of every frame (scan.hpp); which colour is the subtitles' is decided later,
// from the pixels that stay (ocr_image.hpp).
Mask text_mask_yuv420_half(const Yuv420View& frame, const TextMaskOptions& options);

// The same, frame after frame, without allocating: the buffers live in the object. Only rows
// [row0, row1) of the mask are computed (the band, once it is known); the rest is 0.
class TextMasker {
public:
    explicit TextMasker(TextMaskOptions options);
    const Mask& mask(const Yuv420View& frame, int row0 = 0, int row1 = -1);

private:
    TextMaskOptions options_;
    Mask out_;
    std::vector<std::uint8_t> darkness_;  // 3 dark, 2 dim, 1 dimmer, 0 none
    std::vector<std::uint8_t> needed_;    // for fill pixels: the darkness their sides need
    std::vector<std::uint8_t> row_has_fill_;
    int done0_ = 0, done1_ = 0;           // rows the last mask computed
};

// The same for an RGB picture (removal works on RGB frames): converted to 4:2:0 the way an
// encoder would, then as above. `image.width` and `image.height` are made even.
Mask text_mask_rgb_half(const RgbView& image, const TextMaskOptions& options);

// Square dilation by `radius` pixels.
Mask dilate(const Mask& mask, int radius);

// Pixel-wise AND (same size).
void intersect(Mask& into, const Mask& other);

// |a XOR b| and |a OR b| (same size).
std::size_t count_differences(const Mask& a, const Mask& b);
std::size_t count_union(const Mask& a, const Mask& b);

// Smallest rectangle holding every set pixel; empty when none is set.
media::Rect bounding_box(const Mask& mask);

// Calls visit(pixels) with the indices (into Mask::bits) of each 8-connected component.
void for_each_component(const Mask& mask, const std::function<void(const std::vector<std::size_t>& pixels)>& visit);

// Removes 8-connected components smaller than `min_pixels` (specks of background).
void remove_small_components(Mask& mask, std::size_t min_pixels);

}  // namespace dramaloc::hardsubs
