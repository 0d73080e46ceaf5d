#include "search/tokens.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <memory>

#include "core/error.hpp"

namespace dramaloc::search {

namespace {

bool is_arabic_mark(UChar32 c) {
    return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640;  // tashkeel, superscript alef, tatweel
}

UChar32 arabic_letter(UChar32 c) {
    switch (c) {
        case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627;  // آ أ إ ٱ → ا
        case 0x0649: return 0x064A;                                         // ى → ي
        case 0x0629: return 0x0647;                                         // ة → ه
        default: return c;
    }
}

// Scripts whose combining marks are accents a reader may leave out (not letters, as Thai's are).
bool marks_are_accents(UScriptCode script) {
    return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC || script == USCRIPT_ARABIC;
}

const icu::Normalizer2& normalizer(bool casefold) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = casefold ? icu::Normalizer2::getNFKCCasefoldInstance(status) : icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || !n) throw InternalError(std::string("ICU has no normalizer: ") + u_errorName(status));
    return *n;
}

icu::UnicodeString fold_unicode(const icu::UnicodeString& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString folded = normalizer(true).normalize(text, status);
    const icu::UnicodeString decomposed = normalizer(false).normalize(folded, status);
    if (U_FAILURE(status)) throw InternalError(std::string("ICU could not normalize text: ") + u_errorName(status));
    icu::UnicodeString out;
    UScriptCode base = USCRIPT_COMMON;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (is_arabic_mark(c)) continue;
        if (u_charType(c) == U_NON_SPACING_MARK) {
            if (marks_are_accents(base)) continue;
        } else {
            UErrorCode e = U_ZERO_ERROR;
            base = uscript_getScript(c, &e);
        }
        out.append(arabic_letter(c));
    }
    // Back to composed form (NFKC of the result: a Thai or Devanagari mark recombines).
    icu::UnicodeString composed = normalizer(true).normalize(out, status);
    if (U_FAILURE(status)) throw InternalError(std::string("ICU could not normalize text: ") + u_errorName(status));
    return composed;
}

std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// Han, hiragana, katakana: a character is a token of its own.
bool is_ideographic(UChar32 c) {
    UErrorCode e = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &e);
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

}  // namespace

std::string fold(std::string_view text) {
    return to_utf8(fold_unicode(icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))));
}

std::vector<Token> tokenize(std::string_view text) {
    // UTF-16 for ICU, with each UTF-16 index's byte offset in the original (for highlights).
    icu::UnicodeString u;
    std::vector<std::size_t> byte_at;
    for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
        if (c < 0) c = 0xFFFD;  // invalid UTF-8
        u.append(c);
        for (int32_t k = 0; k < U16_LENGTH(c); ++k) byte_at.push_back(static_cast<std::size_t>(start));
    }
    byte_at.push_back(text.size());

    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> words(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) throw InternalError(std::string("ICU has no word break iterator: ") + u_errorName(status));
    words->setText(u);
    std::vector<Token> out;
    int position = 0;
    for (int32_t start = words->first(), end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
        if (words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation, symbols
        const icu::UnicodeString word = u.tempSubStringBetween(start, end);
        const auto emit = [&](int32_t from, int32_t to, const icu::UnicodeString& piece) {
            std::string folded = to_utf8(fold_unicode(piece));
            if (folded.empty()) return;
            out.push_back({std::move(folded), byte_at[static_cast<std::size_t>(from)], byte_at[static_cast<std::size_t>(to)], position++});
        };
        if (!is_ideographic(word.char32At(0))) {
            emit(start, end, word);
            continue;
        }
        // One token per character of a Han or kana run (a word may mix in a Latin letter).
        for (int32_t i = start; i < end;) {
            const UChar32 c = u.char32At(i);
            const int32_t next = i + U16_LENGTH(c);
            if (is_ideographic(c)) {
                emit(i, next, u.tempSubStringBetween(i, next));
                i = next;
                continue;
            }
            int32_t run_end = next;
            while (run_end < end && !is_ideographic(u.char32At(run_end))) run_end += U16_LENGTH(u.char32At(run_end));
            emit(i, run_end, u.tempSubStringBetween(i, run_end));
            i = run_end;
        }
    }
    return out;
}

bool words_at(const std::vector<Token>& tokens, std::size_t i, const std::vector<std::string>& words) {
    if (words.empty() || i + words.size() > tokens.size()) return false;
    for (std::size_t k = 0; k < words.size(); ++k)
        if (tokens[i + k].text != words[k] || tokens[i + k].position != tokens[i].position + static_cast<int>(k)) return false;
    return true;
}

}  // namespace dramaloc::search
