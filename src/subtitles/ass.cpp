// Advanced SubStation Alpha (.ass, also read: .ssa).
// Reading: [Script Info] gives PlayResX/PlayResY (and a "Language" key if present);
// [Events] lines are read through the section's Format line (the standard v4+ field
// order when it is missing), so the Text field — always last — may contain commas.
// Comment lines and other sections ([V4+ Styles], [Fonts], [Graphics]) are skipped.
// Text: {…} override blocks removed; \N and \n are line breaks, \h a no-break space,
// \{ \} literal braces (libass). Name → speaker, Style → style.
// Writing: a script libass and VSFilter render as a bottom-centred, outlined subtitle
// sized for the (vertical) frame. Times are in centiseconds, so they round to 10 ms.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "subtitles/format_util.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::subtitles::detail {

namespace {

constexpr const char* kExpectedTime = "expected H:MM:SS.cc";
constexpr const char* kEventFormat = "Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text";

std::vector<std::string> split_format(std::string_view fields) {
    std::vector<std::string> out;
    while (true) {
        const std::size_t comma = fields.find(',');
        out.push_back(to_lower_ascii(trim(fields.substr(0, comma))));
        if (comma == std::string_view::npos) break;
        fields.remove_prefix(comma + 1);
    }
    return out;
}

// Splits an event line's value into exactly `count` fields; the last takes the rest.
std::optional<std::vector<std::string_view>> split_fields(std::string_view value, std::size_t count) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i + 1 < count; ++i) {
        const std::size_t comma = value.find(',');
        if (comma == std::string_view::npos) return std::nullopt;
        out.push_back(value.substr(0, comma));
        value.remove_prefix(comma + 1);
    }
    out.push_back(value);
    return out;
}

std::vector<std::string> text_to_lines(std::string_view text) {
    std::vector<std::string> lines(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '{') {
            const std::size_t close = text.find('}', i + 1);
            if (close != std::string_view::npos) {
                i = close;
                continue;
            }
        } else if (c == '\\' && i + 1 < text.size()) {
            const char n = text[i + 1];
            if (n == 'N' || n == 'n') {
                lines.emplace_back();
                ++i;
                continue;
            }
            if (n == 'h') {
                lines.back() += "\u00A0";
                ++i;
                continue;
            }
            if (n == '{' || n == '}') {
                lines.back() += n;
                ++i;
                continue;
            }
            constexpr std::string_view kWordJoiner = "\u2060";  // our writer's guard after a literal backslash
            if (text.substr(i + 1, kWordJoiner.size()) == kWordJoiner) {
                lines.back() += '\\';
                i += kWordJoiner.size();
                continue;
            }
        }
        lines.back() += c;
    }
    return lines;
}

std::string escape_text(std::string_view line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '{' || c == '}') {
            out += '\\';
            out += c;
        } else if (c == '\\') {
            out += "\\\u2060";  // keeps "\N", "\h"… in the text literal
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_ass_time(TimeMs t) {
    if (t < 0) t = 0;
    const TimeMs cs = (t + 5) / 10;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld.%02lld", static_cast<long long>(cs / 360000),
                  static_cast<long long>((cs / 6000) % 60), static_cast<long long>((cs / 100) % 60),
                  static_cast<long long>(cs % 100));
    return buf;
}

// Windows charset of the style, which VSFilter uses to pick the font's code page and
// some renderers to pick the base direction.
int encoding_for(std::string_view language) {
    const auto info = find_language(language);
    if (!info) return 1;
    if (info->bcp47 == "ar" || info->bcp47 == "fa" || info->bcp47 == "ur") return 178;
    if (info->bcp47 == "he") return 177;
    if (info->bcp47 == "th") return 222;
    if (info->bcp47 == "zh") return 134;
    if (info->bcp47 == "ja") return 128;
    if (info->bcp47 == "ko") return 129;
    if (info->bcp47 == "ru" || info->bcp47 == "uk") return 204;
    if (info->bcp47 == "el") return 161;
    if (info->bcp47 == "tr") return 162;
    if (info->bcp47 == "vi") return 163;
    return 1;
}

std::string style_name(const SubtitleEvent& event) { return event.style.empty() ? "Default" : event.style; }

// ASS fields cannot hold commas or line breaks.
std::string field_safe(std::string_view s) {
    std::string out(s);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == ',' || c == '\n' || c == '\r'; }, ' ');
    return out;
}

}  // namespace

