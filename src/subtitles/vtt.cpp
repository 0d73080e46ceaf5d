// WebVTT (.vtt), https://www.w3.org/TR/webvtt1/.
// Reading: the WEBVTT header is required; header lines up to the first blank line,
// NOTE, STYLE and REGION blocks are skipped; a cue is [identifier] / timing line with
// optional cue settings (ignored) / payload. Hours are optional in timestamps.
// Payload: the first <v Speaker> voice span gives event.speaker; every tag (<i>, <b>,
// <c.x>, <ruby>, <lang>, timestamps <00:01.000>, …) is removed; entities are decoded.
// Writing: identifiers 1…N, &, < and > escaped, the speaker as a <v> span.
#include "core/text_codec.hpp"
#include "subtitles/format_util.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::subtitles::detail {

namespace {

constexpr const char* kExpectedTiming = "expected [HH:]MM:SS.mmm --> [HH:]MM:SS.mmm";

bool starts_block_keyword(std::string_view line, std::string_view keyword) {
    if (line.substr(0, keyword.size()) != keyword) return false;
    return line.size() == keyword.size() || line[keyword.size()] == ' ' || line[keyword.size()] == '\t';
}

// Removes tags from a payload line; the first voice span's annotation goes to `speaker`.
std::string strip_cue_tags(std::string_view line, std::string& speaker) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '<') {
            out += line[i];
            continue;
        }
        const std::size_t close = line.find('>', i + 1);
        if (close == std::string_view::npos) break;  // an unterminated tag runs to the end of the line
        const std::string_view tag = line.substr(i + 1, close - i - 1);
        if (speaker.empty() && tag.size() > 1 && tag[0] == 'v' && (tag[1] == ' ' || tag[1] == '\t' || tag[1] == '.')) {
            const std::size_t space = tag.find_first_of(" \t");
            if (space != std::string_view::npos) speaker = std::string(trim(decode_entities(tag.substr(space + 1))));
        }
        i = close;
    }
    return decode_entities(out);
}

void skip_to_blank_line(LineCursor& cursor) {
    while (auto line = cursor.peek()) {
        if (trim(*line).empty()) break;
        cursor.next();
    }
}

}  // namespace

SubtitleDocument parse_vtt(std::string_view text, const std::string& source_name) {
    SubtitleDocument doc;
    LineCursor cursor(text);
    const auto header = cursor.next();
    if (!header || !starts_block_keyword(*header, "WEBVTT"))
        fail_at(source_name, 1, "missing WEBVTT header; a WebVTT file must start with the line WEBVTT");
    skip_to_blank_line(cursor);

    while (true) {
        std::optional<std::string_view> line;
        while ((line = cursor.next()) && trim(*line).empty()) {
        }
        if (!line) break;
        if (starts_block_keyword(*line, "NOTE") || starts_block_keyword(*line, "STYLE") ||
            starts_block_keyword(*line, "REGION")) {
            skip_to_blank_line(cursor);
            continue;
        }
        std::string_view timing_line = *line;
        if (timing_line.find("-->") == std::string_view::npos) {
            auto following = cursor.peek();  // the line was a cue identifier
            if (!following || following->find("-->") == std::string_view::npos)
                fail_at(source_name, cursor.line_number(),
                        "expected a cue timing line after " + quote_excerpt(trim(timing_line)) + "; " +
                            kExpectedTiming);
            timing_line = *cursor.next();
        }
        const auto timing = parse_cue_timing(timing_line, true);  // hours are optional
        if (!timing)
            fail_at(source_name, cursor.line_number(),
                    "broken timestamp " + quote_excerpt(trim(timing_line)) + "; " + kExpectedTiming);

        SubtitleEvent event;
        event.id = static_cast<int>(doc.events.size()) + 1;
        event.start = timing->start;
        event.end = timing->end;
        std::vector<std::string> lines;
        while (auto next = cursor.peek()) {
            if (trim(*next).empty()) break;
            lines.push_back(strip_cue_tags(*cursor.next(), event.speaker));
        }
        event.lines = clean_display_lines(std::move(lines));
        doc.events.push_back(std::move(event));
    }
    return doc;
}

std::string write_vtt(const SubtitleDocument& doc, const WriteOptions& options) {
    const bool rtl = is_right_to_left(options.language);
    std::string out = "WEBVTT\n\n";
    int number = 0;
    for (const auto& event : doc.events) {
        append_cue_head(out, ++number, event, '.');
        const auto lines = display_lines_for_output(event, rtl);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i == 0 && !event.speaker.empty()) out += "<v " + escape_markup(event.speaker) + ">";
            out += escape_markup(lines[i]);
            out += '\n';
        }
        out += '\n';
    }
    return out;
}

}  // namespace dramaloc::subtitles::detail
