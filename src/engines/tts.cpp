#include "engines/tts.hpp"

#include <iterator>

#include "core/error.hpp"
#include "engines/openai/openai_synthesizer.hpp"

#ifdef DRAMALOC_WITH_ESPEAK
#include "engines/espeak/espeak_synthesizer.hpp"
#endif

namespace dramaloc::engines {
namespace {

constexpr KnownBackend kKnownBackends[] = {
    {"espeak", "DRAMALOC_WITH_ESPEAK=ON (needs libespeak-ng-dev)"},
};

}  // namespace

const std::vector<SynthesizerBackend>& synthesizer_backends() {
    static const std::vector<SynthesizerBackend> backends = {
#ifdef DRAMALOC_WITH_ESPEAK
        {"espeak", [] { return std::unique_ptr<SpeechSynthesizer>(new EspeakSynthesizer()); }},
#endif
    };
    return backends;
}

std::unique_ptr<SpeechSynthesizer> make_synthesizer(std::string_view name) {
    if (name == "openai") throw ConfigError("the openai synthesizer needs its endpoint: set url (and model) in [engines.tts]");
    return create_backend("speech synthesizer", name, synthesizer_backends(), kKnownBackends);
}

std::unique_ptr<SpeechSynthesizer> make_synthesizer(const EngineSettings& settings) {
    if (settings.backend == "openai") return std::make_unique<OpenAiSynthesizer>(settings);
    return make_synthesizer(settings.backend);
}

}  // namespace dramaloc::engines
