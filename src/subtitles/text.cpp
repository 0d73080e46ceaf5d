#include "subtitles/text.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/text_codec.hpp"

namespace dramaloc::subtitles {

namespace {

std::size_t line_number_at(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset; ++i)
        if (text[i] == '\n') ++line;
    return line;
}

struct UTextCloser {
    void operator()(UText* t) const noexcept { utext_close(t); }
};
using UTextPtr = std::unique_ptr<UText, UTextCloser>;

UTextPtr open_utf8(std::string_view s) {
    UErrorCode status = U_ZERO_ERROR;
    UTextPtr text(utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &status));
    if (U_FAILURE(status)) throw EngineError(std::string("ICU cannot open text: ") + u_errorName(status));
    return text;
}

// ICU break iterators are costly to create and not thread-safe, so each thread keeps
// its own, one per locale.
icu::BreakIterator& character_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator> it;
    if (!it) {
        UErrorCode status = U_ZERO_ERROR;
        it.reset(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status) || !it) throw EngineError(std::string("ICU grapheme iterator: ") + u_errorName(status));
    }
    return *it;
}

icu::BreakIterator& line_iterator(std::string_view language) {
    thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>, std::less<>> by_language;
    auto found = by_language.find(language);
    if (found != by_language.end()) return *found->second;
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(std::string(language), status);
    status = U_ZERO_ERROR;  // an unusable tag falls back to the root rules
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createLineInstance(locale, status));
    if (U_FAILURE(status) || !it) throw EngineError(std::string("ICU line-break iterator: ") + u_errorName(status));
    return *by_language.emplace(std::string(language), std::move(it)).first->second;
}

bool all_ascii(std::string_view s) noexcept {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

constexpr std::string_view kRle = "\u202B";
constexpr std::string_view kPdf = "\u202C";

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

void require_utf8_text(std::string_view text, std::string_view source_name) {
    const std::string name(source_name);
    if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
        const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
        throw InputError(name + ":" + std::to_string(line_number_at(text, offset)) +
                         ": contains NUL bytes; this is a binary file, not a subtitle text file");
    }
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
            throw InputError(name + ":" + std::to_string(line_number_at(text, i)) + ": not valid UTF-8 (byte " + hex +
                             "); save the file as UTF-8 (e.g. iconv -f GB18030 -t UTF-8)");
        }
        i += len;
    }
}

std::string repair_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            out += "\uFFFD";
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

std::string to_nfc(std::string_view utf8) {
    if (all_ascii(utf8)) return std::string(utf8);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) throw EngineError(std::string("ICU NFC normaliser: ") + u_errorName(status));
    const auto input = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    const icu::UnicodeString normal = nfc->normalize(input, status);
    if (U_FAILURE(status)) throw EngineError(std::string("ICU NFC normalisation: ") + u_errorName(status));
    std::string out;
    normal.toUTF8String(out);
    return out;
}

