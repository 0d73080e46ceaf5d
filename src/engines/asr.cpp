#include "engines/asr.hpp"

#include "core/error.hpp"
#include "engines/backend_registry.hpp"
#include "engines/openai/openai_recognizer.hpp"

#ifdef DRAMALOC_WITH_POCKETSPHINX
#include "engines/pocketsphinx/pocketsphinx_recognizer.hpp"
#endif

namespace dramaloc::engines {
namespace {

constexpr KnownBackend kKnownBackends[] = {
    {"pocketsphinx", "DRAMALOC_WITH_POCKETSPHINX=ON (needs libpocketsphinx-dev libsphinxbase-dev)"},
};

// Preferred first.
const std::vector<Backend<SpeechRecognizer>>& recognizer_backends() {
    static const std::vector<Backend<SpeechRecognizer>> backends = {
#ifdef DRAMALOC_WITH_POCKETSPHINX
        {"pocketsphinx", [] { return std::unique_ptr<SpeechRecognizer>(new PocketsphinxRecognizer()); }},
#endif
    };
    return backends;
}

}  // namespace

std::unique_ptr<SpeechRecognizer> make_speech_recognizer(std::string_view name) {
    if (name == "openai") throw ConfigError("the openai recognizer needs its endpoint: set url (and model) in [engines.asr]");
    return create_backend("speech recognizer", name, recognizer_backends(), kKnownBackends);
}

std::unique_ptr<SpeechRecognizer> make_speech_recognizer(const EngineSettings& settings) {
    if (settings.backend == "openai") return std::make_unique<OpenAiRecognizer>(settings);
    return make_speech_recognizer(settings.backend);
}

SpeechRecognizerLease lease_speech_recognizer(const EngineSettings& settings) {
    return EnginePool<SpeechRecognizer>::lease(settings_key(settings), [&] { return make_speech_recognizer(settings); });
}

}  // namespace dramaloc::engines
