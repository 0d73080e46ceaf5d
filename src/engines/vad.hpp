#pragma once
// Voice activity: where in an episode someone is speaking.
//
// Contract
//  - Input: mono audio at 16 kHz (media::decode_audio(path, 16000, 1)).
//  - Output: sorted, non-overlapping regions in ms; short gaps inside speech are bridged
//    (a region is a stretch of speech, not a syllable).
//  - Threading: a detector object is used by one thread at a time; create one per worker.
//  - Errors: InputError for audio in the wrong format; never throws for silence (it
//    returns no regions).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "media/audio.hpp"

namespace dramaloc::engines {

struct SpeechRegion {
    TimeMs start = 0;
    TimeMs end = 0;
    bool operator==(const SpeechRegion&) const = default;
};

class VoiceActivityDetector {
public:
    virtual ~VoiceActivityDetector() = default;
    virtual std::string name() const = 0;
    virtual std::string version() const = 0;  // identity for artifact keys (name, version, settings)
    virtual std::vector<SpeechRegion> detect(const media::AudioBuffer& mono_16k) = 0;
};

// Backends by name ("spectral", …); throws EngineError listing the ones that exist.
std::unique_ptr<VoiceActivityDetector> make_voice_activity_detector(std::string_view name);
std::vector<std::string> voice_activity_backends();

}  // namespace dramaloc::engines
