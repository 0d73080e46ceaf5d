#include "engines/asr.hpp"

#include <functional>

#include "core/error.hpp"

#ifdef DRAMALOC_WITH_POCKETSPHINX
#include "engines/pocketsphinx/pocketsphinx_recognizer.hpp"
#endif

namespace dramaloc::engines {
namespace {

struct RecognizerBackend {
    std::string_view name;
    std::function<std::unique_ptr<SpeechRecognizer>()> create;
};

// Backends this project knows, whether or not this build has them, with the CMake option
// that turns each on.
struct KnownBackend {
    std::string_view name;
    std::string_view build_option;
};
constexpr KnownBackend kKnownBackends[] = {
    {"pocketsphinx", "DRAMALOC_WITH_POCKETSPHINX=ON (needs libpocketsphinx-dev libsphinxbase-dev)"},
};

const std::vector<RecognizerBackend>& recognizer_backends() {
    static const std::vector<RecognizerBackend> backends = {
#ifdef DRAMALOC_WITH_POCKETSPHINX
        {"pocketsphinx", [] { return std::unique_ptr<SpeechRecognizer>(new PocketsphinxRecognizer()); }},
#endif
    };
    return backends;
}

}  // namespace

std::unique_ptr<SpeechRecognizer> make_speech_recognizer(std::string_view name) {
    for (const RecognizerBackend& backend : recognizer_backends()) {
        if (backend.name == name) return backend.create();
    }
    for (const KnownBackend& known : kKnownBackends) {
        if (known.name == name) {
            throw EngineError("speech recognizer \"" + std::string(name) +
                              "\" is not built into this dramaloc; rebuild with -D" + std::string(known.build_option));
        }
    }
    std::string available;
    for (const RecognizerBackend& backend : recognizer_backends()) {
        available += (available.empty() ? "" : ", ") + std::string(backend.name);
    }
    throw EngineError("unknown speech recognizer \"" + std::string(name) + "\"; available: " +
                      (available.empty() ? std::string("none in this build") : available));
}

}  // namespace dramaloc::engines
