#pragma once
// Pitch-preserving time stretching with Rubber Band R3 (the "finer" engine) in offline
// mode: the whole clip is studied first, then processed, and the result is trimmed or
// padded to the exact number of frames asked for. Single-threaded, so the same input gives
// the same samples every time.
#include "media/audio.hpp"

namespace dramaloc::dub {

// `audio` stretched (or compressed) to exactly `frames` sample frames, pitch unchanged.
// Throws InputError for frames < 0; returns silence for empty input.
media::AudioBuffer stretch_to_frames(const media::AudioBuffer& audio, SampleCount frames);

}  // namespace dramaloc::dub
