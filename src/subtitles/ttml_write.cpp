// TTML writer, IMSC 1.1 Text Profile (https://www.w3.org/TR/ttml-imsc1.1/), signalled with
// its designator in ttp:contentProfiles (TTML2's way; ttp:profile is TTML1's and is not
// written). The document uses nothing IMSC 1.0.1 lacks, so IMSC 1.0.1 readers take it too.
// One bottom region inside the frame's safe area, one style, one <p> per event with
// <br/> between lines. Right-to-left languages get tts:direction="rtl" on the
// paragraph and a span with tts:direction="rtl" tts:unicodeBidi="embed" around the
// text (TTML1 applies unicodeBidi to spans only), so no control characters are needed.
// Speakers are declared as ttm:agent in the head and referenced from each <p>.
#include <algorithm>
#include <map>
#include <numeric>

#include "subtitles/format_util.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::subtitles::detail {

namespace {

// xml:id values must be NCNames: a letter first, then letters, digits, '-', '_', '.'.
std::string agent_id(std::string_view speaker, std::size_t index) {
    std::string id = "agent" + std::to_string(index + 1) + "_";
    for (char c : speaker) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_';
        id += ok ? c : '_';
        if (id.size() > 48) break;
    }
    return id;
}

std::string clock(TimeMs t) { return format_clock(t, '.'); }

}  // namespace

std::string write_ttml(const SubtitleDocument& doc, const WriteOptions& options) {
    const bool rtl = is_right_to_left(options.language);
    const int width = std::max(16, options.video_width);
    const int height = std::max(16, options.video_height);
    const int size = resolved_font_size(options);
    const int num = std::max(1, options.frame_rate.num);
    const int den = std::max(1, options.frame_rate.den);
    const int nominal_fps = std::max(1, (num + den / 2) / den);
    const std::string lang = escape_markup(options.language.empty() ? "und" : options.language, true);

    std::map<std::string, std::string> agents;  // speaker -> xml:id
    for (const auto& e : doc.events)
        if (!e.speaker.empty() && !agents.count(e.speaker)) agents.emplace(e.speaker, agent_id(e.speaker, agents.size()));

    std::string out;
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<tt xmlns=\"http://www.w3.org/ns/ttml\" xmlns:ttp=\"http://www.w3.org/ns/ttml#parameter\""
           " xmlns:tts=\"http://www.w3.org/ns/ttml#styling\" xmlns:ttm=\"http://www.w3.org/ns/ttml#metadata\"\n"
           "    ttp:contentProfiles=\"http://www.w3.org/ns/ttml/profile/imsc1.1/text\" ttp:timeBase=\"media\""
           " ttp:frameRate=\"" +
           std::to_string(nominal_fps) + "\"";
    if (static_cast<long long>(nominal_fps) * den != num) {
        // e.g. 30000/1001 → frameRate 30 × multiplier 1000/1001
        const long long m_num = num, m_den = static_cast<long long>(den) * nominal_fps;
        const long long g = std::gcd(m_num, m_den);
        out += " ttp:frameRateMultiplier=\"" + std::to_string(m_num / g) + " " + std::to_string(m_den / g) + "\"";
    }
    out += "\n    xml:lang=\"" + lang + "\" tts:extent=\"" + std::to_string(width) + "px " + std::to_string(height) +
           "px\">\n";
    out += "  <head>\n";
    if (!agents.empty()) {
        out += "    <metadata>\n";
        for (const auto& [speaker, id] : agents)
            out += "      <ttm:agent xml:id=\"" + id + "\" type=\"character\"><ttm:name type=\"full\">" +
                   escape_markup(speaker) + "</ttm:name></ttm:agent>\n";
        out += "    </metadata>\n";
    }
    out += "    <styling>\n";
    out += "      <style xml:id=\"s_default\" tts:fontFamily=\"proportionalSansSerif\" tts:fontSize=\"" +
           std::to_string(size) + "px\" tts:lineHeight=\"125%\" tts:color=\"white\" tts:textAlign=\"center\"" +
           " tts:textOutline=\"black " + std::to_string(std::max(1, size / 16)) + "px\"" +
           (rtl ? " tts:direction=\"rtl\"" : "") + "/>\n";
    out += "    </styling>\n";
    out += "    <layout>\n";
    // Bottom-aligned, ending 15% above the bottom edge (clear of player controls in vertical video).
    out += "      <region xml:id=\"r_bottom\" tts:origin=\"5% 55%\" tts:extent=\"90% 30%\" tts:displayAlign=\"after\"/>\n";
    out += "    </layout>\n";
    out += "  </head>\n";
    out += "  <body region=\"r_bottom\" style=\"s_default\">\n    <div>\n";
    int number = 0;
    for (const auto& e : doc.events) {
        out += "      <p xml:id=\"e" + std::to_string(++number) + "\" begin=\"" + clock(e.start) + "\" end=\"" +
               clock(e.end) + "\"";
        if (!e.speaker.empty()) out += " ttm:agent=\"" + agents.at(e.speaker) + "\"";
        if (rtl) out += " tts:direction=\"rtl\"";
        out += ">";
        if (rtl) out += "<span tts:direction=\"rtl\" tts:unicodeBidi=\"embed\">";
        const auto lines = display_lines_for_output(e, false);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i) out += "<br/>";
            out += escape_markup(lines[i]);
        }
        if (rtl) out += "</span>";
        out += "</p>\n";
    }
    out += "    </div>\n  </body>\n</tt>\n";
    return out;
}

}  // namespace dramaloc::subtitles::detail
