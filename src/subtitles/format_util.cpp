#include "subtitles/format_util.hpp"

#include "core/text_codec.hpp"

#include <cctype>
#include <charconv>

#include "subtitles/text.hpp"

namespace dramaloc::subtitles::detail {

std::optional<std::string_view> LineCursor::read() {
    if (pos_ >= text_.size()) return std::nullopt;
    const std::size_t end = text_.find_first_of("\r\n", pos_);
    std::string_view line;
    if (end == std::string_view::npos) {
        line = text_.substr(pos_);
        pos_ = text_.size();
    } else {
        line = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        if (text_[end] == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    }
    return line;
}

std::optional<std::string_view> LineCursor::next() {
    std::optional<std::string_view> line;
    if (pending_) {
        line = pending_;
        pending_.reset();
    } else {
        line = read();
    }
    if (line) ++line_;
    return line;
}

std::optional<std::string_view> LineCursor::peek() {
    if (!pending_) pending_ = read();
    return pending_;
}

std::string_view checked_text(std::string_view text, const std::string& source_name) {
    require_utf8_text(text, source_name);
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    return text;
}

void fail_at(const std::string& source_name, std::size_t line, const std::string& message) {
    throw InputError(source_name + ":" + std::to_string(line) + ": " + message);
}

std::string quote_excerpt(std::string_view s, std::size_t max_bytes) {
    std::string out = "\"";
    if (s.size() <= max_bytes) {
        out += s;
    } else {
        std::size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole code points
        out += s.substr(0, cut);
        out += "…";
    }
    out += "\"";
    return out;
}

namespace {
std::optional<std::int64_t> parse_number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
    if (s.size() < min_digits || s.size() > max_digits) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}
}  // namespace

std::optional<TimeMs> parse_clock(std::string_view s, std::string_view separators, bool hours_optional) {
    const std::size_t sep = s.find_first_of(separators);
    if (sep == std::string_view::npos) return std::nullopt;
    const std::string_view fraction = s.substr(sep + 1);
    std::string_view hms = s.substr(0, sep);
    std::vector<std::string_view> parts;
    while (true) {
        const std::size_t colon = hms.find(':');
        parts.push_back(hms.substr(0, colon));
        if (colon == std::string_view::npos) break;
        hms.remove_prefix(colon + 1);
        if (parts.size() > 3) return std::nullopt;
    }
    if (parts.size() != 3 && !(hours_optional && parts.size() == 2)) return std::nullopt;
    std::optional<std::int64_t> hours = 0;
    if (parts.size() == 3) hours = parse_number(parts[0], 1, 4);
    const auto minutes = parse_number(parts[parts.size() - 2], 1, 2);
    const auto seconds = parse_number(parts[parts.size() - 1], 1, 2);
    auto frac = parse_number(fraction, 1, 3);
    if (!hours || !minutes || !seconds || !frac || *minutes > 59 || *seconds > 59) return std::nullopt;
    for (std::size_t d = fraction.size(); d < 3; ++d) *frac *= 10;
    return ((*hours * 60 + *minutes) * 60 + *seconds) * 1000 + *frac;
}

std::optional<CueTiming> parse_cue_timing(std::string_view line, bool hours_optional) {
    const std::size_t arrow = line.find("-->");
    if (arrow == std::string_view::npos) return std::nullopt;
    const std::string_view left = trim(line.substr(0, arrow));
    std::string_view right = trim(line.substr(arrow + 3));
    right = right.substr(0, right.find_first_of(" \t"));  // SRT coordinates or WebVTT cue settings follow
    const auto start = parse_clock(left, ",.", hours_optional);
    const auto end = parse_clock(right, ",.", hours_optional);
    if (!start || !end) return std::nullopt;
    return CueTiming{*start, *end};
}

void append_cue_head(std::string& out, int number, const SubtitleEvent& event, char ms_separator) {
    out += std::to_string(number);
    out += '\n';
    out += format_clock(event.start, ms_separator);
    out += " --> ";
    out += format_clock(event.end, ms_separator);
    out += '\n';
}

std::string escape_markup(std::string_view s, bool escape_quotes) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"':
                if (escape_quotes) out += "&quot;";
                else out += c;
                break;
            default: out += c;
        }
    }
    return out;
}

std::vector<std::string> clean_display_lines(std::vector<std::string> lines) {
    std::vector<std::string> out;
    out.reserve(lines.size());
    for (auto& line : lines) out.push_back(to_nfc(trim(unwrap_rtl_line(trim(line)))));
    while (!out.empty() && out.back().empty()) out.pop_back();
    std::size_t first = 0;
    while (first < out.size() && out[first].empty()) ++first;
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first));
    return out;
}

std::vector<std::string> display_lines_for_output(const SubtitleEvent& event, bool right_to_left) {
    std::vector<std::string> out;
    for (const auto& line : event.lines) {
        // A line-break character inside a line would end the cue in every format.
        std::string_view rest = line;
        while (true) {
            const std::size_t nl = rest.find_first_of("\r\n");
            const std::string_view t = trim(rest.substr(0, nl));
            if (!t.empty()) out.push_back(right_to_left ? wrap_rtl_line(t) : std::string(t));
            if (nl == std::string_view::npos) break;
            rest.remove_prefix(nl + 1);
        }
    }
    return out;
}

std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace dramaloc::subtitles::detail
