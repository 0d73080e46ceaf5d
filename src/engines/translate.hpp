#pragma once
// Machine translation of script lines.
//
// Contract
//  - translate() returns exactly one output per input text, in order (line N translates
//    line N); an engine that cannot keep alignment must fail, never shift lines.
//  - Output is clean display text: no engine markup (apertium's * # @ marks removed).
//  - supports()/pairs() answer without doing work, so an unsupported pair fails before
//    anything else runs, with the list of pairs that exist.
//  - Threading: translate() may be called from several threads on one object.
//  - Errors: EngineError when the engine or a language pair is missing, naming the
//    Debian package to install (e.g. apertium-en-es).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "engines/engine_settings.hpp"

namespace dramaloc::engines {

struct LanguagePair {
    std::string from;  // BCP-47 primary subtag
    std::string to;
    bool operator==(const LanguagePair&) const = default;
};

struct TranslationContext {
    const Series* series = nullptr;   // glossary, synopsis, cast (may be null)
    std::vector<std::string> speakers; // speaker id per text, parallel to the texts (may be empty)
    std::vector<TimeMs> durations;     // each text's slot, for length budgets (may be empty)
};

class Translator {
public:
    virtual ~Translator() = default;
    virtual std::string name() const = 0;
    virtual std::string version() const = 0;  // identity for artifact keys
    // Pairs this engine can do, including pivots it performs itself; {"*", "*"}: any pair.
    virtual std::vector<LanguagePair> pairs() const = 0;
    bool supports(std::string_view from, std::string_view to) const;
    virtual std::vector<std::string> translate(const std::vector<std::string>& texts, std::string_view from,
                                               std::string_view to, const TranslationContext& context = {}) = 0;
    // A shorter wording of `text` (already in `language`) of at most `max_chars` characters,
    // for a dub that does not fit its slot; nullopt when the engine cannot shorten (the
    // embedded ones) or gave no usable answer.
    virtual std::optional<std::string> shorten(std::string_view /*text*/, std::string_view /*language*/, int /*max_chars*/) {
        return std::nullopt;
    }
    virtual bool can_shorten() const { return false; }
    // Why the engine's last answer could not be used ("the model at URL (MODEL) answered
    // without the translations as JSON: \"I'm sorry...\""), for the one line that says why a
    // language came out untranslated; empty when nothing was refused.
    virtual std::string last_problem() const { return {}; }
};

// Backends by name ("apertium", …); throws EngineError listing the ones that exist.
std::unique_ptr<Translator> make_translator(std::string_view name);
// The backend [engines.translate] describes: "openai" (network) or an embedded one by name.
std::unique_ptr<Translator> make_translator(const EngineSettings& settings);

}  // namespace dramaloc::engines
