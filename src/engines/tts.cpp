#include "engines/tts.hpp"

#include "core/error.hpp"

#ifdef DRAMALOC_WITH_ESPEAK
#include "engines/espeak/espeak_synthesizer.hpp"
#endif

namespace dramaloc::engines {
namespace {

// Backends this project knows, whether or not this build has them, with the CMake
// option that turns each on: lets make_synthesizer() say what to do.
struct KnownBackend {
    std::string_view name;
    std::string_view build_option;
};
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
    for (const SynthesizerBackend& backend : synthesizer_backends()) {
        if (backend.name == name) return backend.create();
    }
    for (const KnownBackend& known : kKnownBackends) {
        if (known.name == name) {
            throw EngineError("speech synthesizer \"" + std::string(name) +
                              "\" is not built into this dramaloc; rebuild with -D" +
                              std::string(known.build_option));
        }
    }
    std::string available;
    for (const SynthesizerBackend& backend : synthesizer_backends()) {
        available += (available.empty() ? "" : ", ") + std::string(backend.name);
    }
    throw EngineError("unknown speech synthesizer \"" + std::string(name) + "\"; available: " +
                      (available.empty() ? std::string("none in this build") : available));
}

}  // namespace dramaloc::engines
