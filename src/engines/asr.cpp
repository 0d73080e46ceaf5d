#include "engines/asr.hpp"

#include "engines/backend_registry.hpp"

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
    return create_backend("speech recognizer", name, recognizer_backends(), kKnownBackends);
}

}  // namespace dramaloc::engines
