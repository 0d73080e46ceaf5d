#include "engines/apertium/apertium_text.hpp"

#include "core/text_codec.hpp"

#include <cstdint>
#include <cstdlib>

namespace dramaloc::engines::apertium {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// apertium's markup writes spaces it must not break as &nbsp;; in a subtitle line they are spaces.
std::string without_nbsp(std::string_view text) {
    constexpr std::string_view kNbsp = "\u00A0";
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (text.substr(at, kNbsp.size()) == kNbsp) out += ' ', at += kNbsp.size();
        else out += text[at++];
    }
    return out;
}

bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}


// apertium marks sit directly before a word: "*xyzzy", "#cantar", "@word". A '#' or '@'
// inside a word ("a@b.com") or before a digit ("#1") is the speaker's, not apertium's.
std::string strip_marks(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool mark = c == '*' || c == '#' || c == '@';
        const bool at_word_start = i == 0 || !is_word_byte(s[i - 1]);
        if (mark && at_word_start && i + 1 < s.size() && is_word_byte(s[i + 1])) continue;
        out += c;
    }
    return out;
}

std::string collapse_whitespace(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (const char c : s) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// apertium keeps the blank that preceded a quote on the wrong side of it (`" Te quiero,"`).
// With an even number of ASCII quotes, odd ones open and even ones close.
std::string tidy_quotes(const std::string& s) {
    std::size_t count = 0;
    for (const char c : s) count += c == '"' ? 1 : 0;
    if (count == 0 || count % 2 != 0) return s;
    std::string out;
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '"') {
            out += s[i];
            continue;
        }
        ++seen;
        if (seen % 2 == 1) {  // opening: no space after it
            out += '"';
            if (i + 1 < s.size() && s[i + 1] == ' ') ++i;
        } else {  // closing: no space before it
            if (!out.empty() && out.back() == ' ') out.pop_back();
            out += '"';
        }
    }
    return out;
}

}  // namespace

bool is_blank(std::string_view text) {
    for (const char c : text) {
        if (!is_space(c)) return false;
    }
    return true;
}

std::string to_html_paragraphs(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        out += "<p>";
        for (const char c : line) {
            switch (c) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '\n':
                case '\r': out += ' '; break;
                default: out += c;
            }
        }
        out += "</p>\n";
    }
    return out;
}

std::optional<std::vector<std::string>> split_html_paragraphs(std::string_view html, std::size_t expected) {
    std::vector<std::string> paragraphs;
    std::size_t pos = 0;
    while (true) {
        const std::size_t open = html.find("<p>", pos);
        if (open == std::string_view::npos) break;
        const std::size_t close = html.find("</p>", open + 3);
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view body = html.substr(open + 3, close - open - 3);
        if (body.find("<p>") != std::string_view::npos) return std::nullopt;
        paragraphs.emplace_back(body);
        pos = close + 4;
    }
    if (paragraphs.size() != expected) return std::nullopt;
    return paragraphs;
}

std::string clean_translation(std::string_view paragraph) {
    return tidy_quotes(collapse_whitespace(strip_marks(without_nbsp(decode_entities(paragraph)))));
}

}  // namespace dramaloc::engines::apertium
