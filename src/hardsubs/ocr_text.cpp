#include "hardsubs/ocr_text.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace dramaloc::hardsubs {
namespace {

bool is_cjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0x20000 && c <= 0x2FA1F);
}

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\f' || c == 0x3000; }

void append_utf8(std::string& out, char32_t c) {
    char buf[4];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), length, 4, static_cast<UChar32>(c), error);
    if (!error) out.append(buf, static_cast<std::size_t>(length));
}

}  // namespace

std::vector<char32_t> code_points(std::string_view text) {
    std::vector<char32_t> out;
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
    }
    return out;
}

namespace {

// Chinese subtitles use full-width punctuation; OCR often returns the ASCII look-alike.
char32_t full_width(char32_t c) {
    switch (c) {
        case U'?': return U'\uFF1F';
        case U'!': return U'\uFF01';
        case U',': return U'\uFF0C';
        case U':': return U'\uFF1A';
        case U';': return U'\uFF1B';
        case U'(': return U'\uFF08';
        case U')': return U'\uFF09';
        default: return c;
    }
}

std::string with_cjk_punctuation(const std::string& text) {
    const auto cps = code_points(text);
    std::string out;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const bool after_cjk = i > 0 && is_cjk(cps[i - 1]);
        const bool before_cjk = i + 1 < cps.size() && is_cjk(cps[i + 1]);
        append_utf8(out, (after_cjk || before_cjk) ? full_width(cps[i]) : cps[i]);
    }
    return out;
}

}  // namespace

std::string normalize_ocr_text(std::string_view text) {
    // Lines become one; a line break between two CJK characters vanishes, else it is a space.
    std::vector<char32_t> cps = code_points(text);
    for (char32_t& c : cps)
        if (c == U'\n') c = U' ';
    std::string out;
    std::size_t i = 0;
    while (i < cps.size() && is_space(cps[i])) ++i;
    char32_t previous = 0;
    while (i < cps.size()) {
        if (is_space(cps[i])) {
            std::size_t j = i;
            while (j < cps.size() && is_space(cps[j])) ++j;
            if (j < cps.size() && previous && !is_cjk(previous) && !is_cjk(cps[j])) out += ' ';
            i = j;
            continue;
        }
        append_utf8(out, cps[i]);
        previous = cps[i];
        ++i;
    }
    return with_cjk_punctuation(out);
}

bool is_ocr_noise(std::string_view text) {
    const auto cps = code_points(text);
    return std::none_of(cps.begin(), cps.end(), [](char32_t c) { return u_isalpha(static_cast<UChar32>(c)) != 0; });
}

std::size_t edit_distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

double text_similarity(std::string_view a, std::string_view b) {
    auto strip = [](std::string_view s) {
        auto cps = code_points(s);
        cps.erase(std::remove_if(cps.begin(), cps.end(), [](char32_t c) { return is_space(c) || c == U'\n'; }), cps.end());
        return cps;
    };
    const auto x = strip(a);
    const auto y = strip(b);
    const std::size_t longer = std::max(x.size(), y.size());
    if (longer == 0) return 1.0;
    return 1.0 - static_cast<double>(edit_distance(x, y)) / static_cast<double>(longer);
}

}  // namespace dramaloc::hardsubs
