#pragma once
// Test frames: a background with burned-in subtitle text drawn by libass, as the sample
// generator and real episodes have it (white bold text, black outline).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

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

}  // namespace dramaloc::test
