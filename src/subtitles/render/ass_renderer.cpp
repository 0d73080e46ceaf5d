#include "subtitles/render/ass_renderer.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"

namespace dramaloc::subtitles {
namespace {

// libass reports font lookups and other chatter through this callback; only its
// errors (levels 0-1) are worth a person's attention. C-callback boundary: nothing
// here may throw.
void forward_libass_errors(int level, const char* format, va_list args, void*) {
    if (level > 1) return;
    std::fputs("libass: ", stderr);
    std::vfprintf(stderr, format, args);
    std::fputc('\n', stderr);
}

// ASS colours are &HAABBGGRR with alpha 0 = opaque.
std::string ass_colour(std::uint32_t rgb, std::uint8_t transparency = 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "&H%02X%02X%02X%02X", static_cast<unsigned>(transparency), static_cast<unsigned>(rgb & 0xFF),
                  static_cast<unsigned>((rgb >> 8) & 0xFF), static_cast<unsigned>((rgb >> 16) & 0xFF));
    return buf;
}

// Primary language subtag ("pt-BR" -> "pt"), which is what libass wants.
std::string primary_subtag(std::string_view language) {
    const auto dash = language.find_first_of("-_");
    return std::string(language.substr(0, dash));
}

std::string track_header(int width, int height, const RenderStyle& style, std::string_view language) {
    std::string h;
    h += "[Script Info]\nScriptType: v4.00+\n";
    h += "PlayResX: " + std::to_string(width) + "\nPlayResY: " + std::to_string(height) + "\n";
    h += "WrapStyle: 0\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n";
    if (!language.empty()) h += "Language: " + primary_subtag(language) + "\n";
    h += "\n[V4+ Styles]\n"
         "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
         "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
         "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n";
    // Encoding -1 (a libass extension) picks each paragraph's base direction from its
    // text, so a line of Arabic is laid out right-to-left as a whole.
    h += "Style: Default," + style.font + "," + std::to_string(style.font_size_px) + "," +
         ass_colour(style.primary_rgb) + ",&H000000FF," + ass_colour(style.outline_rgb, style.outline_transparency) +
         ",&H80000000," + (style.bold ? "-1" : "0") + ",0,0,0,100,100,0,0," + (style.box ? "3," : "1,") +
         std::to_string(style.outline_px) + "," +
         std::to_string(style.shadow_px) + "," + std::to_string(style.alignment) + "," +
         std::to_string(style.margin_side_px) + "," + std::to_string(style.margin_right_px >= 0 ? style.margin_right_px : style.margin_side_px) + "," +
         std::to_string(style.margin_bottom_px) + ",-1\n";
    h += "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
    return h;
}

char* duplicate_for_libass(const std::string& s) {
    // libass frees event strings with free(), so they must come from malloc.
    char* copy = strdup(s.c_str());
    if (copy == nullptr) throw std::bad_alloc();
    return copy;
}

// Blends one libass glyph bitmap: 8-bit coverage times the colour's opacity.
void blend_image(const ASS_Image& img, int frame_w, int frame_h, std::uint8_t* rgb24, int stride) {
    const std::uint32_t r = img.color >> 24;
    const std::uint32_t g = (img.color >> 16) & 0xFF;
    const std::uint32_t b = (img.color >> 8) & 0xFF;
    const std::uint32_t opacity = 255 - (img.color & 0xFF);  // libass stores transparency
    if (opacity == 0) return;
    const int x0 = std::max(0, img.dst_x);
    const int y0 = std::max(0, img.dst_y);
    const int x1 = std::min(frame_w, img.dst_x + img.w);
    const int y1 = std::min(frame_h, img.dst_y + img.h);
    constexpr std::uint32_t full = 255 * 255;
    for (int y = y0; y < y1; ++y) {
        const unsigned char* src = img.bitmap + static_cast<std::ptrdiff_t>(y - img.dst_y) * img.stride;
        std::uint8_t* dst = rgb24 + static_cast<std::ptrdiff_t>(y) * stride;
        for (int x = x0; x < x1; ++x) {
            const std::uint32_t k = src[x - img.dst_x] * opacity;  // 0..255*255
            if (k == 0) continue;
            std::uint8_t* px = dst + static_cast<std::ptrdiff_t>(x) * 3;
            px[0] = static_cast<std::uint8_t>((px[0] * (full - k) + r * k + full / 2) / full);
            px[1] = static_cast<std::uint8_t>((px[1] * (full - k) + g * k + full / 2) / full);
            px[2] = static_cast<std::uint8_t>((px[2] * (full - k) + b * k + full / 2) / full);
        }
    }
}

}  // namespace

