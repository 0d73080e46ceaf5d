#include "hardsubs/ocr_image.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace dramaloc::hardsubs {
namespace {

// Two rows of ink closer than this (in mask rows) belong to one line: the strokes of a Han
// character can leave a blank row or two inside it.
constexpr int kLineGapRows = 3;
constexpr double kMaxUpscale = 4.0;

// Ink levels (0..1) of a w x h region, drawn black on white: cropped to the ink with a margin
// and scaled so that a line `tallest` rows tall becomes `line_height` rows.
engines::GrayImage render_ink(const std::vector<float>& ink, int w, int h, int tallest, int line_height) {
    engines::GrayImage image;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (ink[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] > 0.0f)
                x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    if (x1 < 0 || tallest <= 0) return image;

    // Ink coverage of any rectangle in O(1): a summed-area table over the box.
    const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    std::vector<double> sat(static_cast<std::size_t>(bw + 1) * static_cast<std::size_t>(bh + 1), 0.0);
    const auto at = [&](int x, int y) -> double& { return sat[static_cast<std::size_t>(y) * static_cast<std::size_t>(bw + 1) + static_cast<std::size_t>(x)]; };
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x)
            at(x + 1, y + 1) = ink[static_cast<std::size_t>(y0 + y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x0 + x)] + at(x, y + 1) +
                               at(x + 1, y) - at(x, y);
    // The table at real coordinates, bilinearly: exact for pixels of constant ink.
    const auto integral = [&](double x, double y) {
        x = std::clamp(x, 0.0, static_cast<double>(bw));
        y = std::clamp(y, 0.0, static_cast<double>(bh));
        const int ix = std::min(static_cast<int>(x), bw - 1), iy = std::min(static_cast<int>(y), bh - 1);
        const double fx = x - ix, fy = y - iy;
        return at(ix, iy) * (1 - fx) * (1 - fy) + at(ix + 1, iy) * fx * (1 - fy) + at(ix, iy + 1) * (1 - fx) * fy + at(ix + 1, iy + 1) * fx * fy;
    };

    const double scale = static_cast<double>(line_height) / static_cast<double>(tallest);
    if (scale > kMaxUpscale) return image;  // ink only a few pixels tall is not a line of text
    const int margin = std::max(8, line_height / 2);
    const int iw = std::max(1, static_cast<int>(std::lround(bw * scale))), ih = std::max(1, static_cast<int>(std::lround(bh * scale)));
    image.width = iw + 2 * margin;
    image.height = ih + 2 * margin;
    image.pixels.assign(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height), 255);
    // Each output pixel averages the ink under its footprint: its own area when scaling down;
    // one source pixel around its centre when scaling up (bilinear smoothing).
    const double half = std::max(1.0, 1.0 / scale) / 2.0;
    for (int y = 0; y < ih; ++y) {
        const double cy = (y + 0.5) / scale;
        for (int x = 0; x < iw; ++x) {
            const double cx = (x + 0.5) / scale;
            const double area = (std::min(cx + half, static_cast<double>(bw)) - std::max(cx - half, 0.0)) *
                                (std::min(cy + half, static_cast<double>(bh)) - std::max(cy - half, 0.0));
            if (area <= 0) continue;
            const double sum = integral(cx + half, cy + half) - integral(cx - half, cy + half) - integral(cx + half, cy - half) +
                               integral(cx - half, cy - half);
            const double coverage = std::clamp(sum / area, 0.0, 1.0);
            image.pixels[static_cast<std::size_t>(y + margin) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x + margin)] =
                static_cast<std::uint8_t>(std::lround(255.0 * (1.0 - coverage)));
        }
    }
    return image;
}

int median(std::vector<int>& values) {
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
}

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
    std::vector<float> ink(mask.bits.begin(), mask.bits.end());
    return render_ink(ink, mask.width, mask.height, text_line_height(mask), line_height);
}

std::optional<TextColour> text_colour(const std::vector<const FrameSample*>& samples, const TextPlace& place) {
    std::vector<int> ys, us, vs;
    const Mask& core = *place.core;
    const int half = place.scale / 2;
    for (const FrameSample* s : samples)
        for (int my = 0; my < core.height; ++my) {
            const int y = place.frame_y0 + my * place.scale + half;
            if (y < s->y0 || y >= s->y1) continue;
            for (int mx = 0; mx < core.width; ++mx) {
                if (!core.at(mx, my)) continue;
                const int x = std::min(s->width - 1, mx * place.scale + half);
                ys.push_back(s->luma_at(x, y));
                us.push_back(s->u_at(x, y));
                vs.push_back(s->v_at(x, y));
            }
        }
    if (ys.empty()) return std::nullopt;
    // The core's pixels are the fill's, some of them blended with the outline at the strokes'
    // edges: the fill's own are the brighter ones, and the upper quartile of the luma is the
    // fill's. Their spread (the upper half's) is how far the fill strays.
    std::vector<std::size_t> order(ys.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ys[a] < ys[b]; });
    const auto luma_at = [&](double q) { return ys[order[std::min(order.size() - 1, static_cast<std::size_t>(q * static_cast<double>(order.size())))]]; };
    TextColour colour;
    colour.y = luma_at(0.75);
    std::vector<int> bright_u, bright_v;
    for (std::size_t k = order.size() / 2; k < order.size(); ++k) bright_u.push_back(us[order[k]]), bright_v.push_back(vs[order[k]]);
    colour.u = median(bright_u);
    colour.v = median(bright_v);
    std::vector<int> deviation;
    for (std::size_t k = 0; k < bright_u.size(); ++k) deviation.push_back(std::max(std::abs(bright_u[k] - colour.u), std::abs(bright_v[k] - colour.v)));
    colour.y_tolerance = std::clamp(8 + 2 * (luma_at(0.9) - luma_at(0.6)), 8, 30);
    colour.c_tolerance = std::clamp(6 + 2 * median(deviation), 6, 24);
    return colour;
}

