#include "engines/speakers.hpp"

#include "engines/backend_registry.hpp"
#include "engines/pitch_speakers/pitch_speakers.hpp"

namespace dramaloc::engines {
namespace {

// Preferred first. The pitch identifier is plain C++ and always built.
const std::vector<Backend<SpeakerIdentifier>>& speaker_backends() {
    static const std::vector<Backend<SpeakerIdentifier>> backends = {
        {"pitch", [] { return std::unique_ptr<SpeakerIdentifier>(new PitchSpeakerIdentifier()); }},
    };
    return backends;
}

}  // namespace

std::unique_ptr<SpeakerIdentifier> make_speaker_identifier(std::string_view name) {
    return create_backend("speaker identifier", name, speaker_backends());
}

}  // namespace dramaloc::engines
