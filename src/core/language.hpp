#pragma once
// Language tags. dramaloc speaks BCP-47 ("en", "zh", "zh-Hans", "pt-BR") everywhere and
// converts at the edges: ISO 639-2/T for MP4 track tags, script class for subtitle rules.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc {

// How a language is written, which decides subtitle length rules and line breaking.
enum class ScriptClass {
    Latin,     // Latin, Cyrillic, Greek: spaces between words, 42 chars/line
    Cjk,       // Chinese, Japanese, Korean: 16 chars/line, no spaces (Korean has some)
    Thai,      // no spaces between words; ICU dictionary breaks
    Arabic,    // right-to-left
    Hebrew,    // right-to-left
    Devanagari,
    Other
};

struct LanguageInfo {
    std::string bcp47;        // primary subtag as given, lowercase ("zh")
    std::string iso639_2;     // terminology code ("zho"), "und" when unknown
    std::string english_name; // "Chinese"
    ScriptClass script = ScriptClass::Other;
    bool right_to_left = false;
};

// Looks up a BCP-47 tag ("es", "es-MX", "zh-Hans", "ar") by its primary subtag.
// Also accepts ISO 639-2 codes ("spa", "chi", "zho"). nullopt when unknown.
std::optional<LanguageInfo> find_language(std::string_view tag);

// Like find_language but throws InputError listing how to write a tag.
LanguageInfo language_or_throw(std::string_view tag);

// ISO 639-2/T code for a tag; "und" when unknown.
std::string iso639_2(std::string_view tag);

bool is_right_to_left(std::string_view tag);
ScriptClass script_class(std::string_view tag);
const char* to_string(ScriptClass s) noexcept;

// All languages dramaloc knows, for help text.
std::vector<LanguageInfo> known_languages();

}  // namespace dramaloc
