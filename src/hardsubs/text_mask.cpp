#include "hardsubs/text_mask.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

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

Mask text_mask_yuv420_half(const Yuv420View& f, const YuvTextMaskOptions& o) {
    // Every frame of an episode goes through here, so the work follows the text: fill pixels
    // are few, and only they need the outline test (a dark pixel within the radius), which
    // uses the dark pixels of their own rows and the `radius` rows around them.
    const int w = f.width / 2, h = f.height / 2, r = std::max(1, o.outline_radius);
    const auto uw = static_cast<std::size_t>(w);
    Mask out(w, h);
    std::vector<std::uint8_t> dark(uw * static_cast<std::size_t>(h));
    std::vector<std::uint8_t> row_has_fill(static_cast<std::size_t>(h), 0);
    const auto width = static_cast<std::size_t>(f.width);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* top = f.y + static_cast<std::size_t>(2 * y) * width;
        const std::uint8_t* bottom = top + width;
        const std::uint8_t* u = f.u + static_cast<std::size_t>(y) * uw;
        const std::uint8_t* v = f.v + static_cast<std::size_t>(y) * uw;
        std::uint8_t* fill = &out.bits[static_cast<std::size_t>(y) * uw];
        std::uint8_t* d = &dark[static_cast<std::size_t>(y) * uw];
        std::uint8_t any = 0;
        for (int x = 0; x < w; ++x) {
            const int luma = (top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1] + 2) >> 2;
            const int cu = u[x] - 128, cv = v[x] - 128;
            const int au = cu < 0 ? -cu : cu, av = cv < 0 ? -cv : cv;
            fill[x] = static_cast<std::uint8_t>(luma >= o.bright_min && au <= o.chroma_max && av <= o.chroma_max);
            d[x] = static_cast<std::uint8_t>(luma <= o.dark_max && au + av <= o.dark_chroma_max);
            any |= fill[x];
        }
        row_has_fill[static_cast<std::size_t>(y)] = any;
    }
    // Dark pixels dilated along each row that a fill pixel's outline test can reach.
    std::vector<std::uint8_t> near_dark_in_row(uw * static_cast<std::size_t>(h), 0);
    std::vector<std::uint8_t> row_done(static_cast<std::size_t>(h), 0);
    const auto dilate_row = [&](int y) {
        if (row_done[static_cast<std::size_t>(y)]) return;
        row_done[static_cast<std::size_t>(y)] = 1;
        const std::uint8_t* d = &dark[static_cast<std::size_t>(y) * uw];
        std::uint8_t* n = &near_dark_in_row[static_cast<std::size_t>(y) * uw];
        int inside = 0;
        for (int x = 0; x < std::min(r, w); ++x) inside += d[x];
        for (int x = 0; x < w; ++x) {
            if (x + r < w) inside += d[x + r];
            if (x - r - 1 >= 0) inside -= d[x - r - 1];
            n[x] = inside > 0;
        }
    };
    for (int y = 0; y < h; ++y) {
        if (!row_has_fill[static_cast<std::size_t>(y)]) continue;
        const int y0 = std::max(0, y - r), y1 = std::min(h - 1, y + r);
        for (int k = y0; k <= y1; ++k) dilate_row(k);
        std::uint8_t* fill = &out.bits[static_cast<std::size_t>(y) * uw];
        for (int x = 0; x < w; ++x) {
            if (!fill[x]) continue;
            std::uint8_t near = 0;
            for (int k = y0; k <= y1 && !near; ++k) near = near_dark_in_row[static_cast<std::size_t>(k) * uw + static_cast<std::size_t>(x)];
            fill[x] = near;
        }
    }
    return out;
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
