#pragma once
// Speaker identity from pitch and spectral statistics, registered as "pitch".
//
// Each line gets a voice profile (voice_profile.hpp); lines are clustered bottom-up
// (average linkage) until the closest clusters are further apart than
// `cluster_distance`, and a cluster too short to judge joins its nearest neighbour within
// twice that; each cluster maps to the known character whose median pitch is
// nearest, within `known_match_semitones`, each known character used at most once;
// the others become new characters C<n> after the highest known C-number. Lines with too
// little voiced sound, or whose "voice" is a held note or hum (no intonation, nothing
// above 1 kHz), keep an empty speaker ("unknown"). Pitch separates men from women well,
// two voices of the same register poorly. Deterministic.
//
// Turns: a line whose two parts, cut between two of its words, sound like two voices is
// two voices' lines (voice_turns), so that no line spans two speakers.
#include "engines/speakers.hpp"

namespace dramaloc::engines {

struct PitchSpeakerSettings {
    double cluster_distance = 2.0;       // voice_distance units (≈ 6 semitones of pitch alone)
    double turn_distance = 1.5;          // the two parts of a line this far apart are two voices
    long min_turn_part_ms = 500;         // each part of a split line is at least this long
    std::size_t min_cluster_voiced_frames = 30;  // smaller clusters (300 ms voiced) join a neighbour
    double known_match_semitones = 3.0;  // cluster median vs a known character's median
    double low_register_below_hz = 165.0;
};

class PitchSpeakerIdentifier final : public SpeakerIdentifier {
public:
    explicit PitchSpeakerIdentifier(PitchSpeakerSettings settings = {});

    std::string name() const override { return "pitch"; }
    std::string version() const override;
    // Throws InputError unless the audio is mono 16 kHz.
    SpeakerAssignment identify(const media::AudioBuffer& mono_16k, const std::vector<Line>& lines,
                               const std::vector<Character>& known) override;
    // The cut between two words where the voice profiles of the two parts differ most, when
    // they differ by turn_distance or more; then again in each part. The pause is the
    // quietest stretch around the cut (from the start of the word before to the end of the
    // word after).
    std::vector<VoiceTurn> voice_turns(const media::AudioBuffer& mono_16k, const Line& line) override;
    // Median pitches within known_match_semitones, closest pairs first, one to one.
    std::map<std::string, std::string> match_known(const std::vector<Character>& heard, const std::vector<Character>& known) const override;

private:
    PitchSpeakerSettings settings_;
};

}  // namespace dramaloc::engines
