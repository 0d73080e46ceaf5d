#include "engines/openai/openai_translator.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "core/text_codec.hpp"
#include "core/language.hpp"
#include "core/parallel.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::engines {

using nlohmann::json;

namespace {

constexpr int kAnswersPerBatch = 2;  // tries with one batch before it is split
constexpr int kContextLines = 2;

std::string language_name(std::string_view tag) {
    const auto info = find_language(tag);
    return info ? info->english_name + " (" + std::string(tag) + ")" : std::string(tag);
}

// The translated items of a JSON answer in any of the shapes models give: {"lines": [...]},
// the request's own key {"translate": [...]}, {"translations": [...]}, or a bare array;
// nullptr for anything else.
const json* items_of(const json& value) {
    if (value.is_array()) return &value;
    if (!value.is_object()) return nullptr;
    for (const char* key : {"lines", "translate", "translations"})
        if (const auto it = value.find(key); it != value.end() && it->is_array()) return &*it;
    return nullptr;
}

}  // namespace

std::optional<std::map<int, std::string>> parse_translation_answer(const std::string& content) {
    const auto is_item = [](const json& item) {
        return item.is_object() && item.contains("id") && item["id"].is_number_integer() && item.contains("text") && item["text"].is_string();
    };
    const auto value = parse_model_json(content, [&](const json& v) {
        const json* items = items_of(v);
        return items && std::all_of(items->begin(), items->end(), is_item);
    });
    if (!value) return std::nullopt;
    std::map<int, std::string> got;
    for (const auto& item : *items_of(*value))
        if (!got.emplace(item["id"].get<int>(), item["text"].get<std::string>()).second) return std::nullopt;  // an id twice
    return got;
}

namespace {

// A short, printable quote of an answer for one-line messages.
std::string quote_answer(const std::string& content) {
    std::string flat;
    for (const char c : content) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (flat.size() > 80) flat = flat.substr(0, 77) + "...";
    return "\"" + flat + "\"";
}

}  // namespace

int length_budget(TimeMs slot_ms, std::string_view language) {
    // Dubbing speaking rates, characters per second: CJK packs a syllable in a character.
    const ScriptClass script = script_class(language);
    const double per_second = script == ScriptClass::Cjk ? 6.0 : script == ScriptClass::Thai ? 12.0 : 15.0;
    return std::max(4, static_cast<int>(std::lround(static_cast<double>(slot_ms) / 1000.0 * per_second)));
}

struct OpenAiTranslator::Batch {
    std::vector<std::size_t> lines;  // indices into the texts, consecutive
    const std::vector<std::string>* texts;
    const TranslationContext* context;
    std::string from, to;
    std::vector<std::pair<std::string, std::string>> glossary;  // source term -> required rendering
};

OpenAiTranslator::OpenAiTranslator(EngineSettings settings)
    : settings_(std::move(settings)),
      client_(endpoint_for(settings_)),
      structured_(settings_.structured_output) {}

bool OpenAiTranslator::reject(std::string why) {
    ++rejected_;
    std::lock_guard lock(problem_mutex_);
    last_problem_ = std::move(why);
    return false;
}

std::string OpenAiTranslator::last_problem() const {
    std::lock_guard lock(problem_mutex_);
    return last_problem_.empty() ? std::string() : "the model at " + settings_.url + " (" + settings_.model + ") " + last_problem_;
}

std::string OpenAiTranslator::version() const { return "openai-chat/1 " + settings_.url + " model " + settings_.model; }

std::vector<LanguagePair> OpenAiTranslator::pairs() const { return {{"*", "*"}}; }

TranslationStats OpenAiTranslator::stats() const { return {requests_.load(), rejected_.load(), splits_.load(), kept_.load()}; }

