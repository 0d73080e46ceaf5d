#include "engines/vad.hpp"

#include "engines/backend_registry.hpp"
#include "engines/spectral_vad/spectral_vad.hpp"

namespace dramaloc::engines {
namespace {

// Preferred first. The spectral detector is plain C++ and always built.
const std::vector<Backend<VoiceActivityDetector>>& vad_backends() {
    static const std::vector<Backend<VoiceActivityDetector>> backends = {
        {"spectral", [] { return std::unique_ptr<VoiceActivityDetector>(new SpectralVoiceActivityDetector()); }},
    };
    return backends;
}

}  // namespace

std::vector<std::string> voice_activity_backends() { return backend_names(vad_backends()); }

std::unique_ptr<VoiceActivityDetector> make_voice_activity_detector(std::string_view name) {
    return create_backend("voice activity detector", name, vad_backends());
}

}  // namespace dramaloc::engines
