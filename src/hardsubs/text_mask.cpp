#include "hardsubs/text_mask.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace dramaloc::hardsubs {

std::size_t Mask::count() const { return static_cast<std::size_t>(std::count(bits.begin(), bits.end(), std::uint8_t{1})); }

int outline_radius_for_width(int frame_width) { return std::max(2, (frame_width * 6 + 540) / 1080); }

int stroke_radius_for_width(int frame_width) { return std::max(2, (5 * frame_width + 540) / 1080); }

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

Mask text_mask_rgb_half(const RgbView& image, const TextMaskOptions& o) {
    // BT.601 limited range, chroma averaged over each 2x2 block: what an encoder stores.
    const int w = image.width & ~1, h = image.height & ~1;
    std::vector<std::uint8_t> y(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)), u(y.size() / 4), v(y.size() / 4);
    for (int row = 0; row < h; row += 2)
        for (int col = 0; col < w; col += 2) {
            int r = 0, g = 0, b = 0;
            for (int k = 0; k < 4; ++k) {
                const std::uint8_t* p = image.pixels + static_cast<std::ptrdiff_t>(row + k / 2) * image.stride + (col + k % 2) * 3;
                y[static_cast<std::size_t>(row + k / 2) * static_cast<std::size_t>(w) + static_cast<std::size_t>(col + k % 2)] =
                    static_cast<std::uint8_t>((66 * p[0] + 129 * p[1] + 25 * p[2] + 128) / 256 + 16);
                r += p[0], g += p[1], b += p[2];
            }
            const std::size_t c = static_cast<std::size_t>(row / 2) * static_cast<std::size_t>(w / 2) + static_cast<std::size_t>(col / 2);
            u[c] = static_cast<std::uint8_t>(std::clamp((-38 * r - 74 * g + 112 * b + 512) / 1024 + 128, 0, 255));
            v[c] = static_cast<std::uint8_t>(std::clamp((112 * r - 94 * g - 18 * b + 512) / 1024 + 128, 0, 255));
        }
    return text_mask_yuv420_half({y.data(), u.data(), v.data(), w, h}, o);
}

Mask text_mask_yuv420_half(const Yuv420View& f, const TextMaskOptions& o) {
    // Every frame of an episode goes through here, so the work follows the text: fill pixels
    // are few, and only they need the stroke test.
    //
    // A stroke is a thin bright line with its outline (or shadow, or box, or a dark
    // background) on both sides: a fill pixel needs a dark pixel within the radius to its left
    // and to its right, or above and below. Bright background next to an outline has the
    // outline on one side only, and is not taken (white text over a bright wall). The
    // brighter the fill, the lighter its sides may be (a thin outline averaged with the
    // background at half resolution, a shadow over mid-tones): each pixel has a darkness
    // level, and each fill pixel the level its sides need.
    const int w = f.width / 2, h = f.height / 2, r = std::max(1, o.outline_radius);
    const auto uw = static_cast<std::size_t>(w);
    Mask out(w, h);
    std::vector<std::uint8_t> darkness(uw * static_cast<std::size_t>(h));  // 3 dark, 2 dim, 1 dimmer, 0 none
    std::vector<std::uint8_t> needed(uw * static_cast<std::size_t>(h));    // for fill pixels: the level their sides need
    std::vector<std::uint8_t> row_has_fill(static_cast<std::size_t>(h), 0);
    const auto width = static_cast<std::size_t>(f.width);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* top = f.y + static_cast<std::size_t>(2 * y) * width;
        const std::uint8_t* bottom = top + width;
        const std::uint8_t* u = f.u + static_cast<std::size_t>(y) * uw;
        const std::uint8_t* v = f.v + static_cast<std::size_t>(y) * uw;
        std::uint8_t* fill = &out.bits[static_cast<std::size_t>(y) * uw];
        std::uint8_t* d = &darkness[static_cast<std::size_t>(y) * uw];
        std::uint8_t* need = &needed[static_cast<std::size_t>(y) * uw];
        std::uint8_t any = 0;
        for (int x = 0; x < w; ++x) {
            const int luma = (top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1] + 2) >> 2;
            const int cu = u[x] - 128, cv = v[x] - 128;
            const int au = cu < 0 ? -cu : cu, av = cv < 0 ? -cv : cv;
            fill[x] = static_cast<std::uint8_t>(luma >= o.bright_min && au <= o.chroma_max && av <= o.chroma_max);
            need[x] = static_cast<std::uint8_t>(luma >= o.very_bright_min ? 1 : luma >= o.light_min ? 2 : 3);
            d[x] = static_cast<std::uint8_t>(luma <= o.dark_max && au + av <= o.dark_chroma_max ? 3 : luma <= o.light_dark_max ? 2 : luma <= o.dim_max ? 1 : 0);
            any |= fill[x];
        }
        row_has_fill[static_cast<std::size_t>(y)] = any;
    }
    // Pixels of each darkness level or more counted along each row (prefix sums), for the rows
    // with fill.
    std::vector<std::uint16_t> prefix[4];
    for (auto& p : prefix) p.assign(uw + 1, 0);
    for (int y = 0; y < h; ++y) {
        if (!row_has_fill[static_cast<std::size_t>(y)]) continue;
        const std::uint8_t* d = &darkness[static_cast<std::size_t>(y) * uw];
        for (int x = 0; x < w; ++x) {
            const auto k = static_cast<std::size_t>(x);
            for (int level = 1; level <= 3; ++level) prefix[level][k + 1] = static_cast<std::uint16_t>(prefix[level][k] + (d[x] >= level));
        }
        std::uint8_t* fill = &out.bits[static_cast<std::size_t>(y) * uw];
        const std::uint8_t* need = &needed[static_cast<std::size_t>(y) * uw];
        for (int x = 0; x < w; ++x) {
            if (!fill[x]) continue;
            const int level = need[x];
            const auto& counts = prefix[level];
            const auto any = [&](int a, int b) {  // [a, b] of this row, clipped
                a = std::max(0, a), b = std::min(w - 1, b);
                return a <= b && counts[static_cast<std::size_t>(b) + 1] > counts[static_cast<std::size_t>(a)];
            };
            if (any(x - r, x - 1) && any(x + 1, x + r)) continue;
            bool above = false, below = false;
            for (int k = 1; k <= r && !(above && below); ++k) {
                above = above || (y - k >= 0 && darkness[static_cast<std::size_t>(y - k) * uw + static_cast<std::size_t>(x)] >= level);
                below = below || (y + k < h && darkness[static_cast<std::size_t>(y + k) * uw + static_cast<std::size_t>(x)] >= level);
            }
            fill[x] = above && below;
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

void for_each_component(const Mask& mask, const std::function<void(const std::vector<std::size_t>& pixels)>& visit) {
    std::vector<std::uint8_t> seen(mask.bits.size(), 0);
    std::vector<std::size_t> stack;
    std::vector<std::size_t> component;
    for (std::size_t start = 0; start < mask.bits.size(); ++start) {
        if (!mask.bits[start] || seen[start]) continue;
        component.clear();
        stack.assign(1, start);
        seen[start] = 1;
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
                    if (mask.bits[j] && !seen[j]) {
                        seen[j] = 1;
                        stack.push_back(j);
                    }
                }
        }
        visit(component);
    }
}

void remove_small_components(Mask& mask, std::size_t min_pixels) {
    if (min_pixels <= 1) return;
    for_each_component(mask, [&](const std::vector<std::size_t>& pixels) {
        if (pixels.size() < min_pixels)
            for (std::size_t i : pixels) mask.bits[i] = 0;
    });
}

}  // namespace dramaloc::hardsubs
