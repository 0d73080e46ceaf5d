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

TextMasker::TextMasker(TextMaskOptions options) : options_(options) {}

const Mask& TextMasker::mask(const Yuv420View& f, int row0, int row1) {
    // Every frame of an episode goes through here, so the work follows the text: fill pixels
    // are few, and only they need the stroke test; the buffers live from frame to frame.
    //
    // A stroke is a thin bright line with its outline (or shadow, or box, or a dark
    // background) on both sides: a fill pixel needs a dark pixel within the radius to its left
    // and to its right, or above and below. Bright background next to an outline has the
    // outline on one side only, and is not taken (white text over a bright wall). The
    // brighter the fill, the lighter its sides may be (a thin outline averaged with the
    // background at half resolution, a shadow over mid-tones): each pixel has a darkness
    // level, and each fill pixel the level its sides need.
    const TextMaskOptions& o = options_;
    const int w = f.width / 2, h = f.height / 2, r = std::max(1, o.outline_radius);
    const auto uw = static_cast<std::size_t>(w);
    if (out_.width != w || out_.height != h) {
        out_ = Mask(w, h);
        darkness_.assign(uw * static_cast<std::size_t>(h), 0);
        needed_.assign(uw * static_cast<std::size_t>(h), 0);
        row_has_fill_.assign(static_cast<std::size_t>(h), 0);
        done0_ = done1_ = 0;
    }
    row0 = std::clamp(row0, 0, h);
    row1 = std::clamp(row1 < 0 ? h : row1, row0, h);
    // Rows the last frame computed and this one does not: cleared, so the mask is this frame's.
    for (int y = done0_; y < done1_; ++y)
        if (y < row0 || y >= row1) std::fill_n(&out_.bits[static_cast<std::size_t>(y) * uw], uw, std::uint8_t{0});
    done0_ = row0, done1_ = row1;
    // The stroke test looks `r` rows up and down: those rows are classified too.
    const int c0 = std::max(0, row0 - r), c1 = std::min(h, row1 + r);
    const auto width = static_cast<std::size_t>(f.width);
    for (int y = c0; y < c1; ++y) {
        const std::uint8_t* top = f.y + static_cast<std::size_t>(2 * y) * width;
        const std::uint8_t* bottom = top + width;
        const std::uint8_t* u = f.u + static_cast<std::size_t>(y) * uw;
        const std::uint8_t* v = f.v + static_cast<std::size_t>(y) * uw;
        std::uint8_t* fill = &out_.bits[static_cast<std::size_t>(y) * uw];
        std::uint8_t* d = &darkness_[static_cast<std::size_t>(y) * uw];
        std::uint8_t* need = &needed_[static_cast<std::size_t>(y) * uw];
        // Branch-free, on local copies of the thresholds (stores through byte pointers could
        // alias them), so that the compiler vectorises it: most of a frame's pixels pass here.
        const int bright_min = o.bright_min, chroma_max = o.chroma_max, light_min = o.light_min, very_bright_min = o.very_bright_min;
        const int dim_max = o.dim_max, light_dark_max = o.light_dark_max, dark_max = o.dark_max, dark_chroma_max = o.dark_chroma_max;
        std::uint8_t any = 0;
        for (int x = 0; x < w; ++x) {
            const int luma = (top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1] + 2) >> 2;
            const int cu = u[x] - 128, cv = v[x] - 128;
            const int au = cu < 0 ? -cu : cu, av = cv < 0 ? -cv : cv;
            const int is_fill = (luma >= bright_min) & (au <= chroma_max) & (av <= chroma_max);
            fill[x] = static_cast<std::uint8_t>(is_fill);
            need[x] = static_cast<std::uint8_t>(3 - (luma >= light_min) - (luma >= very_bright_min));
            d[x] = static_cast<std::uint8_t>((luma <= dim_max) + (luma <= light_dark_max) + ((luma <= dark_max) & (au + av <= dark_chroma_max)));
            any |= static_cast<std::uint8_t>(is_fill);
        }
        row_has_fill_[static_cast<std::size_t>(y)] = any;
    }
    // The stroke test, for the fill pixels: a dark enough pixel within the radius on both
    // sides, along the row or the column.
    for (int y = row0; y < row1; ++y) {
        std::uint8_t* fill = &out_.bits[static_cast<std::size_t>(y) * uw];
        if (!row_has_fill_[static_cast<std::size_t>(y)]) continue;
        const std::uint8_t* d = &darkness_[static_cast<std::size_t>(y) * uw];
        const std::uint8_t* need = &needed_[static_cast<std::size_t>(y) * uw];
        for (int x = 0; x < w; ++x) {
            if (!fill[x]) continue;
            const int level = need[x];
            bool left = false, right = false;
            for (int k = 1; k <= r && !left; ++k) left = x - k >= 0 && d[x - k] >= level;
            for (int k = 1; k <= r && left && !right; ++k) right = x + k < w && d[x + k] >= level;
            if (left && right) continue;
            bool above = false, below = false;
            for (int k = 1; k <= r && !above; ++k) above = y - k >= c0 && darkness_[static_cast<std::size_t>(y - k) * uw + static_cast<std::size_t>(x)] >= level;
            for (int k = 1; k <= r && above && !below; ++k)
                below = y + k < c1 && darkness_[static_cast<std::size_t>(y + k) * uw + static_cast<std::size_t>(x)] >= level;
            fill[x] = above && below;
        }
    }
    // Rows classified only as neighbours hold fill flags, not mask bits.
    for (int y = c0; y < c1; ++y)
        if (y < row0 || y >= row1) std::fill_n(&out_.bits[static_cast<std::size_t>(y) * uw], uw, std::uint8_t{0});
    return out_;
}

Mask text_mask_yuv420_half(const Yuv420View& f, const TextMaskOptions& o) {
    TextMasker masker(o);
    return masker.mask(f);
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
