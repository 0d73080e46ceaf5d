#include "hardsubs/ocr_text.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>

#include "core/edit_distance.hpp"
#include "core/text_codec.hpp"

namespace dramaloc::hardsubs {
namespace {

bool is_cjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0x20000 && c <= 0x2FA1F);
}

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\f' || c == 0x3000; }

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

double han_share(std::string_view text) {
    std::size_t letters = 0, han = 0;
    for (const char32_t c : code_points(text)) {
        if (!u_isalpha(static_cast<UChar32>(c))) continue;
        ++letters;
        UErrorCode status = U_ZERO_ERROR;
        han += uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN;
    }
    return letters == 0 ? 1.0 : static_cast<double>(han) / static_cast<double>(letters);
}

bool is_ocr_noise(std::string_view text) {
    const auto cps = code_points(text);
    return std::none_of(cps.begin(), cps.end(), [](char32_t c) { return u_isalpha(static_cast<UChar32>(c)) != 0; });
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
