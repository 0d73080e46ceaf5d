#include "engines/vad.hpp"

#include <functional>

#include "core/error.hpp"
#include "engines/spectral_vad/spectral_vad.hpp"

namespace dramaloc::engines {
namespace {

struct VadBackend {
    std::string_view name;
    std::function<std::unique_ptr<VoiceActivityDetector>()> create;
};

// Preferred first. The spectral detector is plain C++ and always built.
const std::vector<VadBackend>& vad_backends() {
    static const std::vector<VadBackend> backends = {
        {"spectral", [] { return std::unique_ptr<VoiceActivityDetector>(new SpectralVoiceActivityDetector()); }},
    };
    return backends;
}

}  // namespace

std::vector<std::string> voice_activity_backends() {
    std::vector<std::string> names;
    for (const VadBackend& backend : vad_backends()) names.emplace_back(backend.name);
    return names;
}

std::unique_ptr<VoiceActivityDetector> make_voice_activity_detector(std::string_view name) {
    for (const VadBackend& backend : vad_backends()) {
        if (backend.name == name) return backend.create();
    }
    std::string available;
    for (const VadBackend& backend : vad_backends()) {
        available += (available.empty() ? "" : ", ") + std::string(backend.name);
    }
    throw EngineError("unknown voice activity detector \"" + std::string(name) + "\"; available: " + available);
}

}  // namespace dramaloc::engines
