#pragma once
// The sample's soundtrack: dialogue placed on a 48 kHz stereo timeline over quiet,
// self-synthesised background music. Everything is a pure function of its inputs
// and the seed, so the same options give the same samples.
#include <cstdint>
#include <functional>
#include <vector>

#include "core/script.hpp"
#include "engines/tts.hpp"
#include "media/audio.hpp"
#include "sample/dialogue.hpp"

namespace dramaloc::sample {

constexpr int kTimelineRate = 48000;
constexpr int kTimelineChannels = 2;
constexpr double kVoiceRmsDbfs = -15.0;  // measured over the sounding part of each line
constexpr double kDefaultMusicDb = -15.0;  // music level relative to the voices (-30 dBFS)

// A small deterministic generator (SplitMix64): the standard distributions are not
// specified bit-for-bit across library versions, and samples must be reproducible.
class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    double uniform();                                // [0, 1)
    std::int64_t between(std::int64_t lo, std::int64_t hi);  // [lo, hi]

private:
    std::uint64_t state_;
};

// `frames` frames of stereo background music at kTimelineRate, `rms_dbfs` RMS: soft chord
// pads and a plucked arpeggio, panned wide, looping seamlessly.
media::AudioBuffer make_background_music(SampleCount frames, std::uint64_t seed, double rms_dbfs);

struct PlacedDialogue {
    Script script;            // English, line ids from 1, times in ms on the timeline
    media::AudioBuffer voice;  // stereo, kTimelineRate, the same length as the timeline
};

// Cycles through the scene's dialogue (dialogue.hpp) from the start, each line in its character's
// voice, separated by seeded pauses of 300-900 ms, until the next line would not end
// at least 300 ms before `total_ms`. `progress` gets 0..1.
PlacedDialogue place_dialogue(engines::SpeechSynthesizer& tts, TimeMs total_ms, std::uint64_t seed, Scene scene,
                              const std::function<void(double)>& progress);

// Adds `b` (same format and length or shorter) into `a`, then keeps every sample in [-1, 1].
void mix_into(media::AudioBuffer& a, const media::AudioBuffer& b);

}  // namespace dramaloc::sample
