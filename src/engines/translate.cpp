#include "engines/translate.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "engines/backend_registry.hpp"
#include "engines/openai/openai_translator.hpp"

#ifdef DRAMALOC_WITH_APERTIUM
#include "engines/apertium/apertium_translator.hpp"
#endif

namespace dramaloc::engines {
namespace {

constexpr KnownBackend kKnownBackends[] = {
    {"apertium", "DRAMALOC_WITH_APERTIUM=ON (needs the apertium package at run time)"},
};

// Preferred first.
const std::vector<Backend<Translator>>& translator_backends() {
    static const std::vector<Backend<Translator>> backends = {
#ifdef DRAMALOC_WITH_APERTIUM
        {"apertium", [] { return std::unique_ptr<Translator>(new ApertiumTranslator()); }},
#endif
    };
    return backends;
}

// "pt-BR" → "pt": pairs are listed by primary subtag.
std::string primary(std::string_view tag) {
    std::string out(tag.substr(0, tag.find_first_of("-_")));
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

bool Translator::supports(std::string_view from, std::string_view to) const {
    const LanguagePair wanted{primary(from), primary(to)};
    const std::vector<LanguagePair> all = pairs();
    if (std::find(all.begin(), all.end(), LanguagePair{"*", "*"}) != all.end()) return true;
    return std::find(all.begin(), all.end(), wanted) != all.end();
}

std::unique_ptr<Translator> make_translator(std::string_view name) {
    if (name == "openai")
        throw ConfigError("the openai translator needs its endpoint: set url (and model) in [engines.translate]");
    return create_backend("translator", name, translator_backends(), kKnownBackends);
}

std::unique_ptr<Translator> make_translator(const EngineSettings& settings) {
    if (settings.backend == "openai") return std::make_unique<OpenAiTranslator>(settings);
    return make_translator(settings.backend);
}

}  // namespace dramaloc::engines