namespace {

// The outline's (or shadow's, or box's) colour: the median of the region's dark pixels, those
// well below the text's luma.
TextColour outline_colour(const std::vector<const FrameSample*>& samples, int x0, int x1, int y0, int y1, const TextColour& fill) {
    std::vector<int> ys, us, vs;
    const int dark = std::min(110, fill.y - 80);
    for (const FrameSample* s : samples)
        for (int y = y0; y < y1; y += 2)
            for (int x = x0; x < x1; x += 2) {
                const int luma = s->luma_at(x, y);
                if (luma > dark) continue;
                ys.push_back(luma);
                us.push_back(s->u_at(x, y));
                vs.push_back(s->v_at(x, y));
            }
    if (ys.empty()) return {16, 128, 128};
    return {median(ys), median(us), median(vs)};
}

// The pixels reachable from the mask's border through unset pixels (4-connected).
Mask reachable_from_edge(const Mask& barrier) {
    Mask reached(barrier.width, barrier.height);
    std::vector<std::pair<int, int>> stack;
    const auto push = [&](int x, int y) {
        if (x < 0 || y < 0 || x >= barrier.width || y >= barrier.height || barrier.at(x, y) || reached.at(x, y)) return;
        reached.at(x, y) = 1;
        stack.emplace_back(x, y);
    };
    for (int x = 0; x < barrier.width; ++x) push(x, 0), push(x, barrier.height - 1);
    for (int y = 0; y < barrier.height; ++y) push(0, y), push(barrier.width - 1, y);
    while (!stack.empty()) {
        const auto [x, y] = stack.back();
        stack.pop_back();
        push(x + 1, y), push(x - 1, y), push(x, y + 1), push(x, y - 1);
    }
    return reached;
}

// A pixel brighter by a margin than the pixels two away on both sides, across or along or
// diagonally: the middle of a thin bright stroke.
bool is_ridge(const FrameSample& s, int x, int y, int x0, int x1, int y0, int y1) {
    constexpr int kMargin = 24;
    const int centre = s.luma_at(x, y);
    for (const auto& [dx, dy] : {std::pair{2, 0}, std::pair{0, 2}, std::pair{2, 2}, std::pair{2, -2}}) {
        const int ax = x - dx, ay = y - dy, bx = x + dx, by = y + dy;
        if (ax < x0 || bx < x0 || ax >= x1 || bx >= x1 || ay < y0 || by < y0 || ay >= y1 || by >= y1) continue;
        if (centre - s.luma_at(ax, ay) >= kMargin && centre - s.luma_at(bx, by) >= kMargin) return true;
    }
    return false;
}

float smoothstep(float edge0, float edge1, float x) {
    const float t = std::clamp((x - edge0) / (edge1 - edge0), 0.0f, 1.0f);
    return t * t * (3 - 2 * t);
}

}  // namespace

