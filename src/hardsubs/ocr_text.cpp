#include "hardsubs/ocr_text.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cwctype>
#include <string_view>

#include "core/edit_distance.hpp"
#include "core/text_codec.hpp"

namespace dramaloc::hardsubs {
namespace {

bool is_cjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0x20000 && c <= 0x2FA1F);
}

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\f' || c == 0x3000; }

bool is_han(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN;
}

bool is_latin_or_digit(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= 0xFF10 && c <= 0xFF19) ||
           (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}

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
        case U'~': return U'\uFF5E';
        default: return c;
    }
}

bool is_quote(char32_t c) { return c == U'"' || c == 0x201C || c == 0x201D; }

// A lone quotation mark (its partner lost to OCR) opens when text follows it and nothing but
// the start of the line, a space or punctuation precedes it; otherwise it closes.
bool opens_quote(const std::vector<char32_t>& cps, std::size_t i) {
    const bool text_follows = i + 1 < cps.size() && (is_cjk(cps[i + 1]) || std::iswalnum(static_cast<wint_t>(cps[i + 1]))) &&
                              !(cps[i + 1] >= 0x3000 && cps[i + 1] <= 0x303F) && !(cps[i + 1] >= 0xFF00 && cps[i + 1] <= 0xFF0F);
    const bool nothing_before = i == 0 || is_space(cps[i - 1]) || (cps[i - 1] >= 0x3000 && cps[i - 1] <= 0x303F) ||
                                (cps[i - 1] >= 0xFF00 && cps[i - 1] <= 0xFF20) || cps[i - 1] == U':' || cps[i - 1] == U',';
    return text_follows && nothing_before;
}

std::string with_cjk_punctuation(const std::string& text) {
    const auto cps = code_points(text);
    std::string out;
    // Quotation marks in pairs alternate, the first opening; a lone one goes by its place.
    const auto quotes = static_cast<std::size_t>(std::count_if(cps.begin(), cps.end(), is_quote));
    std::size_t quote = 0;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        if (cps[i] == U'.' && i + 1 < cps.size() && cps[i + 1] == U'.') {
            // Dots in a row are an ellipsis: "我...我" → "我……我" (not "我。..我").
            std::size_t end = i;
            while (end < cps.size() && cps[end] == U'.') ++end;
            if ((i > 0 && is_cjk(cps[i - 1])) || (end < cps.size() && is_cjk(cps[end]))) {
                append_utf8(out, 0x2026), append_utf8(out, 0x2026);
            } else {
                out.append(end - i, '.');
            }
            i = end - 1;
            continue;
        }
        const bool after_cjk = i > 0 && is_cjk(cps[i - 1]);
        const bool before_cjk = i + 1 < cps.size() && is_cjk(cps[i + 1]);
        const bool between_digits = i > 0 && i + 1 < cps.size() && std::iswdigit(static_cast<wint_t>(cps[i - 1])) &&
                                    std::iswdigit(static_cast<wint_t>(cps[i + 1]));
        char32_t c = cps[i];
        if (after_cjk || before_cjk) {
            c = full_width(c);
            if (is_quote(c)) {
                const bool paired = quote + 1 < quotes || quote % 2 == 1;
                c = (paired ? quote % 2 == 0 : opens_quote(cps, i)) ? 0x201C : 0x201D;
                ++quote;
            } else if (c == U'.' && after_cjk && !between_digits) {
                c = 0x3002;  // 。
            }
        }
        append_utf8(out, c);
    }
    return out;
}

// "： “" → "：“", "， VIP" → "，VIP": full-width punctuation carries its own space, and a curly
// quote sits tight against it (the space was OCR's, between ASCII marks made full-width after).
std::string without_space_at_marks(const std::string& text) {
    const auto cps = code_points(text);
    const auto chinese_mark = [](char32_t c) { return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF); };
    std::string out;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        if (cps[i] == U' ' && i > 0 && i + 1 < cps.size() &&
            (chinese_mark(cps[i - 1]) || chinese_mark(cps[i + 1])))
            continue;
        append_utf8(out, cps[i]);
    }
    return out;
}

// A character that closes a line the way '。' does when the engine mistakes it.
bool looks_like_full_stop(char32_t c) { return c == U'.' || c == U',' || c == U'-' || c == U'_' || c == 0xB7 || c == U'o' || c == U'O' || c == 0xB0; }

// What a line of Chinese subtitles may hold besides Han and Latin: its punctuation (ASCII or
// full-width: the ASCII is made full-width after), spaces, and a dash only inside the line.
bool belongs_in_chinese_text(char32_t c, bool opens_line) {
    if (is_han(c) || is_latin_or_digit(c) || is_space(c) || c == U'\n') return true;
    if (c >= 0x3000 && c <= 0x303F) return true;                   // 、。〈〉《》「」 and the like
    if (c >= 0xFF01 && c <= 0xFF0F) return c != 0xFF0D;             // ！＂＃…（）＊＋，． (not －)
    if (c == 0xFF1A || c == 0xFF1B || c == 0xFF1F) return true;     // ：；？
    if (c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2026 || c == 0x2014 || c == 0xB7) return true;
    if (c == U'-') return !opens_line;
    if (c == 0xFF5E || c == 0xFFE5 || c == 0xA5) return true;       // ～ ￥ ¥
    return std::u32string_view(U"?!,.:;\"'()%~+/&@#").find(c) != std::u32string_view::npos;
}

