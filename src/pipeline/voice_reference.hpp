#pragma once
// Voice-cloning references: for each character, 3-10 s of its cleanest speech cut from the
// episode's original soundtrack, with what is said in it. A cloning synthesizer gets this
// clip and transcript with every line of the character, so the dub keeps the actor's voice.
//
// "Cleanest": lines where the character speaks alone (no other speaker's line within
// `solo_margin_ms`), in the character's own pitch, long enough to carry a voice, louder over
// the background near them, and recognised with high confidence. The best lines are joined in time order with a short
// silence between them.
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "media/audio.hpp"

namespace dramaloc::pipeline {

struct ReferenceOptions {
    double min_s = 3.0;     // less clear speech than this: no reference (the preset voice is used)
    double max_s = 10.0;    // the clip never runs longer
    double target_s = 8.0;  // lines are added, best first, until the clip is this long
    TimeMs gap_ms = 250;    // silence between joined lines
    TimeMs solo_margin_ms = 150;
    TimeMs min_line_ms = 700;
};

struct ReferenceChoice {
    std::vector<Line> lines;  // chosen, in time order; empty when there is no reference
    std::string text;         // their text, joined as the language writes it
    double seconds = 0;       // of the clip, gaps included
    std::string reason;       // why there is none, when `lines` is empty
};

struct LineMeasure {
    double clarity_db = 0;  // how far the line's speech stands above the background near it
    double pitch_hz = 0;    // the line's median pitch; 0 when it has too little voice to tell
};

// Parallel to `lines`; `mono_16k` is the episode's soundtrack, mono at 16 kHz.
std::vector<LineMeasure> measure_lines(const media::AudioBuffer& mono_16k, const std::vector<Line>& lines);

// The lines of `speaker` that make its reference. `measures` is parallel to `lines`;
// `speaker_pitch_hz` is the character's median pitch (0 when unknown): a line whose own pitch
// is more than 3 semitones off is taken for someone else's, given to this character by mistake.
ReferenceChoice choose_reference(const std::vector<Line>& lines, const std::vector<LineMeasure>& measures,
                                 const std::string& speaker, double speaker_pitch_hz, const std::string& language,
                                 const ReferenceOptions& options = {});

// The clip: the chosen lines cut from `original_wav` (mixed to mono, its own rate), 10 ms
// fades at each cut, `gap_ms` of silence between lines.
media::AudioBuffer cut_reference(const std::filesystem::path& original_wav, const std::vector<Line>& chosen, TimeMs gap_ms);

}  // namespace dramaloc::pipeline
