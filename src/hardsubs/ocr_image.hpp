#pragma once
// The picture OCR reads, made from a subtitle's text mask: the ink black on white, cropped
// to the text with a margin, and scaled so that one line of text is about `line_height`
// pixels tall. tesseract's LSTM models read lines of a few tens of pixels best: big bands
// (1080-wide video) are scaled down, small ones (720-wide, small fonts) up, with area
// averaging so that the edges keep grey levels as in the printed text the models learnt from.
#include <cstddef>

#include "engines/ocr.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {

// Height of the tallest line of ink: rows with ink, split into lines at empty rows. 0 when
// the mask is empty.
int text_line_height(const Mask& mask);

// Specks smaller than `min_component_pixels` are removed first. An empty image when nothing
// is left.
engines::GrayImage ocr_image(Mask mask, std::size_t min_component_pixels, int line_height);

}  // namespace dramaloc::hardsubs