std::string to_ass_text(const std::vector<std::string>& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) out += "\\N";
        for (const char c : lines[i]) {
            if (c == '{' || c == '}') {
                out += '\\';  // libass shows \{ and \} as literal braces
                out += c;
            } else if (c == '\\') {
                // A word joiner after the backslash keeps "\N", "\n", "\h" from being read
                // as escapes; it is invisible.
                out += "\\\u2060";
            } else if (c == '\n' || c == '\r') {
                out += ' ';
            } else {
                out += c;
            }
        }
    }
    return out;
}

SubtitleRenderer::SubtitleRenderer(int width, int height, RenderStyle style)
    : width_(width), height_(height), style_(std::move(style)) {
    if (width <= 0 || height <= 0) {
        throw InputError("subtitle renderer needs a positive frame size, got " + std::to_string(width) + "x" +
                         std::to_string(height));
    }
    library_.reset(ass_library_init());
    if (!library_) throw EngineError("libass could not start (ass_library_init failed); reinstall libass9");
    ass_set_message_cb(library_.get(), forward_libass_errors, nullptr);
    renderer_.reset(ass_renderer_init(library_.get()));
    if (!renderer_) throw EngineError("libass could not start a renderer (FreeType missing?); reinstall libass9");
    ass_set_frame_size(renderer_.get(), width, height);
    ass_set_storage_size(renderer_.get(), width, height);
    ass_set_shaper(renderer_.get(), ASS_SHAPING_COMPLEX);
    ass_set_fonts(renderer_.get(), nullptr, style_.font.c_str(), ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
    set_events({}, "");
}

void SubtitleRenderer::set_events(const std::vector<SubtitleEvent>& events, std::string_view language) {
    std::string header = track_header(width_, height_, style_, language);
    AssTrackPtr track(ass_read_memory(library_.get(), header.data(), header.size(), nullptr));
    if (!track) throw EngineError("libass rejected the generated subtitle track header (a bug in dramaloc)");
    ass_track_set_feature(track.get(), ASS_FEATURE_WHOLE_TEXT_LAYOUT, 1);
    ass_track_set_feature(track.get(), ASS_FEATURE_BIDI_BRACKETS, 1);  // unavailable with old FriBidi: fine
    ass_track_set_feature(track.get(), ASS_FEATURE_WRAP_UNICODE, 1);

    int style_index = -1;
    for (int i = 0; i < track->n_styles; ++i) {
        if (track->styles[i].Name != nullptr && std::strcmp(track->styles[i].Name, "Default") == 0) style_index = i;
    }
    if (style_index < 0) throw EngineError("libass lost the generated Default style (a bug in dramaloc)");

    // Events are added directly rather than as ASS text so their times keep full
    // millisecond precision (ASS text only has centiseconds).
    for (const SubtitleEvent& e : events) {
        if (e.end <= e.start) continue;
        const int index = ass_alloc_event(track.get());
        if (index < 0) throw std::bad_alloc();
        ASS_Event& ev = track->events[index];
        ev.Start = e.start;
        ev.Duration = e.end - e.start;
        ev.ReadOrder = index;
        ev.Layer = 0;
        ev.Style = style_index;
        ev.Name = duplicate_for_libass(e.speaker);
        ev.Effect = duplicate_for_libass("");
        ev.Text = duplicate_for_libass(to_ass_text(e.lines));
    }
    track_ = std::move(track);
}

bool SubtitleRenderer::render(TimeMs t, std::uint8_t* rgb24, int stride) {
    last_drawn_.reset();
    int change = 0;
    const ASS_Image* images = ass_render_frame(renderer_.get(), track_.get(), t, &change);
    int left = width_, top = height_, right = 0, bottom = 0;
    for (const ASS_Image* img = images; img != nullptr; img = img->next) {
        if (img->w <= 0 || img->h <= 0) continue;
        blend_image(*img, width_, height_, rgb24, stride);
        left = std::min(left, std::max(0, img->dst_x));
        top = std::min(top, std::max(0, img->dst_y));
        right = std::max(right, std::min(width_, img->dst_x + img->w));
        bottom = std::max(bottom, std::min(height_, img->dst_y + img->h));
    }
    if (right > left && bottom > top) last_drawn_ = PixelRect{left, top, right - left, bottom - top};
    return last_drawn_.has_value();
}

}  // namespace dramaloc::subtitles