engines::GrayImage sample_ocr_image(const std::vector<const FrameSample*>& samples, const TextPlace& place, const TextColour& colour,
                                    InkRule rule, int line_height) {
    const Mask& core = *place.core;
    const media::Rect box = bounding_box(core);
    const int tallest = text_line_height(core) * place.scale;
    if (samples.empty() || box.empty() || tallest == 0) return {};
    // The text's box with room for the strokes the core missed (thin ones, where the fill
    // blends with the outline at mask resolution).
    const int reach = std::max(3, tallest / 6);
    int y0 = place.frame_y0 + box.y * place.scale - reach, y1 = place.frame_y0 + (box.y + box.height) * place.scale + reach;
    for (const FrameSample* s : samples) y0 = std::max(y0, s->y0), y1 = std::min(y1, s->y1);
    const int width = samples.front()->width;
    const int x0 = std::max(0, box.x * place.scale - reach), x1 = std::min(width, (box.x + box.width) * place.scale + reach);
    if (y1 <= y0 || x1 <= x0) return {};
    const int w = x1 - x0, h = y1 - y0;

    // Each pixel is placed between the outline's colour and the fill's by its luma: antialiased
    // edges fall between the two. Its chroma must then be near what that place predicts
    // (loosely: chroma is stored at half resolution, so a thin stroke's chroma is blended with
    // its outline's); the background's colours are off that line. Ink is the place along the
    // line, in the sample where it is least.
    const TextColour dark = outline_colour(samples, x0, x1, y0, y1, colour);
    const float dy = static_cast<float>(colour.y - dark.y), du = static_cast<float>(colour.u - dark.u), dv = static_cast<float>(colour.v - dark.v);
    const bool chroma = rule == InkRule::Colour;
    if (dy < 40.0f) return {};  // no contrast between fill and outline: nothing to separate
    const float chroma_length2 = du * du + dv * dv;
    Mask dark_everywhere(w, h);
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            bool all = true;  // dark in every sample? (the outline moves with the text, not with the picture)
            for (const FrameSample* s : samples) all = all && s->luma_at(x, y) <= dark.y + 50;
            dark_everywhere.at(x - x0, y - y0) = all;
        }

    std::vector<float> ink(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0.0f);
    Mask solid(w, h);  // ink above one half, for removing specks
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            float least = 1.0f;
            for (const FrameSample* s : samples) {
                const float t = std::clamp(static_cast<float>(s->luma_at(x, y) - dark.y) / dy, 0.0f, 1.5f);
                float level = smoothstep(0.3f, 0.8f, t);
                if (t > 1.3f) level *= 1.0f - smoothstep(1.3f, 1.5f, t);  // far brighter than the fill: another colour
                if (chroma && level > 0.0f) {
                    // Chroma is stored at half resolution: a thin stroke's is a blend of the
                    // fill's and the outline's, anywhere between them. Only a colour off that
                    // segment is background.
                    const float pu = static_cast<float>(s->u_at(x, y) - dark.u), pv = static_cast<float>(s->v_at(x, y) - dark.v);
                    const float k = chroma_length2 > 0.0f ? std::clamp((pu * du + pv * dv) / chroma_length2, 0.0f, 1.0f) : 0.0f;
                    const float ru = pu - k * du, rv = pv - k * dv;
                    level *= 1.0f - smoothstep(18.0f, 40.0f, std::sqrt(ru * ru + rv * rv));
                }
                least = std::min(least, level);
                if (least == 0.0f) break;
            }
            const std::size_t i = static_cast<std::size_t>(y - y0) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x - x0);
            ink[i] = least;
            // Solid ink is the fill's own colour in every sample, or the bright ridge of a stroke
            // too thin to reach it; the rest of the ink (the antialiased edge between fill and
            // outline) counts only next to solid ink. Background of nearly the fill's colour
            // (a white wall behind white text) is neither: flat, and a little off.
            bool fill = least > 0.5f;
            for (const FrameSample* s : samples) {
                if (!fill) break;
                const bool own_colour = std::abs(s->luma_at(x, y) - colour.y) <= colour.y_tolerance &&
                                        (!chroma || std::max(std::abs(s->u_at(x, y) - colour.u), std::abs(s->v_at(x, y) - colour.v)) <= colour.c_tolerance);
                fill = own_colour || is_ridge(*s, x, y, x0, x1, y0, y1);
            }
            solid.bits[i] = fill;
        }
    // Specks of the text's colour in the background: far smaller than a stroke.
    remove_small_components(solid, static_cast<std::size_t>(std::max(4, tallest * tallest / 400)));
    // Which stretches of the fill's colour are the text: those the outline encloses (what can
    // be reached from the region's edge without crossing it is background, however close its
    // colour: a white wall round white text), and those on the strokes the masks found (text
    // drawn with a shadow only, or with gaps in its outline, is not enclosed).
    const Mask outside = reachable_from_edge(dilate(dark_everywhere, 1));
    Mask on_strokes(w, h);
    for (int my = 0; my < core.height; ++my)
        for (int mx = 0; mx < core.width; ++mx) {
            if (!core.at(mx, my)) continue;
            for (int oy = 0; oy < place.scale; ++oy)
                for (int ox = 0; ox < place.scale; ++ox) {
                    const int x = mx * place.scale + ox - x0, y = place.frame_y0 + my * place.scale + oy - y0;
                    if (x >= 0 && y >= 0 && x < w && y < h) on_strokes.at(x, y) = 1;
                }
        }
    // (A stretch of background just outside an outline touches the strokes' pixels at most at
    // its edge; a stroke of a shadowed text lies on them.)
    for_each_component(solid, [&](const std::vector<std::size_t>& pixels) {
        std::size_t inside = 0, on = 0;
        for (const std::size_t i : pixels) inside += !outside.bits[i], on += on_strokes.bits[i];
        if (2 * inside >= pixels.size() || 5 * on >= pixels.size()) return;
        for (const std::size_t i : pixels) solid.bits[i] = 0;
    });
    // Faint ink (the antialiased edge between fill and outline) stays only next to solid ink.
    const Mask edge = dilate(solid, 1);
    for (std::size_t i = 0; i < ink.size(); ++i)
        if (!solid.bits[i] && (!edge.bits[i] || ink[i] > 0.5f)) ink[i] = 0.0f;
    return render_ink(ink, w, h, tallest, line_height);
}

}  // namespace dramaloc::hardsubs