std::string line_text_problem(std::string_view text, std::size_t max_chars) {
    if (!is_valid_utf8(text)) return "is not valid UTF-8";
    // Graphemes can be long (a letter with a thousand combining marks is one): bytes are capped too.
    if (text.size() > max_chars * 16) return "is " + std::to_string(text.size()) + " bytes long; far more than a line of this language holds";
    bool visible = false;
    for (std::int32_t at = 0; at < static_cast<std::int32_t>(text.size());) {
        UChar32 c = 0;
        U8_NEXT(text.data(), at, static_cast<std::int32_t>(text.size()), c);
        if (c == 0x2028 || c == 0x2029 || c == 0x85) return "holds a line or paragraph separator: a subtitle line is one line";
        if (u_charType(c) == U_CONTROL_CHAR) {
            char code[16];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
            return std::string("holds a control character (") + code + ")";
        }
        if (!u_isUWhiteSpace(c) && u_charType(c) != U_FORMAT_CHAR && !u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            visible = true;
    }
    if (!visible) return "is blank: give the words of the line";
    if (const std::size_t n = grapheme_count(text); n > max_chars)
        return "is " + std::to_string(n) + " characters long; a line of this language has at most " + std::to_string(max_chars);
    return "";
}

std::size_t grapheme_count(std::string_view utf8) {
    if (all_ascii(utf8)) {
        // Only CR LF forms a multi-byte cluster in ASCII.
        std::size_t n = utf8.size();
        for (std::size_t i = 0; i + 1 < utf8.size(); ++i)
            if (utf8[i] == '\r' && utf8[i + 1] == '\n') --n;
        return n;
    }
    UTextPtr text = open_utf8(utf8);
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator& it = character_iterator();
    it.setText(text.get(), status);
    if (U_FAILURE(status)) throw EngineError(std::string("ICU grapheme iterator: ") + u_errorName(status));
    std::size_t count = 0;
    for (int32_t p = it.next(); p != icu::BreakIterator::DONE; p = it.next()) ++count;
    return count;
}

std::vector<std::size_t> line_break_opportunities(std::string_view utf8, std::string_view language) {
    std::vector<std::size_t> out;
    if (utf8.empty()) return out;
    UTextPtr text = open_utf8(utf8);
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator& it = line_iterator(language);
    it.setText(text.get(), status);
    if (U_FAILURE(status)) throw EngineError(std::string("ICU line-break iterator: ") + u_errorName(status));
    // With UTF-8 UText, boundaries are byte offsets into `utf8`.
    for (int32_t p = it.next(); p != icu::BreakIterator::DONE; p = it.next()) {
        const auto offset = static_cast<std::size_t>(p);
        if (offset > 0 && offset < utf8.size()) out.push_back(offset);
    }
    return out;
}

bool is_cjk_language(std::string_view language) { return script_class(language) == ScriptClass::Cjk; }

bool language_uses_spaces(std::string_view language) {
    const ScriptClass s = script_class(language);
    if (s == ScriptClass::Thai) return false;
    if (s == ScriptClass::Cjk) {
        const auto info = find_language(language);
        return info && info->bcp47 == "ko";
    }
    return true;
}

bool is_cjk_codepoint(char32_t c) noexcept {
    return (c >= 0x2E80 && c <= 0x2FDF)      // radicals
           || (c >= 0x3000 && c <= 0x303F)   // CJK symbols and punctuation
           || (c >= 0x3040 && c <= 0x30FF)   // hiragana, katakana
           || (c >= 0x3100 && c <= 0x312F)   // bopomofo
           || (c >= 0x3130 && c <= 0x318F)   // Hangul compatibility jamo
           || (c >= 0x31F0 && c <= 0x31FF)   // katakana extensions
           || (c >= 0x3400 && c <= 0x4DBF)   // extension A
           || (c >= 0x4E00 && c <= 0x9FFF)   // unified ideographs
           || (c >= 0xAC00 && c <= 0xD7AF)   // Hangul syllables
           || (c >= 0xF900 && c <= 0xFAFF)   // compatibility ideographs
           || (c >= 0xFF00 && c <= 0xFFEF)   // full-width forms
           || (c >= 0x20000 && c <= 0x3FFFF);  // supplementary ideographs
}

std::string wrap_rtl_line(std::string_view line) {
    std::string out;
    out.reserve(line.size() + kRle.size() + kPdf.size());
    out.append(kRle).append(line).append(kPdf);
    return out;
}

std::string unwrap_rtl_line(std::string_view line) {
    if (line.size() >= kRle.size() + kPdf.size() && line.substr(0, kRle.size()) == kRle &&
        line.substr(line.size() - kPdf.size()) == kPdf)
        return std::string(line.substr(kRle.size(), line.size() - kRle.size() - kPdf.size()));
    return std::string(line);
}

std::string_view trim(std::string_view s) noexcept {
    constexpr std::string_view kNbsp = "\u00A0";
    for (;;) {
        const auto before = s.size();
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
            s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
            s.remove_suffix(1);
        if (s.substr(0, kNbsp.size()) == kNbsp) s.remove_prefix(kNbsp.size());
        if (s.size() >= kNbsp.size() && s.substr(s.size() - kNbsp.size()) == kNbsp) s.remove_suffix(kNbsp.size());
        if (s.size() == before) return s;
    }
}

}  // namespace dramaloc::subtitles
