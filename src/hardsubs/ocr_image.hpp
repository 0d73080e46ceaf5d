#pragma once
// The pictures OCR reads: the subtitle's ink black on white, cropped to the text with a
// margin, and scaled so that one line of text is about `line_height` pixels tall. tesseract's
// LSTM models read lines of a few tens of pixels best: big text is scaled down, small text
// up, with area averaging so that the edges keep grey levels as in the printed text the
// models learnt from.
//
// Ink comes from the frames themselves at full resolution (frame_samples.hpp): a pixel is ink
// when it has the text's own colour in every sample of the subtitle (the background moves,
// the text does not) and lies on the subtitle's strokes as its mask found them. A mask alone
// (the half-resolution text mask) is the fallback when there is no sample.
#include <cstddef>
#include <optional>
#include <vector>

#include "engines/ocr.hpp"
#include "hardsubs/frame_samples.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {

// Height of the tallest line of ink: rows with ink, split into lines at empty rows. 0 when
// the mask is empty.
int text_line_height(const Mask& mask);

// Specks smaller than `min_component_pixels` are removed first. An empty image when nothing
// is left.
engines::GrayImage ocr_image(Mask mask, std::size_t min_component_pixels, int line_height);

// A colour in the frame's own terms: limited-range Y, and U, V around 128.
struct TextColour {
    int y = 0;
    int u = 128;
    int v = 128;
    // How far the fill's own pixels stray from it (compression, a gradient in the text): a
    // pixel this close is the fill, whatever else is near.
    int y_tolerance = 12;
    int c_tolerance = 8;
    bool operator==(const TextColour&) const = default;
};

// Where a subtitle's text is: its core (segments.hpp) in mask pixels, the mask's scale to the
// frame (2: half resolution), and the frame row of the mask's first row.
struct TextPlace {
    const Mask* core = nullptr;
    int scale = 2;
    int frame_y0 = 0;
};

// The text's colour: the median of the core's pixels in the samples. nullopt without samples
// or core pixels.
std::optional<TextColour> text_colour(const std::vector<const FrameSample*>& samples, const TextPlace& place);

enum class InkRule {
    Colour,  // close to the text's colour, luma and chroma
    Luma,    // close to the text's luma only (for when compression has smeared the chroma)
};

// The OCR picture of a subtitle from its samples: ink by `rule`, the least inked sample
// deciding each pixel, kept to the strokes' neighbourhood. An empty image when no ink is left.
engines::GrayImage sample_ocr_image(const std::vector<const FrameSample*>& samples, const TextPlace& place, const TextColour& colour,
                                    InkRule rule, int line_height);

}  // namespace dramaloc::hardsubs