// The engine's best Han candidate for a symbol it misread, or nothing.
std::string best_han_candidate(const engines::OcrSymbol& symbol) {
    for (const auto& [candidate, confidence] : symbol.alternatives) {
        const auto cps = code_points(candidate);
        if (cps.size() == 1 && is_han(cps[0])) return candidate;
    }
    return {};
}

constexpr float kSureOfLatin = 0.90f;  // a lone Latin letter or digit in Han text stays at this confidence
constexpr float kSureOfLatinRun = 0.80f;  // a run of two or more at this mean confidence

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
    return without_space_at_marks(with_cjk_punctuation(out));
}

float mean_symbol_confidence(const std::vector<engines::OcrSymbol>& symbols, float fallback) {
    if (symbols.empty()) return fallback;
    double sum = 0;
    for (const auto& s : symbols) sum += s.confidence;
    return static_cast<float>(sum / static_cast<double>(symbols.size()));
}

float weakest_symbol_confidence(const std::vector<engines::OcrSymbol>& symbols, float fallback) {
    if (symbols.empty()) return fallback;
    float weakest = 1.0f;
    for (const auto& s : symbols) weakest = std::min(weakest, s.confidence);
    return weakest;
}

std::string chinese_ocr_text(const std::vector<engines::OcrSymbol>& symbols, std::string_view text) {
    if (symbols.empty()) return normalize_ocr_text(text);
    // One code point per symbol (a symbol of several is kept whole and counts as other).
    struct Item {
        std::string text;
        char32_t c = 0;
        const engines::OcrSymbol* symbol = nullptr;
    };
    std::vector<Item> items;
    for (const auto& s : symbols) {
        const auto cps = code_points(s.text);
        if (s.starts_line && !items.empty()) items.push_back({"\n", U'\n', nullptr});
        else if (s.starts_word && !items.empty()) items.push_back({" ", U' ', nullptr});
        items.push_back({s.text, cps.size() == 1 ? cps[0] : 0, &s});
    }
    const auto han_near = [&](std::size_t i, int step) {
        for (auto j = static_cast<std::ptrdiff_t>(i) + step; j >= 0 && j < static_cast<std::ptrdiff_t>(items.size()); j += step) {
            const char32_t c = items[static_cast<std::size_t>(j)].c;
            if (c == U' ' || c == U'\n' || is_latin_or_digit(c)) continue;
            return is_han(c);
        }
        return false;
    };
    std::string out;
    for (std::size_t i = 0; i < items.size();) {
        if (!is_latin_or_digit(items[i].c)) {
            // A full stop mistaken for something else, closing a line after Han.
            const bool last = i + 1 == items.size() || items[i + 1].c == U'\n';
            if (last && i > 0 && is_han(items[i - 1].c) && looks_like_full_stop(items[i].c)) out += "。";
            // A mark Chinese subtitles never hold ('=', '|', '_', a dash opening the line), next
            // to Han: a character misread, as its best Han candidate if any.
            else if (items[i].symbol && items[i].c != 0 && !belongs_in_chinese_text(items[i].c, i == 0 || items[i - 1].c == U'\n') &&
                     (han_near(i, -1) || han_near(i, +1)))
                out += best_han_candidate(*items[i].symbol);
            else out += items[i].text;
            ++i;
            continue;
        }
        // A run of Latin letters and digits: real when the engine was sure of it, or when no
        // Han text is next to it (a line in another script).
        std::size_t end = i;
        double sum = 0;
        while (end < items.size() && is_latin_or_digit(items[end].c)) sum += items[end++].symbol->confidence;
        const double mean = sum / static_cast<double>(end - i);
        const bool in_han = han_near(i, -1) || han_near(end - 1, +1);
        const bool sure = end - i >= 2 ? mean >= kSureOfLatinRun : mean >= kSureOfLatin;
        for (std::size_t k = i; k < end; ++k) {
            if (!in_han || sure) {
                out += items[k].text;
                continue;
            }
            // Not sure, inside Han text: a round mark closing the line is a full stop; otherwise
            // the engine's best Han candidate for this place, if any.
            const bool closes_line = k + 1 == items.size() || items[k + 1].c == U'\n';
            if (closes_line && k == i && (items[k].c == U'o' || items[k].c == U'O' || items[k].c == U'0')) {
                out += "。";
                continue;
            }
            out += best_han_candidate(*items[k].symbol);
        }
        i = end;
    }
    return normalize_ocr_text(out);
}

double han_share(std::string_view text) {
    std::size_t letters = 0, han = 0;
    for (const char32_t c : code_points(text)) {
        if (!u_isalpha(static_cast<UChar32>(c))) continue;
        ++letters;
        han += is_han(c);
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
