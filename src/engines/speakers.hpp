#pragma once
// Speaker identity: which character speaks each line.
//
// Contract
//  - Input: the episode's mono 16 kHz audio and its lines (times in ms); `known` holds
//    the series' characters with their voice profiles, so the same voice maps to the
//    same character id in every episode. New voices get new ids ("C1", "C2", …).
//  - Output: one character id per line (parallel to the lines) and the characters seen,
//    each with its voice register and median pitch (used to choose a synthetic voice).
//  - Threading: one object per thread.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "media/audio.hpp"

namespace dramaloc::engines {

struct SpeakerAssignment {
    std::vector<std::string> line_speakers;  // parallel to the input lines
    std::vector<Character> characters;       // known ones that appeared, then new ones
};

class SpeakerIdentifier {
public:
    virtual ~SpeakerIdentifier() = default;
    virtual std::string name() const = 0;
    virtual std::string version() const = 0;
    virtual SpeakerAssignment identify(const media::AudioBuffer& mono_16k, const std::vector<Line>& lines,
                                       const std::vector<Character>& known) = 0;
};

// Backends by name ("pitch", …); throws EngineError listing the ones that exist.
std::unique_ptr<SpeakerIdentifier> make_speaker_identifier(std::string_view name);

}  // namespace dramaloc::engines
