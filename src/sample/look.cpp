#include "sample/look.hpp"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/error.hpp"

namespace dramaloc::sample {
namespace {

int scaled(int px_at_1080, int width) { return static_cast<int>(std::lround(px_at_1080 * (width / 1080.0))); }

bool same_family(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

struct PatternDeleter {
    void operator()(FcPattern* p) const noexcept { FcPatternDestroy(p); }
};
using PatternPtr = std::unique_ptr<FcPattern, PatternDeleter>;
struct ConfigDeleter {
    void operator()(FcConfig* c) const noexcept { FcConfigDestroy(c); }
};
using ConfigPtr = std::unique_ptr<FcConfig, ConfigDeleter>;

}  // namespace

const char* to_string(TextPosition position) noexcept {
    switch (position) {
        case TextPosition::Bottom: return "bottom";
        case TextPosition::Top: return "top";
        case TextPosition::LowerThird: break;
    }
    return "lower-third";
}

std::optional<TextPosition> text_position_from_string(std::string_view name) noexcept {
    for (const TextPosition p : {TextPosition::Bottom, TextPosition::LowerThird, TextPosition::Top})
        if (name == to_string(p)) return p;
    return std::nullopt;
}

subtitles::RenderStyle render_style(const HardsubLook& look, int width, int height) {
    subtitles::RenderStyle style;
    style.font = look.font;
    style.font_size_px = std::max(10, look.size_px > 0 ? look.size_px : scaled(84, width));
    style.primary_rgb = look.colour;
    style.bold = look.bold;
    style.outline_px = std::max(0, look.outline_px >= 0 ? look.outline_px : std::max(1, scaled(4, width)));
    style.shadow_px = look.shadow_px;
    if (look.box) {
        // A dark box, a little see-through, with a few pixels of padding round the text.
        style.box = true;
        style.outline_transparency = 0x50;
        style.outline_px = std::max(style.outline_px, std::max(2, style.font_size_px / 8));
    }
    style.margin_side_px = std::max(4, scaled(50, width));
    switch (look.position) {
        case TextPosition::Bottom:
            style.margin_bottom_px = height / 14;
            break;
        case TextPosition::LowerThird:
            style.margin_bottom_px = height / 5;
            break;
        case TextPosition::Top:
            style.alignment = 8;  // top centre; MarginV is then the distance from the top
            style.margin_bottom_px = height / 8;
            break;
    }
    return style;
}

std::optional<std::uint32_t> colour_from_string(std::string_view text) noexcept {
    if (text == "white") return 0xFFFFFF;
    if (text == "yellow") return 0xFFE400;     // the warm yellow of many Chinese subtitles
    if (text == "lightblue") return 0x8FD8FF;
    if (text.size() == 7 && text[0] == '#' &&
        std::all_of(text.begin() + 1, text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }))
        return static_cast<std::uint32_t>(std::stoul(std::string(text.substr(1)), nullptr, 16));
    return std::nullopt;
}

std::string colour_to_string(std::uint32_t rgb) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%06X", static_cast<unsigned>(rgb & 0xFFFFFF));
    return buf;
}

void require_font(const std::string& family) {
    // A configuration of our own, destroyed here: FcInit's process-wide one is never freed.
    ConfigPtr config(FcInitLoadConfigAndFonts());
    if (!config) throw EngineError("fontconfig could not start; reinstall libfontconfig1");
    PatternPtr pattern(FcNameParse(reinterpret_cast<const FcChar8*>(family.c_str())));
    if (!pattern) throw InputError("font \"" + family + "\": not a font name");
    FcConfigSubstitute(config.get(), pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    PatternPtr match(FcFontMatch(config.get(), pattern.get(), &result));
    if (match) {
        FcChar8* name = nullptr;
        for (int i = 0; FcPatternGetString(match.get(), FC_FAMILY, i, &name) == FcResultMatch; ++i)
            if (same_family(reinterpret_cast<const char*>(name), family)) return;
    }
    throw InputError("font \"" + family + "\" is not installed (fontconfig would use another); `fc-list :lang=zh family` lists the Chinese fonts there are");
}

}  // namespace dramaloc::sample
