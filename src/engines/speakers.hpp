#pragma once
// Speaker identity: which character speaks each line.
//
// Contract
//  - Input: the episode's mono 16 kHz audio and its lines (times in ms); `known` holds
//    the series' characters with their voice profiles, so the same voice maps to the
//    same character id in every episode. New voices get new ids ("C1", "C2", …).
//  - Output: one character id per line (parallel to the lines) and the characters seen,
//    each with its voice register and median pitch (used to choose a synthetic voice).
//  - voice_turns: where, inside one line, another voice takes over (two characters' lines
//    run together because no pause was heard between them, often under music), as the
//    index of the first word of each new voice; the caller splits the line there
//    (engines/asr_lines.hpp). Lines without words (read off the picture, imported) have
//    no turns: their text cannot be divided.
//  - Threading: one object per thread.
#include <map>
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

// Inside a line: line.words[word] (0 < word < words) is the first word of another voice;
// the voice before it stops at `previous_ends`, the new one starts at `starts` (the pause
// between them, as heard: recognisers place words loosely under music).
struct VoiceTurn {
    std::size_t word = 0;
    TimeMs previous_ends = 0;
    TimeMs starts = 0;
};

class SpeakerIdentifier {
public:
    virtual ~SpeakerIdentifier() = default;
    virtual std::string name() const = 0;
    virtual std::string version() const = 0;
    virtual SpeakerAssignment identify(const media::AudioBuffer& mono_16k, const std::vector<Line>& lines,
                                       const std::vector<Character>& known) = 0;
    // Where another voice takes over, in time order.
    virtual std::vector<VoiceTurn> voice_turns(const media::AudioBuffer& mono_16k, const Line& line) = 0;
    // Series-wide: which of `known` each of `heard` is (characters one episode found knowing
    // only the cast), by the rule identify() matches voices to known characters with; one
    // that matches none gets a new id after the highest known C-number, in `heard`'s order.
    // Returns heard id -> id (every heard character has an entry).
    virtual std::map<std::string, std::string> match_known(const std::vector<Character>& heard, const std::vector<Character>& known) const = 0;
};

// Backends by name ("pitch", …); throws EngineError listing the ones that exist.
std::unique_ptr<SpeakerIdentifier> make_speaker_identifier(std::string_view name);

}  // namespace dramaloc::engines