SubtitleDocument parse_ass(std::string_view text, const std::string& source_name) {
    SubtitleDocument doc;
    LineCursor cursor(text);
    std::string section;
    std::vector<std::string> format = split_format(kEventFormat);
    bool saw_section = false;
    while (auto raw = cursor.next()) {
        const std::string_view line = trim(*raw);
        if (line.empty() || line[0] == ';') continue;
        if (line.front() == '[') {
            section = to_lower_ascii(line);
            saw_section = true;
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // stray text outside any field: ignored as VSFilter does
        const std::string key = to_lower_ascii(trim(line.substr(0, colon)));
        const std::string_view value = trim(line.substr(colon + 1));
        if (section == "[script info]") {
            int* target = key == "playresx" ? &doc.video_width : key == "playresy" ? &doc.video_height : nullptr;
            if (target) {
                try {
                    *target = std::max(0, std::stoi(std::string(value)));
                } catch (const std::exception&) {
                    fail_at(source_name, cursor.line_number(),
                            key + " must be a whole number of pixels, found " + quote_excerpt(value));
                }
            } else if (key == "language") {
                doc.language = std::string(value);
            }
            continue;
        }
        if (section != "[events]") continue;
        if (key == "format") {
            format = split_format(value);
            if (std::find(format.begin(), format.end(), "text") == format.end() || format.back() != "text")
                fail_at(source_name, cursor.line_number(), "the [Events] Format line must end with the Text field");
            continue;
        }
        if (key != "dialogue") continue;  // Comment:, Picture:, Sound:, Movie:, Command:
        const auto fields = split_fields(value, format.size());
        if (!fields)
            fail_at(source_name, cursor.line_number(),
                    "Dialogue line has fewer fields than the Format line (" + std::to_string(format.size()) + ")");
        SubtitleEvent event;
        event.id = static_cast<int>(doc.events.size()) + 1;
        for (std::size_t i = 0; i < format.size(); ++i) {
            const std::string_view f = (*fields)[i];
            const std::string& name = format[i];
            if (name == "start" || name == "end") {
                const auto t = parse_clock(trim(f), ".", false);
                if (!t)
                    fail_at(source_name, cursor.line_number(),
                            "broken " + name + " time " + quote_excerpt(trim(f)) + "; " + kExpectedTime);
                (name == "start" ? event.start : event.end) = *t;
            } else if (name == "style") {
                event.style = std::string(trim(f));
                if (event.style == "Default" || event.style == "*Default") event.style.clear();
            } else if (name == "name" || name == "actor") {
                event.speaker = std::string(trim(f));
            } else if (name == "text") {
                event.lines = clean_display_lines(text_to_lines(f));
            }
        }
        doc.events.push_back(std::move(event));
    }
    if (!saw_section)
        fail_at(source_name, 1, "not an ASS/SSA script: no [Script Info] or [Events] section");
    return doc;
}

std::string write_ass(const SubtitleDocument& doc, const WriteOptions& options) {
    const bool rtl = is_right_to_left(options.language);
    const int width = std::max(16, options.video_width);
    const int height = std::max(16, options.video_height);
    const int size = resolved_font_size(options);
    // Vertical drama players put buttons and captions over the lowest ~12% of the
    // frame; 15% keeps subtitles clear of them. Side margins 5%.
    const int margin_v = static_cast<int>(std::lround(height * 0.15));
    const int margin_lr = static_cast<int>(std::lround(width * 0.05));
    const double outline = std::max(1.0, size / 16.0);

    std::string out;
    out += "[Script Info]\n";
    out += "; Written by dramaloc\n";
    out += "ScriptType: v4.00+\n";
    out += "PlayResX: " + std::to_string(width) + "\n";
    out += "PlayResY: " + std::to_string(height) + "\n";
    out += "WrapStyle: 2\n";  // lines are already laid out; never rewrap
    out += "ScaledBorderAndShadow: yes\n";
    out += "YCbCr Matrix: TV.709\n";
    out += "Language: " + field_safe(options.language) + "\n\n";

    std::vector<std::string> styles{"Default"};
    for (const auto& e : doc.events)
        if (const std::string s = field_safe(style_name(e)); std::find(styles.begin(), styles.end(), s) == styles.end())
            styles.push_back(s);
    char outline_text[32];
    std::snprintf(outline_text, sizeof outline_text, "%.1f", outline);
    out += "[V4+ Styles]\n";
    out += "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
           "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
           "Alignment, MarginL, MarginR, MarginV, Encoding\n";
    for (const auto& s : styles) {
        out += "Style: " + s + "," + field_safe(resolved_font_name(options)) + "," + std::to_string(size) +
               ",&H00FFFFFF,&H000000FF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1," + outline_text + ",1,2," +
               std::to_string(margin_lr) + "," + std::to_string(margin_lr) + "," + std::to_string(margin_v) + "," +
               std::to_string(encoding_for(options.language)) + "\n";
    }
    out += "\n[Events]\n";
    out += std::string("Format: ") + kEventFormat + "\n";
    for (const auto& e : doc.events) {
        std::string text;
        for (const auto& line : display_lines_for_output(e, rtl)) {
            if (!text.empty()) text += "\\N";
            text += escape_text(line);
        }
        out += "Dialogue: 0," + format_ass_time(e.start) + "," + format_ass_time(e.end) + "," +
               field_safe(style_name(e)) + "," + field_safe(e.speaker) + ",0,0,0,," + text + "\n";
    }
    return out;
}

}  // namespace dramaloc::subtitles::detail
