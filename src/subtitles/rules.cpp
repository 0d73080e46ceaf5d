#include "subtitles/rules.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/language.hpp"

namespace dramaloc::subtitles {

SubtitleRules rules_for_language(std::string_view language) {
    SubtitleRules r;  // Latin, Arabic, Hebrew, Devanagari: 42 chars/line, 17 chars/s
    const auto info = find_language(language);
    if (!info) return r;
    if (info->script == ScriptClass::Thai) {
        r.max_chars_per_line = 35;
        r.max_chars_per_second = 15.0;
    } else if (info->bcp47 == "zh") {
        r.max_chars_per_line = 16;
        r.max_chars_per_second = 9.0;
    } else if (info->bcp47 == "ko") {
        r.max_chars_per_line = 16;
        r.max_chars_per_second = 12.0;
    } else if (info->bcp47 == "ja") {
        r.max_chars_per_line = 13;
        r.max_chars_per_second = 4.0;
    }
    return r;
}

namespace {

void apply_table(SubtitleRules& r, const Config& config, const std::string& table) {
    // Types and ranges were checked with the file (rules_config_table).
    const std::string at = table + ".";
    r.max_lines = static_cast<int>(config.get_int_or(at + "max_lines", r.max_lines));
    r.max_chars_per_line = static_cast<int>(config.get_int_or(at + "max_chars_per_line", r.max_chars_per_line));
    r.max_chars_per_second = config.get_double_or(at + "max_chars_per_second", r.max_chars_per_second);
    r.min_duration = config.get_int_or(at + "min_duration", r.min_duration);
    r.max_duration = config.get_int_or(at + "max_duration", r.max_duration);
    r.min_gap_frames = static_cast<int>(config.get_int_or(at + "min_gap_frames", r.min_gap_frames));
    if (r.min_duration > r.max_duration)
        throw ConfigError(config.where(at + (config.has(at + "min_duration") ? "min_duration" : "max_duration")) + ": in [" + table +
                          "], min_duration (" + std::to_string(r.min_duration) + " ms) is longer than max_duration (" +
                          std::to_string(r.max_duration) + " ms)");
}

std::string lower_tag(std::string_view tag) {
    std::string out(tag);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

ConfigTable rules_config_table() {
    const char* language_rule = "the language's built-in rule (dramaloc languages)";
    const SubtitleRules d;
    return {"subtitles.rules.*",
            {ConfigKey::integer("max_lines", d.max_lines, 1, 4),
             ConfigKey::integer("max_chars_per_line", d.max_chars_per_line, 4, 200).without_default().when_unset(language_rule),
             ConfigKey::number("max_chars_per_second", d.max_chars_per_second, 0, 100).above_minimum().without_default().when_unset(language_rule),
             ConfigKey::integer("min_duration", d.min_duration, 0, 60'000),
             ConfigKey::integer("max_duration", d.max_duration, 100, 600'000),
             ConfigKey::integer("min_gap_frames", d.min_gap_frames, 0, 100)},
            {},
            false,
            {},
            {},
            language_names({"default"})};
}

void apply_overrides(SubtitleRules& rules, const Config& config, std::string_view language) {
    apply_table(rules, config, "subtitles.rules.default");
    const std::string tag(language);
    const std::string primary = lower_tag(tag.substr(0, tag.find_first_of("-_")));
    if (!primary.empty()) apply_table(rules, config, "subtitles.rules." + primary);
    if (!tag.empty() && lower_tag(tag) != primary) {
        // Keys are case-sensitive in TOML: accept the tag as written and in lower case.
        apply_table(rules, config, "subtitles.rules." + tag);
        if (lower_tag(tag) != tag) apply_table(rules, config, "subtitles.rules." + lower_tag(tag));
    }
}

namespace {

std::vector<std::string> words(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        const std::size_t space = list.find(' ');
        if (space != 0) out.emplace_back(list.substr(0, space));
        if (space == std::string_view::npos) break;
        list.remove_prefix(space + 1);
    }
    return out;
}

const std::map<std::string, BreakWords, std::less<>>& break_word_table() {
    static const std::map<std::string, BreakWords, std::less<>> table{
        {"en", {words("and but or so because that which who when while if although though unless until nor yet "
                      "whether where since"),
                words("a an the my your his her its our their of to in on at for with from by into about")}},
        {"es", {words("y e o u pero porque que cuando si aunque ni pues mientras"),
                words("el la los las un una unos unas del al de a en con por para sin mi tu su mis tus sus")}},
        {"fr", {words("et ou mais parce que quand si car donc lorsque puisque"),
                words("le la les un une des du de au aux à en dans pour avec sur par mon ton son ma ta sa mes tes "
                      "ses")}},
        {"pt", {words("e ou mas porque que quando se embora nem pois"),
                words("o a os as um uma uns umas do da dos das de em no na nos nas ao à com por para")}},
        {"it", {words("e o ma perché che quando se anche sebbene mentre"),
                words("il lo la i gli le un uno una del della dei degli delle di a da in con su per al allo alla")}},
        {"de", {words("und oder aber weil dass wenn als ob obwohl denn"),
                words("der die das den dem des ein eine einen einem einer eines zu von mit in auf für an bei")}},
        {"ca", {words("i o però perquè que quan si encara"),
                words("el la els les un una uns unes del dels de a en amb per")}},
        // Thai: ICU's dictionary units are words, so single-word conjunctions work.
        {"th", {words("แต่ และ หรือ เพราะ ถ้า ถึง จน"), words("ของ ที่ ใน บน กับ")}},
        {"nl", {words("en of maar omdat dat als toen terwijl hoewel"),
                words("de het een van in op met voor aan")}},
    };
    return table;
}

// Lower-cases ASCII and the Latin-1 capitals (À…Þ) and strips surrounding punctuation.
std::string normalise_word(std::string_view word) {
    auto is_edge_punct = [](std::string_view w, bool front) -> std::size_t {
        static constexpr std::string_view kMulti[] = {"¿", "¡", "«", "»", "“", "”", "‘", "’", "…"};
        for (auto p : kMulti) {
            if (front ? w.substr(0, p.size()) == p : (w.size() >= p.size() && w.substr(w.size() - p.size()) == p))
                return p.size();
        }
        const char c = front ? w.front() : w.back();
        return std::string_view(".,;:!?\"'()[]-").find(c) != std::string_view::npos ? 1 : 0;
    };
    while (!word.empty()) {
        const std::size_t n = is_edge_punct(word, true);
        if (!n) break;
        word.remove_prefix(n);
    }
    while (!word.empty()) {
        const std::size_t n = is_edge_punct(word, false);
        if (!n) break;
        word.remove_suffix(n);
    }
    std::string out(word);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + 32);
        } else if (c == 0xC3 && i + 1 < out.size()) {
            const auto n = static_cast<unsigned char>(out[i + 1]);
            if (n >= 0x80 && n <= 0x9E && n != 0x97) out[i + 1] = static_cast<char>(n + 0x20);
            ++i;
        }
    }
    return out;
}

bool in_list(const std::vector<std::string>& list, std::string_view word) {
    const std::string w = normalise_word(word);
    return !w.empty() && std::find(list.begin(), list.end(), w) != list.end();
}

}  // namespace

const BreakWords& break_words_for_language(std::string_view language) {
    static const BreakWords kNone;
    const auto info = find_language(language);
    if (!info) return kNone;
    const auto& table = break_word_table();
    auto found = table.find(info->bcp47);
    return found == table.end() ? kNone : found->second;
}

bool is_conjunction(std::string_view word, std::string_view language) {
    return in_list(break_words_for_language(language).conjunctions, word);
}

bool must_not_end_line(std::string_view word, std::string_view language) {
    return in_list(break_words_for_language(language).never_end_line, word);
}

}  // namespace dramaloc::subtitles
