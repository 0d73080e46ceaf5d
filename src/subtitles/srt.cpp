// SubRip (.srt).
// Reading: blocks of [number] / "start --> end" / text lines, separated by blank lines.
// Tolerated: CRLF or CR endings, a UTF-8 BOM, no final newline, several blank lines,
// a missing or non-numeric number line, a missing blank line before the next block,
// '.' instead of ',' before milliseconds, 1–3 millisecond digits, and position
// coordinates after the end time (X1:… Y2:…), which are ignored.
// Markup: <i> <b> <u> <s> <font …> tags and {\…} override blocks (ASS-style
// positioning some tools put in SRT) are removed; the text is otherwise kept as is
// (SRT has no entities). The file number is not kept: events are renumbered 1…N.
// Writing: markup that is not SRT's own is removed (srt_safe_line).
#include <algorithm>
#include <cctype>

#include "subtitles/format_util.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::subtitles::detail {

namespace {

constexpr const char* kExpectedTiming = "expected HH:MM:SS,mmm --> HH:MM:SS,mmm";

// SRT always writes hours.
std::optional<CueTiming> parse_timing(std::string_view line) { return parse_cue_timing(line, false); }

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_formatting_tag(std::string_view tag) {
    // tag is the text between '<' and '>'
    std::string_view name = tag;
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    name = name.substr(0, name.find_first_of(" \t="));
    const std::string n = to_lower_ascii(name);
    return n == "i" || n == "b" || n == "u" || n == "s" || n == "font";
}

// Where an ASS override block ({\an8}, {\i1}) that starts at `i` ends (its '}'); npos when
// none starts there.
std::size_t override_block_end(std::string_view line, std::size_t i) {
    if (line[i] != '{' || i + 1 >= line.size() || line[i + 1] != '\\') return std::string_view::npos;
    return line.find('}', i + 1);
}

std::string strip_srt_markup(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '<') {
            const std::size_t close = line.find('>', i + 1);
            if (close != std::string_view::npos && is_formatting_tag(line.substr(i + 1, close - i - 1))) {
                i = close;
                continue;
            }
        } else if (const std::size_t end = override_block_end(line, i); end != std::string_view::npos) {
            i = end;
            continue;
        }
        out += line[i];
    }
    return out;
}

// SRT's own tag as it is written back: <i> <b> <u> <s> and their ends, and <font color="…">
// with a colour that is a #hex or a word; any attribute but that is dropped. "" when `tag`
// (the text between '<' and '>') is not one of them.
std::string canonical_srt_tag(std::string_view tag) {
    if (!is_formatting_tag(tag)) return "";
    const bool closing = !tag.empty() && tag.front() == '/';
    std::string name = to_lower_ascii(tag.substr(closing ? 1 : 0, tag.find_first_of(" \t=") - (closing ? 1 : 0)));
    if (closing) return "</" + name + ">";
    if (name != "font") return "<" + name + ">";
    // <font color=red>, <font color="#FF0000">: the colour only, when it is plainly one.
    const std::string lower = to_lower_ascii(tag);
    const auto at = lower.find("color=");
    if (at == std::string::npos) return "";
    std::string colour;
    for (std::size_t i = at + 6; i < tag.size() && colour.size() < 16; ++i) {
        const char c = tag[i];
        if (c == '"' || c == '\'') {
            if (colour.empty()) continue;
            break;
        }
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '#')) break;
        colour += c;
    }
    if (colour.empty()) return "";
    return "<font color=\"" + colour + "\">";
}

// A line as SRT may carry it. SRT has no escapes, and players read HTML-like tags and ASS
// override blocks in it: SRT's own tags stay, written back in a fixed form (canonical_srt_tag);
// any other tag (<img src=x onerror=…>, <script>, <!-- -->) is removed, and a '<' that opens
// what could be a tag but is not closed before the next '<' is dropped; {\…} blocks are
// removed. What only looks like a bracket ("a < b", "<3") is text and stays.
std::string srt_safe_line(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char next = i + 1 < line.size() ? line[i + 1] : '\0';
        if (line[i] == '<' && (std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' || next == '?')) {
            const std::size_t close = line.find('>', i + 1);
            const std::size_t reopen = line.find('<', i + 1);
            if (close == std::string_view::npos || (reopen != std::string_view::npos && reopen < close)) continue;  // the '<' alone goes
            out += canonical_srt_tag(line.substr(i + 1, close - i - 1));
            i = close;
            continue;
        }
        if (const std::size_t end = override_block_end(line, i); end != std::string_view::npos) {
            i = end;
            continue;
        }
        out += line[i];
    }
    return out;
}

// True when the cursor is at the start of a new block: a timing line, or a number
// line followed by a timing line. Used when the blank line between blocks is missing.
bool at_block_start(const LineCursor& cursor) {
    LineCursor probe = cursor;
    auto first = probe.next();
    if (!first) return false;
    if (parse_timing(*first)) return true;
    if (!all_digits(trim(*first))) return false;
    auto second = probe.next();
    return second && parse_timing(*second);
}

}  // namespace

SubtitleDocument parse_srt(std::string_view text, const std::string& source_name) {
    SubtitleDocument doc;
    LineCursor cursor(text);
    while (true) {
        std::optional<std::string_view> line;
        while ((line = cursor.next()) && trim(*line).empty()) {
        }
        if (!line) break;
        std::string_view timing_line = *line;
        if (timing_line.find("-->") == std::string_view::npos) {
            // A number line (or a damaged one): the timing must follow.
            auto following = cursor.peek();
            if (!following || following->find("-->") == std::string_view::npos)
                fail_at(source_name, cursor.line_number(),
                        "expected a subtitle number or a timing line, found " + quote_excerpt(trim(timing_line)) +
                            "; " + kExpectedTiming);
            timing_line = *cursor.next();
        }
        const auto timing = parse_timing(timing_line);
        if (!timing)
            fail_at(source_name, cursor.line_number(),
                    "broken timestamp " + quote_excerpt(trim(timing_line)) + "; " + kExpectedTiming);

        SubtitleEvent event;
        event.id = static_cast<int>(doc.events.size()) + 1;
        event.start = timing->start;
        event.end = timing->end;
        std::vector<std::string> lines;
        while (true) {
            auto next = cursor.peek();
            if (!next || trim(*next).empty() || at_block_start(cursor)) break;
            lines.push_back(strip_srt_markup(*cursor.next()));
        }
        event.lines = clean_display_lines(std::move(lines));
        doc.events.push_back(std::move(event));
    }
    return doc;
}

std::string write_srt(const SubtitleDocument& doc, const WriteOptions& options) {
    const bool rtl = is_right_to_left(options.language);
    std::string out;
    int number = 0;
    for (const auto& event : doc.events) {
        append_cue_head(out, ++number, event, ',');
        for (const auto& line : display_lines_for_output(event, rtl)) {
            out += srt_safe_line(line);
            out += '\n';
        }
        out += '\n';
    }
    return out;
}

}  // namespace dramaloc::subtitles::detail
