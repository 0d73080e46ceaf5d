#include "engines/translate.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/error.hpp"

#ifdef DRAMALOC_WITH_APERTIUM
#include "engines/apertium/apertium_translator.hpp"
#endif

namespace dramaloc::engines {
namespace {

struct TranslatorBackend {
    std::string_view name;
    std::function<std::unique_ptr<Translator>()> create;
};

// Backends this project knows, whether or not this build has them, with the CMake option
// that turns each on: lets make_translator() say what to do.
struct KnownBackend {
    std::string_view name;
    std::string_view build_option;
};
constexpr KnownBackend kKnownBackends[] = {
    {"apertium", "DRAMALOC_WITH_APERTIUM=ON (needs the apertium package at run time)"},
};

const std::vector<TranslatorBackend>& translator_backends() {
    static const std::vector<TranslatorBackend> backends = {
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
    return std::find(all.begin(), all.end(), wanted) != all.end();
}

std::unique_ptr<Translator> make_translator(std::string_view name) {
    for (const TranslatorBackend& backend : translator_backends()) {
        if (backend.name == name) return backend.create();
    }
    for (const KnownBackend& known : kKnownBackends) {
        if (known.name == name) {
            throw EngineError("translator \"" + std::string(name) + "\" is not built into this dramaloc; rebuild with -D" +
                              std::string(known.build_option));
        }
    }
    std::string available;
    for (const TranslatorBackend& backend : translator_backends()) {
        available += (available.empty() ? "" : ", ") + std::string(backend.name);
    }
    throw EngineError("unknown translator \"" + std::string(name) + "\"; available: " +
                      (available.empty() ? std::string("none in this build") : available));
}

}  // namespace dramaloc::engines
