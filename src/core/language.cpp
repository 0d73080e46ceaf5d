#include "core/language.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.hpp"

namespace dramaloc {

namespace {
struct Entry {
    const char* bcp47;
    const char* iso_t;
    const char* iso_b;  // bibliographic code where it differs ("chi"), else same as iso_t
    const char* name;
    ScriptClass script;
    bool rtl;
};

constexpr std::array kLanguages{
    Entry{"en", "eng", "eng", "English", ScriptClass::Latin, false},
    Entry{"zh", "zho", "chi", "Chinese", ScriptClass::Cjk, false},
    Entry{"ja", "jpn", "jpn", "Japanese", ScriptClass::Cjk, false},
    Entry{"ko", "kor", "kor", "Korean", ScriptClass::Cjk, false},
    Entry{"es", "spa", "spa", "Spanish", ScriptClass::Latin, false},
    Entry{"fr", "fra", "fre", "French", ScriptClass::Latin, false},
    Entry{"pt", "por", "por", "Portuguese", ScriptClass::Latin, false},
    Entry{"it", "ita", "ita", "Italian", ScriptClass::Latin, false},
    Entry{"de", "deu", "ger", "German", ScriptClass::Latin, false},
    Entry{"nl", "nld", "dut", "Dutch", ScriptClass::Latin, false},
    Entry{"ca", "cat", "cat", "Catalan", ScriptClass::Latin, false},
    Entry{"gl", "glg", "glg", "Galician", ScriptClass::Latin, false},
    Entry{"ro", "ron", "rum", "Romanian", ScriptClass::Latin, false},
    Entry{"pl", "pol", "pol", "Polish", ScriptClass::Latin, false},
    Entry{"tr", "tur", "tur", "Turkish", ScriptClass::Latin, false},
    Entry{"id", "ind", "ind", "Indonesian", ScriptClass::Latin, false},
    Entry{"ms", "msa", "may", "Malay", ScriptClass::Latin, false},
    Entry{"vi", "vie", "vie", "Vietnamese", ScriptClass::Latin, false},
    Entry{"tl", "tgl", "tgl", "Tagalog", ScriptClass::Latin, false},
    Entry{"ru", "rus", "rus", "Russian", ScriptClass::Latin, false},
    Entry{"uk", "ukr", "ukr", "Ukrainian", ScriptClass::Latin, false},
    Entry{"el", "ell", "gre", "Greek", ScriptClass::Latin, false},
    Entry{"th", "tha", "tha", "Thai", ScriptClass::Thai, false},
    Entry{"ar", "ara", "ara", "Arabic", ScriptClass::Arabic, true},
    Entry{"fa", "fas", "per", "Persian", ScriptClass::Arabic, true},
    Entry{"ur", "urd", "urd", "Urdu", ScriptClass::Arabic, true},
    Entry{"he", "heb", "heb", "Hebrew", ScriptClass::Hebrew, true},
    Entry{"hi", "hin", "hin", "Hindi", ScriptClass::Devanagari, false},
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

LanguageInfo info_of(const Entry& e, std::string tag) {
    return LanguageInfo{std::move(tag), e.iso_t, e.name, e.script, e.rtl};
}
}  // namespace

std::optional<LanguageInfo> find_language(std::string_view tag) {
    const std::string t = lower(tag);
    const std::string primary = t.substr(0, t.find_first_of("-_"));
    for (const auto& e : kLanguages) {
        if (primary == e.bcp47 || primary == e.iso_t || primary == e.iso_b) return info_of(e, e.bcp47);
    }
    return std::nullopt;
}

LanguageInfo language_or_throw(std::string_view tag) {
    if (auto info = find_language(tag)) return *info;
    throw InputError("unknown language \"" + std::string(tag) +
                     "\"; use a BCP-47 tag such as en, zh, es, fr, ar, th (see `dramaloc languages`)");
}

std::string iso639_2(std::string_view tag) {
    auto info = find_language(tag);
    return info ? info->iso639_2 : "und";
}

bool is_right_to_left(std::string_view tag) {
    auto info = find_language(tag);
    return info && info->right_to_left;
}

ScriptClass script_class(std::string_view tag) {
    auto info = find_language(tag);
    return info ? info->script : ScriptClass::Other;
}

const char* to_string(ScriptClass s) noexcept {
    switch (s) {
        case ScriptClass::Latin: return "latin";
        case ScriptClass::Cjk: return "cjk";
        case ScriptClass::Thai: return "thai";
        case ScriptClass::Arabic: return "arabic";
        case ScriptClass::Hebrew: return "hebrew";
        case ScriptClass::Devanagari: return "devanagari";
        case ScriptClass::Other: return "other";
    }
    return "other";
}

std::vector<LanguageInfo> known_languages() {
    std::vector<LanguageInfo> out;
    for (const auto& e : kLanguages) out.push_back(info_of(e, e.bcp47));
    return out;
}

}  // namespace dramaloc
