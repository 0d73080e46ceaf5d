#include "engines/speakers.hpp"

#include <functional>

#include "core/error.hpp"
#include "engines/pitch_speakers/pitch_speakers.hpp"

namespace dramaloc::engines {
namespace {

struct SpeakerBackend {
    std::string_view name;
    std::function<std::unique_ptr<SpeakerIdentifier>()> create;
};

// Preferred first. The pitch identifier is plain C++ and always built.
const std::vector<SpeakerBackend>& speaker_backends() {
    static const std::vector<SpeakerBackend> backends = {
        {"pitch", [] { return std::unique_ptr<SpeakerIdentifier>(new PitchSpeakerIdentifier()); }},
    };
    return backends;
}

}  // namespace

std::unique_ptr<SpeakerIdentifier> make_speaker_identifier(std::string_view name) {
    for (const SpeakerBackend& backend : speaker_backends()) {
        if (backend.name == name) return backend.create();
    }
    std::string available;
    for (const SpeakerBackend& backend : speaker_backends()) {
        available += (available.empty() ? "" : ", ") + std::string(backend.name);
    }
    throw EngineError("unknown speaker identifier \"" + std::string(name) + "\"; available: " + available);
}

}  // namespace dramaloc::engines
