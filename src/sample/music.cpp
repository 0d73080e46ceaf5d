// Background music for samples: a seeded four-chord loop of soft pads with a plucked
// arpeggio on top. Rendered once as a seamless loop and tiled, so a three-minute
// sample costs no more than an eight-second one.
#include <algorithm>
#include <cmath>

#include "sample/soundtrack.hpp"

namespace dramaloc::sample {
namespace {

constexpr int kChordMs = 2000;
constexpr int kChordsPerLoop = 4;
constexpr int kArpNotesPerChord = 8;

double midi_to_hz(double note) { return 440.0 * std::pow(2.0, (note - 69.0) / 12.0); }

// Adds a note into a stereo loop buffer, wrapping past the end so the loop is seamless.
struct LoopWriter {
    std::vector<float>& loop;  // interleaved stereo
    SampleCount frames;

    void add(SampleCount at, SampleCount i, float left, float right) {
        const auto j = static_cast<std::size_t>((at + i) % frames);
        loop[j * 2] += left;
        loop[j * 2 + 1] += right;
    }
};

// A pad note: three slightly detuned sines per side, so left and right differ (width).
void add_pad_note(LoopWriter& out, SampleCount at, SampleCount length, double hz, float amp) {
    const SampleCount attack = kTimelineRate * 4 / 10;
    const SampleCount release = kTimelineRate * 6 / 10;
    const double detune[3] = {-0.004, 0.0, 0.0035};
    for (SampleCount i = 0; i < length + release; ++i) {
        double env = 1.0;
        if (i < attack) env = static_cast<double>(i) / attack;
        if (i >= length) env = 1.0 - static_cast<double>(i - length) / release;
        const double t = static_cast<double>(i) / kTimelineRate;
        double left = 0, right = 0;
        for (int k = 0; k < 3; ++k) {
            left += std::sin(2 * M_PI * hz * (1 + detune[k]) * t);
            right += std::sin(2 * M_PI * hz * (1 - detune[k]) * t + 0.7 * k);
        }
        out.add(at, i, static_cast<float>(amp * env * left / 3), static_cast<float>(amp * env * right / 3));
    }
}

// A plucked note: fundamental plus a soft octave, fast attack, exponential decay.
void add_pluck(LoopWriter& out, SampleCount at, double hz, float amp, float pan) {
    const SampleCount length = kTimelineRate * 9 / 10;
    const double angle = (pan + 1.0) * M_PI / 4.0;
    const double gl = std::cos(angle), gr = std::sin(angle);
    for (SampleCount i = 0; i < length; ++i) {
        const double t = static_cast<double>(i) / kTimelineRate;
        const double env = std::min(1.0, t / 0.005) * std::exp(-t / 0.25);
        const double v = amp * env * (std::sin(2 * M_PI * hz * t) + 0.3 * std::sin(4 * M_PI * hz * t));
        out.add(at, i, static_cast<float>(v * gl), static_cast<float>(v * gr));
    }
}

}  // namespace

media::AudioBuffer make_background_music(SampleCount frames, std::uint64_t seed, double rms_dbfs) {
    SeededRandom random(seed ^ 0x5A3D1Cull);
    // Chord roots as scale steps of a minor key (i, VI, III, VII and friends): the
    // melancholy progressions short dramas love.
    static constexpr int kProgressions[][kChordsPerLoop] = {
        {0, 8, 3, 10}, {0, 5, 8, 7}, {0, 10, 8, 7}, {8, 3, 10, 0}};
    const int key = 45 + static_cast<int>(random.between(0, 6));  // A2..D#3
    const auto& progression = kProgressions[random.between(0, 3)];
    int pattern[kArpNotesPerChord];
    for (int i = 0; i < kArpNotesPerChord; ++i) pattern[i] = static_cast<int>(random.between(0, 3));

    const SampleCount chord_frames = SampleCount{kChordMs} * kTimelineRate / 1000;
    const SampleCount loop_frames = chord_frames * kChordsPerLoop;
    std::vector<float> loop(static_cast<std::size_t>(loop_frames * 2), 0.0f);
    LoopWriter writer{loop, loop_frames};
    for (int c = 0; c < kChordsPerLoop; ++c) {
        const int root = key + progression[c];
        // Minor triad on the tonic, major elsewhere: enough harmony for a backdrop.
        const int third = progression[c] == 0 ? 3 : 4;
        const int chord[4] = {root - 12, root, root + third, root + 7};
        const SampleCount at = c * chord_frames;
        for (const int note : chord) add_pad_note(writer, at, chord_frames, midi_to_hz(note), 0.25f);
        for (int k = 0; k < kArpNotesPerChord; ++k) {
            const int note = chord[pattern[k]] + 24;
            const float pan = (k % 2 == 0) ? -0.7f : 0.7f;
            add_pluck(writer, at + k * chord_frames / kArpNotesPerChord, midi_to_hz(note), 0.12f, pan);
        }
    }

    double energy = 0;
    for (const float s : loop) energy += double(s) * s;
    const double loop_rms = std::sqrt(energy / static_cast<double>(loop.size()));
    const double gain = std::pow(10.0, rms_dbfs / 20.0) / std::max(1e-9, loop_rms);

    media::AudioBuffer music;
    music.sample_rate = kTimelineRate;
    music.channels = 2;
    music.samples.resize(static_cast<std::size_t>(frames * 2));
    for (SampleCount i = 0; i < frames; ++i) {
        const auto j = static_cast<std::size_t>(i % loop_frames);
        music.samples[static_cast<std::size_t>(i) * 2] = static_cast<float>(loop[j * 2] * gain);
        music.samples[static_cast<std::size_t>(i) * 2 + 1] = static_cast<float>(loop[j * 2 + 1] * gain);
    }
    return music;
}

}  // namespace dramaloc::sample
