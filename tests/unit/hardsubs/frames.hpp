#pragma once
// Test frames: a background with burned-in subtitle text drawn by libass, as the sample
// generator and real episodes have it (white bold text, black outline).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "hardsubs/text_mask.hpp"
#include "subtitles/render/ass_renderer.hpp"

namespace dramaloc::test {

struct TestFrame {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
    int stride() const { return width * 3; }
    std::uint8_t* row(int y) { return rgb.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride()); }
    const std::uint8_t* row(int y) const { return rgb.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride()); }
};

// Mid-tone noise (neither outline-dark nor fill-bright), so only drawn strokes are found.
inline TestFrame noisy_frame(int width, int height, unsigned seed = 7) {
    TestFrame f{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3)};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(90, 170);
    for (auto& v : f.rgb) v = static_cast<std::uint8_t>(noise(rng));
    return f;
}

// Draws `text` as a subtitle with its bottom `margin_bottom` pixels above the frame's bottom.
inline subtitles::PixelRect draw_subtitle(TestFrame& f, const std::string& text, int margin_bottom, int font_px = 56) {
    subtitles::RenderStyle style;
    style.font_size_px = font_px;
    style.outline_px = 3;
    style.margin_bottom_px = margin_bottom;
    subtitles::SubtitleRenderer renderer(f.width, f.height, style);
    renderer.set_events({SubtitleEvent{1, 0, 1000, {text}, "", ""}}, "zh");
    renderer.render(500, f.rgb.data(), f.stride());
    return renderer.last_drawn_area().value_or(subtitles::PixelRect{});
}

// Limited-range BT.601 4:2:0, as an H.264 decoder hands frames over (chroma averaged per 2x2).
struct Yuv420 {
    int width, height;
    std::vector<std::uint8_t> y, u, v;
    hardsubs::Yuv420View view() const { return {y.data(), u.data(), v.data(), width, height}; }
};

inline Yuv420 to_yuv420(const TestFrame& f) {
    Yuv420 out{f.width, f.height, {}, {}, {}};
    out.y.resize(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height));
    out.u.resize(out.y.size() / 4);
    out.v.resize(out.y.size() / 4);
    const auto channel = [&](int x, int y, int c) { return static_cast<double>(f.row(y)[x * 3 + c]); };
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x)
            out.y[static_cast<std::size_t>(y * f.width + x)] = static_cast<std::uint8_t>(
                std::lround(16 + (65.481 * channel(x, y, 0) + 128.553 * channel(x, y, 1) + 24.966 * channel(x, y, 2)) / 255));
    for (int y = 0; y < f.height / 2; ++y)
        for (int x = 0; x < f.width / 2; ++x) {
            double r = 0, g = 0, b = 0;
            for (int k = 0; k < 4; ++k) r += channel(2 * x + k % 2, 2 * y + k / 2, 0) / 4, g += channel(2 * x + k % 2, 2 * y + k / 2, 1) / 4,
                                        b += channel(2 * x + k % 2, 2 * y + k / 2, 2) / 4;
            const auto i = static_cast<std::size_t>(y * (f.width / 2) + x);
            out.u[i] = static_cast<std::uint8_t>(std::lround(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255));
            out.v[i] = static_cast<std::uint8_t>(std::lround(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255));
        }
    return out;
}

}  // namespace dramaloc::test

namespace dramaloc::test {

// A frame of one colour with a little noise (as a compressed picture has), the text drawn on
// it in `style`, and how many pixels the text's fill covers (the same text drawn alone,
// without outline, shadow or box).
struct StyledText {
    TestFrame frame;
    subtitles::PixelRect area;
    std::size_t fill_pixels = 0;
};

inline StyledText draw_styled(const std::string& text, subtitles::RenderStyle style, std::uint8_t r, std::uint8_t g, std::uint8_t b,
                              int width = 540, int height = 200) {
    StyledText out{TestFrame{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3)}, {}, 0};
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> noise(-6, 6);
    for (std::size_t i = 0; i < out.frame.rgb.size(); i += 3) {
        out.frame.rgb[i] = static_cast<std::uint8_t>(std::clamp(r + noise(rng), 0, 255));
        out.frame.rgb[i + 1] = static_cast<std::uint8_t>(std::clamp(g + noise(rng), 0, 255));
        out.frame.rgb[i + 2] = static_cast<std::uint8_t>(std::clamp(b + noise(rng), 0, 255));
    }
    style.margin_bottom_px = height / 4;
    subtitles::SubtitleRenderer renderer(width, height, style);
    renderer.set_events({SubtitleEvent{1, 0, 1000, {text}, "", ""}}, "zh");
    renderer.render(500, out.frame.rgb.data(), out.frame.stride());
    out.area = renderer.last_drawn_area().value_or(subtitles::PixelRect{});
    subtitles::RenderStyle plain = style;
    plain.outline_px = 0, plain.shadow_px = 0, plain.box = false, plain.primary_rgb = 0xFFFFFF;
    TestFrame alone{width, height, std::vector<std::uint8_t>(out.frame.rgb.size(), 0)};
    subtitles::SubtitleRenderer fill(width, height, plain);
    fill.set_events({SubtitleEvent{1, 0, 1000, {text}, "", ""}}, "zh");
    fill.render(500, alone.rgb.data(), alone.stride());
    for (std::size_t i = 0; i < alone.rgb.size(); i += 3) out.fill_pixels += alone.rgb[i] >= 128;
    return out;
}

}  // namespace dramaloc::test
