#include "hardsubs/ocr_image.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dramaloc::hardsubs {
namespace {

// Two rows of ink closer than this (in mask rows) belong to one line: the strokes of a Han
// character can leave a blank row or two inside it.
constexpr int kLineGapRows = 3;

}  // namespace

int text_line_height(const Mask& mask) {
    int tallest = 0, start = -1, last = -1;
    for (int y = 0; y < mask.height; ++y) {
        const std::uint8_t* row = &mask.bits[static_cast<std::size_t>(y) * static_cast<std::size_t>(mask.width)];
        if (std::find(row, row + mask.width, std::uint8_t{1}) == row + mask.width) continue;
        if (start < 0 || y - last > kLineGapRows) start = y;
        last = y;
        tallest = std::max(tallest, last - start + 1);
    }
    return tallest;
}

engines::GrayImage ocr_image(Mask mask, std::size_t min_component_pixels, int line_height) {
    remove_small_components(mask, min_component_pixels);
    engines::GrayImage image;
    const media::Rect box = bounding_box(mask);
    const int tallest = text_line_height(mask);
    if (box.empty() || tallest == 0) return image;

    // Ink coverage of any rectangle in O(1): a summed-area table over the box.
    const int bw = box.width, bh = box.height;
    std::vector<double> sat(static_cast<std::size_t>(bw + 1) * static_cast<std::size_t>(bh + 1), 0.0);
    const auto at = [&](int x, int y) -> double& { return sat[static_cast<std::size_t>(y) * static_cast<std::size_t>(bw + 1) + static_cast<std::size_t>(x)]; };
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x) at(x + 1, y + 1) = mask.at(box.x + x, box.y + y) + at(x, y + 1) + at(x + 1, y) - at(x, y);
    // The table at real coordinates, bilinearly: exact for pixels of constant ink.
    const auto integral = [&](double x, double y) {
        x = std::clamp(x, 0.0, static_cast<double>(bw));
        y = std::clamp(y, 0.0, static_cast<double>(bh));
        const int x0 = std::min(static_cast<int>(x), bw - 1), y0 = std::min(static_cast<int>(y), bh - 1);
        const double fx = x - x0, fy = y - y0;
        return at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy +
               at(x0 + 1, y0 + 1) * fx * fy;
    };

    const double scale = static_cast<double>(line_height) / static_cast<double>(tallest);
    const int margin = std::max(8, line_height / 2);
    const int iw = std::max(1, static_cast<int>(std::lround(bw * scale))), ih = std::max(1, static_cast<int>(std::lround(bh * scale)));
    image.width = iw + 2 * margin;
    image.height = ih + 2 * margin;
    image.pixels.assign(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height), 255);
    // Each output pixel averages the ink under its footprint in the mask: its own area when
    // scaling down; one mask pixel around its centre when scaling up (bilinear smoothing).
    const double half = std::max(1.0, 1.0 / scale) / 2.0;
    for (int y = 0; y < ih; ++y) {
        const double cy = (y + 0.5) / scale;
        for (int x = 0; x < iw; ++x) {
            const double cx = (x + 0.5) / scale;
            const double area = (std::min(cx + half, static_cast<double>(bw)) - std::max(cx - half, 0.0)) *
                                (std::min(cy + half, static_cast<double>(bh)) - std::max(cy - half, 0.0));
            if (area <= 0) continue;
            const double ink = integral(cx + half, cy + half) - integral(cx - half, cy + half) - integral(cx + half, cy - half) +
                               integral(cx - half, cy - half);
            const double coverage = std::clamp(ink / area, 0.0, 1.0);
            image.pixels[static_cast<std::size_t>(y + margin) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x + margin)] =
                static_cast<std::uint8_t>(std::lround(255.0 * (1.0 - coverage)));
        }
    }
    return image;
}

}  // namespace dramaloc::hardsubs
