#pragma once
// Fitting a synthesized line into the time its source line had (docs/design.md §1):
// trim the clip's silent ends, then keep it, or time-compress it (pitch preserved, Rubber
// Band R3) up to max_speed, then borrow silence after the slot, and when even that is not
// enough report the overflow. Not fitting is a result (fits=false), never an exception:
// the caller decides to shorten the text and synthesize again, or to flag the line.
#include "core/time.hpp"
#include "media/audio.hpp"

namespace dramaloc::dub {

struct FitBounds {
    double min_speed = 0.85;  // slowest allowed playback (only used with fill_slot)
    double max_speed = 1.30;  // fastest allowed playback
    // Slow a short clip down (not below min_speed) so it ends with its slot, for lines
    // whose timing must match the picture. Off: a short clip keeps its natural pace.
    bool fill_slot = false;
    // Rounds of "shorten this line" asked of the translator for a dub that still does not fit
    // (engines that cannot shorten skip them).
    int shorten_rounds = 2;
};

struct FitResult {
    media::AudioBuffer audio;  // same rate/channels as the clip; length is exact (see below)
    double speed = 1.0;        // trimmed clip length / output length (> 1: faster)
    TimeMs overflow_ms = 0;    // how far the output runs past slot + available_after (fits=false)
    TimeMs borrowed_ms = 0;    // silence used after the slot
    bool fits = true;
};

// The clip's speech without its silent ends, as [first, last) frame indices: frames whose
// peak is below `threshold` (linear, default -50 dBFS) are silence; a few ms of margin are kept
// so onsets and decays are not cut.
struct FrameSpan {
    SampleCount first = 0;
    SampleCount last = 0;
};
FrameSpan speech_span(const media::AudioBuffer& clip, float threshold = 0.00316f);

// Output length in frames: the trimmed clip when it fits as is; exactly the slot when it
// had to be compressed into it (or filled, with fill_slot); slot + borrowed when silence
// after the slot was used; otherwise the clip at max_speed (overflow reported).
// Deterministic. Throws InputError for a negative slot or bounds that make no sense.
FitResult fit_clip_to_slot(const media::AudioBuffer& clip, TimeMs slot_ms, TimeMs available_after_ms,
                           const FitBounds& bounds = {});

}  // namespace dramaloc::dub
