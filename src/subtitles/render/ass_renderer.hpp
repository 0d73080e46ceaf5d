#pragma once
// Burns subtitle events into RGB frames with libass (fonts through fontconfig,
// shaping and bidi through HarfBuzz/FriBidi, so CJK and Arabic come out right).
//
// Contract: a SubtitleRenderer is used by one thread at a time; separate renderers
// are independent and may run on different threads. It owns its libass objects.
// Constructor failures (libass cannot start) throw EngineError.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "core/time.hpp"
#include "subtitles/render/ass_handles.hpp"

namespace dramaloc::subtitles {

// The look of burned-in text, in output pixels. Defaults are the usual short-drama
// look: white bold text with a black outline in the lower third.
struct RenderStyle {
    std::string font = "Noto Sans CJK SC";  // fontconfig family; missing glyphs fall back
    int font_size_px = 64;
    std::uint32_t primary_rgb = 0xFFFFFF;
    std::uint32_t outline_rgb = 0x000000;
    int outline_px = 4;
    std::uint8_t outline_transparency = 0;  // ASS alpha of the outline (or box): 0 opaque … 255 invisible
    int shadow_px = 0;
    bool box = false;             // an opaque box (ASS BorderStyle 3) in the outline colour instead of an outline
    bool bold = true;
    int alignment = 2;            // ASS numpad alignment: 2 = bottom centre, 5 = middle centre
    int margin_bottom_px = 400;   // distance from the bottom edge (ASS MarginV)
    int margin_side_px = 60;      // left and right margins; longer text wraps inside them
    int margin_right_px = -1;     // the right margin when it differs (-1: margin_side_px)
};

struct PixelRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool operator==(const PixelRect&) const = default;
};

class SubtitleRenderer {
public:
    SubtitleRenderer(int width, int height, RenderStyle style = {});
    SubtitleRenderer(const SubtitleRenderer&) = delete;
    SubtitleRenderer& operator=(const SubtitleRenderer&) = delete;
    SubtitleRenderer(SubtitleRenderer&&) noexcept = default;
    SubtitleRenderer& operator=(SubtitleRenderer&&) noexcept = default;
    ~SubtitleRenderer() = default;

    // Replaces the events to show. `language` is a BCP-47 tag ("zh", "ar", "pt-BR");
    // it guides line breaking and shaping. Times are kept to the millisecond: an event
    // is visible for start <= t < end.
    void set_events(const std::vector<SubtitleEvent>& events, std::string_view language);

    // Alpha-blends whatever is visible at `t` onto a packed RGB24 frame of the size
    // given to the constructor (`stride` bytes per row). Returns whether anything was drawn.
    bool render(TimeMs t, std::uint8_t* rgb24, int stride);

    // The bounding box of what the last render() drew, if anything.
    const std::optional<PixelRect>& last_drawn_area() const { return last_drawn_; }

    int width() const { return width_; }
    int height() const { return height_; }

private:
    int width_;
    int height_;
    RenderStyle style_;
    AssLibraryPtr library_;
    AssRendererPtr renderer_;
    AssTrackPtr track_;
    std::optional<PixelRect> last_drawn_;
};

// ASS "Text" for plain display lines: override braces and backslash sequences are
// neutralised so the text shows literally; lines are joined with \N.
std::string to_ass_text(const std::vector<std::string>& lines);

}  // namespace dramaloc::subtitles