bool OpenAiTranslator::try_batch(const Batch& b, std::vector<std::string>& out) {
    const auto& texts = *b.texts;
    const auto& ctx = *b.context;
    const auto speaker = [&](std::size_t i) { return i < ctx.speakers.size() ? ctx.speakers[i] : std::string(); };
    json before = json::array(), after = json::array(), lines = json::array();
    const std::size_t first = b.lines.front(), last = b.lines.back();
    for (std::size_t i = first >= kContextLines ? first - kContextLines : 0; i < first; ++i)
        before.push_back({{"speaker", speaker(i)}, {"text", texts[i]}});
    for (std::size_t i = last + 1; i < texts.size() && i <= last + kContextLines; ++i)
        after.push_back({{"speaker", speaker(i)}, {"text", texts[i]}});
    for (std::size_t i : b.lines) {
        json line = {{"id", static_cast<int>(i) + 1}, {"speaker", speaker(i)}, {"text", texts[i]}};
        if (i < ctx.durations.size()) line["max_chars"] = length_budget(ctx.durations[i], b.to);
        lines.push_back(line);
    }
    std::string glossary_text;
    for (const auto& [term, rendering] : b.glossary) glossary_text += "\n- " + term + " -> " + rendering;
    const std::string system =
        "You translate the dialogue of a short drama from " + language_name(b.from) + " to " + language_name(b.to) +
        " for subtitles and dubbing. Translate every line under \"translate\", keeping its meaning, tone and "
        "register, as natural spoken " + language_name(b.to) + ". Keep each translation within its \"max_chars\": "
        "it must be spoken in the time of the original line. Lines under \"before\" and \"after\" are context only: do "
        "not translate them." +
        (glossary_text.empty() ? std::string() : "\nAlways render these names and phrases exactly so:" + glossary_text) +
        "\nAnswer with JSON only: {\"lines\": [{\"id\": <id>, \"text\": \"<translation>\"}]}, one entry per line to "
        "translate, with the same ids.";
    json user = {{"before", before}, {"translate", lines}, {"after", after}};
    if (ctx.series && !ctx.series->synopsis.empty()) user["synopsis"] = ctx.series->synopsis;
    json response_format = nullptr;
    if (structured_) {
        const json schema = {
            {"type", "object"},
            {"properties",
             {{"lines",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties", {{"id", {{"type", "integer"}}}, {"text", {{"type", "string"}}}}},
                  {"required", json::array({"id", "text"})},
                  {"additionalProperties", false}}}}}}},
            {"required", json::array({"lines"})},
            {"additionalProperties", false}};
        response_format = {{"type", "json_schema"}, {"json_schema", {{"name", "translation"}, {"strict", true}, {"schema", schema}}}};
    }

    const ChatReply response = ask_chat(client_, settings_.model, system, user, response_format);
    if (response.status == 400 && structured_) {
        // Servers without structured output reject the schema: go on without it.
        structured_ = false;
        return false;
    }
    if (!response.ok())
        throw EngineError("the translator at " + settings_.url + "/chat/completions answered HTTP " + std::to_string(response.status) +
                          ": " + response.body.substr(0, 200) + "; check [engines.translate] url, model and key");
    ++requests_;
    // Validate: JSON, exactly the ids asked for, non-empty texts, glossary renderings present.
    if (!response.content) return reject("answered something that is not a chat completion: " + quote_answer(response.body));
    const std::string& content = *response.content;
    const auto answer = parse_translation_answer(content);
    if (!answer) return reject("answered without the translations as JSON: " + quote_answer(content));
    auto got = *answer;
    std::set<int> wanted;
    for (std::size_t i : b.lines) wanted.insert(static_cast<int>(i) + 1);
    for (const auto& [id, text] : got)
        if (!wanted.count(id)) return reject("answered a line id that was not asked for (" + std::to_string(id) + ")");
    for (int id : wanted) {
        if (!got.count(id)) return reject("left out line " + std::to_string(id));
        if (got[id].empty()) return reject("answered an empty translation for line " + std::to_string(id));
    }
    for (std::size_t i : b.lines)
        for (const auto& [term, rendering] : b.glossary)
            if (texts[i].find(term) != std::string::npos && got[static_cast<int>(i) + 1].find(rendering) == std::string::npos)
                return reject("did not use the glossary rendering \"" + rendering + "\" of \"" + term + "\"");
    for (std::size_t i : b.lines) out[i] = got[static_cast<int>(i) + 1];
    return true;
}

void OpenAiTranslator::translate_batch(const Batch& b, std::vector<std::string>& out) {
    for (int answer = 0; answer < kAnswersPerBatch; ++answer)
        if (try_batch(b, out)) return;
    if (b.lines.size() == 1) {
        ++kept_;
        out[b.lines.front()] = (*b.texts)[b.lines.front()];  // QC flags it as untranslated
        return;
    }
    ++splits_;
    Batch half = b;
    const std::size_t middle = b.lines.size() / 2;
    half.lines.assign(b.lines.begin(), b.lines.begin() + static_cast<std::ptrdiff_t>(middle));
    translate_batch(half, out);
    half.lines.assign(b.lines.begin() + static_cast<std::ptrdiff_t>(middle), b.lines.end());
    translate_batch(half, out);
}

std::optional<std::string> OpenAiTranslator::shorten(std::string_view text, std::string_view language, int max_chars) {
    const std::string system =
        "You shorten a line of dubbed dialogue in " + language_name(language) +
        " so it can be spoken in its time slot. Keep its meaning, its names and its tone; drop what is least needed. "
        "The new line must have at most " + std::to_string(max_chars) +
        " characters. Answer with JSON only: {\"text\": \"<the shorter line>\"}.";
    const json user = {{"text", std::string(text)}, {"max_chars", max_chars}};
    for (int attempt = 0; attempt < kAnswersPerBatch; ++attempt) {
        const ChatReply response = ask_chat(client_, settings_.model, system, user);
        if (!response.ok()) return std::nullopt;
        ++requests_;
        const auto answer = response.content ? parse_model_json(*response.content, [](const json& v) {
            return v.is_object() && v.contains("text") && v["text"].is_string();
        })
                                             : std::nullopt;
        if (answer) {
            const std::string shorter = (*answer)["text"].get<std::string>();
            const auto length = static_cast<int>(subtitles::grapheme_count(shorter));  // characters as a reader counts them
            if (!shorter.empty() && length <= max_chars + max_chars / 10) return shorter;
        }
        ++rejected_;
    }
    return std::nullopt;
}

std::vector<std::string> OpenAiTranslator::translate(const std::vector<std::string>& texts, std::string_view from,
                                                     std::string_view to, const TranslationContext& context) {
    std::vector<std::string> out(texts.size());
    std::vector<std::pair<std::string, std::string>> glossary;
    if (context.series)
        for (const auto& entry : context.series->glossary)
            if (const auto it = entry.rendering.find(std::string(to)); it != entry.rendering.end())
                glossary.emplace_back(entry.source, it->second);
    std::vector<Batch> batches;
    const auto per = static_cast<std::size_t>(settings_.batch_lines);
    for (std::size_t first = 0; first < texts.size(); first += per) {
        Batch b{{}, &texts, &context, std::string(from), std::string(to), glossary};
        for (std::size_t i = first; i < std::min(texts.size(), first + per); ++i) b.lines.push_back(i);
        batches.push_back(std::move(b));
    }
    parallel_for(batches.size(), settings_.max_concurrency, [&](std::size_t, std::size_t i) { translate_batch(batches[i], out); });
    return out;
}

}  // namespace dramaloc::engines
