#pragma once
// Translation by a large language model behind an OpenAI-compatible /v1/chat/completions
// endpoint (llama.cpp's server, vLLM, Ollama, hosted APIs).
//
// Lines go in batches of [engines.translate] batch_lines, each with the two lines before and
// after it as context, the speakers, the series synopsis and glossary, and a per-line length
// budget from the line's slot. The answer is asked for as JSON {"lines":[{"id","text"}]} (a
// JSON schema in response_format where the server takes one) and read in the shapes models
// give: inside a ``` fence, with words around it, under the request's own key "translate",
// or as a bare array; the ids must be exactly those asked for. A
// malformed or partial answer, or one that misses a glossary rendering, is asked again; then
// the batch is split in halves, down to single lines; a line that still fails keeps its
// source text (QC reports it as untranslated). The run never stops on a bad answer; it stops
// only when the endpoint cannot be reached at all (EngineError naming it).
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "engines/engine_settings.hpp"
#include "engines/openai/chat.hpp"
#include "engines/translate.hpp"

namespace dramaloc::engines {

struct TranslationStats {
    int requests = 0;        // chat completions that returned an answer (retries of the transport not counted)
    int rejected = 0;        // answers thrown away (malformed, wrong ids, glossary missed)
    int splits = 0;          // batches split in two after repeated bad answers
    int lines_kept = 0;      // lines left in the source language after every attempt
};

class OpenAiTranslator : public Translator {
public:
    explicit OpenAiTranslator(EngineSettings settings);
    std::string name() const override { return "openai"; }
    std::string version() const override;
    std::vector<LanguagePair> pairs() const override;  // any to any: {"*", "*"}
    std::vector<std::string> translate(const std::vector<std::string>& texts, std::string_view from, std::string_view to,
                                       const TranslationContext& context = {}) override;
    std::optional<std::string> shorten(std::string_view text, std::string_view language, int max_chars) override;
    bool can_shorten() const override { return true; }
    TranslationStats stats() const;
    std::string last_problem() const override;

private:
    struct Batch;
    bool try_batch(const Batch& batch, std::vector<std::string>& out);
    bool reject(std::string why);  // counts a rejected answer, remembers why; false
    void translate_batch(const Batch& batch, std::vector<std::string>& out);

    EngineSettings settings_;
    net::HttpClient client_;
    std::atomic<bool> structured_;  // cleared when the server rejects response_format
    std::atomic<int> requests_{0}, rejected_{0}, splits_{0}, kept_{0};
    mutable std::mutex problem_mutex_;
    std::string last_problem_;
};

// id -> text of a translation answer in any shape parse_model_json finds ({"lines": [...]},
// {"translate": [...]}, {"translations": [...]}, a bare array); nullopt when none, or when an
// item is not {"id": integer, "text": string} or an id comes twice. Exposed for tests.
std::optional<std::map<int, std::string>> parse_translation_answer(const std::string& content);

// The speaking-rate budget of a line: characters that fit its slot in `language`.
int length_budget(TimeMs slot_ms, std::string_view language);

}  // namespace dramaloc::engines
