#include "hardsubs/text_mask.hpp"

#include <algorithm>
#include <numeric>

namespace dramaloc::hardsubs {

std::size_t Mask::count() const { return static_cast<std::size_t>(std::count(bits.begin(), bits.end(), std::uint8_t{1})); }

int outline_radius_for_width(int frame_width) { return std::max(2, (frame_width * 6 + 540) / 1080); }

namespace {

// Running-window maximum along rows, then along columns (separable square dilation).
Mask dilate_rows(const Mask& in, int radius) {
    Mask out(in.width, in.height);
    for (int y = 0; y < in.height; ++y) {
        int inside = 0;  // set pixels in [x - radius, x + radius]
        for (int x = 0; x < std::min(radius, in.width); ++x) inside += in.at(x, y);
        for (int x = 0; x < in.width; ++x) {
            if (x + radius < in.width) inside += in.at(x + radius, y);
            if (x - radius - 1 >= 0) inside -= in.at(x - radius - 1, y);
            out.at(x, y) = inside > 0 ? 1 : 0;
        }
    }
    return out;
}

Mask dilate_columns(const Mask& in, int radius) {
    Mask out(in.width, in.height);
    std::vector<int> inside(static_cast<std::size_t>(in.width), 0);
    for (int y = 0; y < std::min(radius, in.height); ++y)
        for (int x = 0; x < in.width; ++x) inside[static_cast<std::size_t>(x)] += in.at(x, y);
    for (int y = 0; y < in.height; ++y) {
        if (y + radius < in.height)
            for (int x = 0; x < in.width; ++x) inside[static_cast<std::size_t>(x)] += in.at(x, y + radius);
        if (y - radius - 1 >= 0)
            for (int x = 0; x < in.width; ++x) inside[static_cast<std::size_t>(x)] -= in.at(x, y - radius - 1);
        for (int x = 0; x < in.width; ++x) out.at(x, y) = inside[static_cast<std::size_t>(x)] > 0 ? 1 : 0;
    }
    return out;
}

}  // namespace

Mask dilate(const Mask& mask, int radius) {
    if (radius <= 0) return mask;
    return dilate_columns(dilate_rows(mask, radius), radius);
}

Mask text_mask(const RgbView& image, const TextMaskOptions& o) {
    const int step = std::max(1, o.step);
    const int w = (image.width + step - 1) / step;
    const int h = (image.height + step - 1) / step;
    Mask bright(w, h);
    Mask dark(w, h);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* row = image.pixels + static_cast<std::ptrdiff_t>(y) * step * image.stride;
        for (int x = 0; x < w; ++x) {
            const std::uint8_t* p = row + static_cast<std::ptrdiff_t>(x) * step * 3;
            const int lo = std::min({p[0], p[1], p[2]});
            const int hi = std::max({p[0], p[1], p[2]});
            if (lo >= o.bright_min && hi - lo <= o.chroma_max) bright.at(x, y) = 1;
            else if (hi <= o.dark_max) dark.at(x, y) = 1;
        }
    }
    const Mask near_dark = dilate(dark, std::max(1, (o.outline_radius + step - 1) / step));
    for (std::size_t i = 0; i < bright.bits.size(); ++i) bright.bits[i] &= near_dark.bits[i];
    return bright;
}

void intersect(Mask& into, const Mask& other) {
    for (std::size_t i = 0; i < into.bits.size() && i < other.bits.size(); ++i) into.bits[i] &= other.bits[i];
}

std::size_t count_differences(const Mask& a, const Mask& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.bits.size() && i < b.bits.size(); ++i) n += (a.bits[i] ^ b.bits[i]);
    return n;
}

std::size_t count_union(const Mask& a, const Mask& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.bits.size() && i < b.bits.size(); ++i) n += (a.bits[i] | b.bits[i]);
    return n;
}

media::Rect bounding_box(const Mask& mask) {
    int x0 = mask.width, y0 = mask.height, x1 = -1, y1 = -1;
    for (int y = 0; y < mask.height; ++y)
        for (int x = 0; x < mask.width; ++x)
            if (mask.at(x, y)) {
                x0 = std::min(x0, x), x1 = std::max(x1, x);
                y0 = std::min(y0, y), y1 = std::max(y1, y);
            }
    if (x1 < 0) return {};
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

void remove_small_components(Mask& mask, std::size_t min_pixels) {
    if (min_pixels <= 1) return;
    std::vector<int> label(mask.bits.size(), 0);
    std::vector<std::size_t> stack;
    std::vector<std::size_t> component;
    int next_label = 0;
    for (std::size_t start = 0; start < mask.bits.size(); ++start) {
        if (!mask.bits[start] || label[start]) continue;
        ++next_label;
        component.clear();
        stack.assign(1, start);
        label[start] = next_label;
        while (!stack.empty()) {
            const std::size_t i = stack.back();
            stack.pop_back();
            component.push_back(i);
            const int x = static_cast<int>(i % static_cast<std::size_t>(mask.width));
            const int y = static_cast<int>(i / static_cast<std::size_t>(mask.width));
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= mask.width || ny >= mask.height) continue;
                    const std::size_t j = static_cast<std::size_t>(ny) * static_cast<std::size_t>(mask.width) + static_cast<std::size_t>(nx);
                    if (mask.bits[j] && !label[j]) {
                        label[j] = next_label;
                        stack.push_back(j);
                    }
                }
        }
        if (component.size() < min_pixels)
            for (std::size_t i : component) mask.bits[i] = 0;
    }
}

}  // namespace dramaloc::hardsubs
