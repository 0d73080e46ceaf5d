// Stage translate: every line translated, keeping ids, times and speakers.
#include <cctype>
#include <cstdio>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/script_json.hpp"
#include "core/text_codec.hpp"
#include "pipeline/stages/language.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

namespace {

std::string lowercase_letters(const std::string& s) {
    std::string out;
    for (unsigned char c : s)
        if (std::isalnum(c) || c >= 0x80) out.push_back(static_cast<char>(std::tolower(c)));
    return out;
}

// The glossary renderings for `language` (part of the translate key: a new rendering must
// translate again). Empty without a glossary, so keys stay as they were for embedded runs.
std::string glossary_parameters(const Series* series, const std::string& language) {
    if (!series) return {};
    std::string out;
    for (const auto& e : series->glossary)
        if (const auto it = e.rendering.find(language); it != e.rendering.end()) out += "|" + e.source + "=" + it->second;
    if (!series->synopsis.empty()) out += "|synopsis=" + series->synopsis;
    return out;
}

std::vector<std::string> texts_of(const Script& script) {
    std::vector<std::string> texts;
    for (const auto& line : script.lines) texts.push_back(line.text);
    return texts;
}

}  // namespace

// Between languages written alike, a short line can be the same in both ("Taxi!", "Total
// total.", a name): it counts only from three words (or six characters of an unspaced script) on.
bool looks_untranslated(const std::string& source, const std::string& target, const std::string& from, const std::string& to) {
    const std::string a = lowercase_letters(source), b = lowercase_letters(target);
    if (a.empty()) return false;
    if (b.empty()) return true;
    if (a != b || a.size() <= 3) return false;
    if (script_class(from) != script_class(to)) return true;
    std::size_t words = 0;
    bool in_word = false;
    for (const char c : source) {
        const bool space = c == ' ' || c == '\t';
        words += !space && !in_word;
        in_word = !space;
    }
    return words >= 3 || (words == 1 && utf8_length(source) >= 6 && script_class(from) != ScriptClass::Latin);
}

// A language that came out (mostly) untranslated must not look like success: one line naming
// the engine and what it answered.
void require_translated(const Script& source, const std::vector<std::string>& translated, engines::Translator& translator,
                        const TranslateRequest& request) {
    std::size_t untranslated = 0;
    for (std::size_t i = 0; i < source.lines.size() && i < translated.size(); ++i)
        untranslated += looks_untranslated(source.lines[i].text, translated[i], source.language, request.language);
    const auto lines = static_cast<double>(source.lines.size());
    if (source.lines.empty() || static_cast<double>(untranslated) <= request.max_untranslated_share * lines) return;
    const std::string problem = translator.last_problem();
    char share[32];
    std::snprintf(share, sizeof share, "%g", 100.0 * request.max_untranslated_share);
    throw EngineError(std::to_string(untranslated) + " of " + std::to_string(source.lines.size()) +
                      " lines came back untranslated (more than " + share + " %) from the " + translator.name() +
                      " translator: " + (problem.empty() ? "it returned them unchanged" : problem) +
                      "; check [engines.translate], or raise [qc] max_untranslated");
}

Translation translate(StageContext& context, const SourceScript& source, engines::Translator& translator, const TranslateRequest& request) {
    const Script& from = source.script;
    const std::string& language = request.language;
    context.announce(language + ": translate " + std::to_string(from.lines.size()) + " lines");
    Translation out;
    out.key = stage_key(StageId::Translate, translator.version(), {source.key},
                        from.language + ">" + language + glossary_parameters(request.series, language));
    const fs::path dir = run_stage(context, {StageId::Translate, language, translator.version(), out.key}, [&](const fs::path& d) {
        engines::TranslationContext translation_context;
        translation_context.series = request.series;
        for (const auto& line : from.lines) {
            translation_context.speakers.push_back(line.speaker);
            translation_context.durations.push_back(line.duration());
        }
        const auto translated = translator.translate(texts_of(from), from.language, language, translation_context);
        // Not stored when it fails: the next run asks the engine again.
        require_translated(from, translated, translator, request);
        Script target{language, {}};
        for (std::size_t i = 0; i < from.lines.size(); ++i) {
            Line line = from.lines[i];
            line.text = translated.at(i);
            line.words.clear();
            line.origin = LineOrigin::Translation;
            target.lines.push_back(std::move(line));
        }
        write_script_json(d / "script.json", target);
    });
    out.script = read_script_json(dir / "script.json");
    require_translated(from, texts_of(out.script), translator, request);  // again for a stored one, against today's share
    return out;
}

}  // namespace dramaloc::pipeline
