#pragma once
// How a sample's burned-in subtitles look: the font, size, colour, outline, shadow or box,
// and where they sit. Real dramas vary all of these, and the OCR that reads them must not
// depend on one look; `dramaloc sample make` and the benchmarks vary them one by one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "subtitles/render/ass_renderer.hpp"

namespace dramaloc::sample {

enum class TextPosition {
    Bottom,      // close to the bottom edge
    LowerThird,  // a fifth of the height up: the usual short-drama place
    Top,
};
const char* to_string(TextPosition position) noexcept;
std::optional<TextPosition> text_position_from_string(std::string_view name) noexcept;

struct HardsubLook {
    std::string font = "Noto Sans CJK SC";  // a fontconfig family that must be installed
    int size_px = 0;                        // font size in pixels of the rendered frame; 0: 84 at 1080 wide, scaled
    std::uint32_t colour = 0xFFFFFF;        // text fill, 0xRRGGBB
    int outline_px = -1;                    // dark outline; -1: 4 at 1080 wide, scaled
    int shadow_px = 0;                      // drop shadow (semi-transparent black)
    bool box = false;                       // a translucent dark box behind the text instead of an outline
    bool bold = true;
    TextPosition position = TextPosition::LowerThird;
    bool operator==(const HardsubLook&) const = default;
};

// The renderer style for a frame of width x height.
subtitles::RenderStyle render_style(const HardsubLook& look, int width, int height);

// "white", "yellow", "lightblue", or "#RRGGBB"; nullopt otherwise.
std::optional<std::uint32_t> colour_from_string(std::string_view text) noexcept;
std::string colour_to_string(std::uint32_t rgb);  // "#RRGGBB"

// Throws InputError when fontconfig has no font of this family (libass would silently fall
// back to another, and a benchmark would measure a font it did not ask for).
void require_font(const std::string& family);

}  // namespace dramaloc::sample
