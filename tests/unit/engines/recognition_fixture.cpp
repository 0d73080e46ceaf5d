#include "recognition_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>

#include "media/resample.hpp"
#include "support/signals.hpp"

namespace dramaloc::test {
namespace {

constexpr int kRate = 16000;

double db_to_amplitude(double db) { return std::pow(10.0, db / 20.0); }

// First and one-past-last sample of the audible part (10 ms frames above −45 dBFS).
std::pair<std::size_t, std::size_t> audible_extent(const std::vector<float>& x) {
    constexpr std::size_t kFrame = 160;
    std::size_t first = x.size();
    std::size_t last = 0;
    for (std::size_t at = 0; at + kFrame <= x.size(); at += kFrame) {
        double energy = 0.0;
        for (std::size_t i = at; i < at + kFrame; ++i) energy += static_cast<double>(x[i]) * x[i];
        if (energy / kFrame > db_to_amplitude(-45.0) * db_to_amplitude(-45.0)) {
            first = std::min(first, at);
            last = at + kFrame;
        }
    }
    if (first >= last) return {0, 0};
    return {first, last};
}

}  // namespace

media::AudioBuffer speak_16k(const std::string& text, const engines::VoiceSpec& voice, double rms_dbfs) {
    static std::mutex mutex;
    static std::map<std::string, media::AudioBuffer> cache;
    const std::string key = voice.voice + "|" + std::to_string(voice.pitch) + "|" + text;
    std::lock_guard lock(mutex);
    auto found = cache.find(key);
    if (found == cache.end()) {
        const media::AudioBuffer native = engines::make_synthesizer("espeak")->synthesize(text, voice);
        media::AudioBuffer audio = media::resample(native, kRate);
        const auto [first, last] = audible_extent(audio.samples);
        audio.samples = std::vector<float>(audio.samples.begin() + static_cast<std::ptrdiff_t>(first),
                                           audio.samples.begin() + static_cast<std::ptrdiff_t>(last));
        found = cache.emplace(key, std::move(audio)).first;
    }
    media::AudioBuffer scaled = found->second;
    const double gain = db_to_amplitude(rms_dbfs) / std::max(1e-9, media::rms(scaled));
    for (float& s : scaled.samples) s = static_cast<float>(s * gain);
    return scaled;
}

media::AudioBuffer make_music_16k(TimeMs ms, double rms_dbfs) {
    // I–vi–IV–V in C, a bass note plus a triad an octave up.
    static const double kChords[4][4] = {{130.81, 261.63, 329.63, 392.00},
                                         {110.00, 220.00, 261.63, 329.63},
                                         {87.31, 174.61, 220.00, 261.63},
                                         {98.00, 196.00, 246.94, 293.66}};
    constexpr double kChordSeconds = 2.0;
    media::AudioBuffer music = mono_signal(ms, kRate, [&](std::size_t i) {
        const double t = static_cast<double>(i) / kRate;
        const auto chord = static_cast<std::size_t>(t / kChordSeconds) % 4;
        const double in_chord = std::fmod(t, kChordSeconds);
        const double envelope = std::min(1.0, in_chord / 0.3) * (0.8 + 0.2 * std::cos(2.0 * std::numbers::pi * 0.5 * t));
        double v = 0.0;
        for (double f : kChords[chord]) v += std::sin(2.0 * std::numbers::pi * f * t) / 4.0;
        // A plucked melody on top: notes every 400 ms, so the bed is not all steady.
        static const double kMelody[] = {523.25, 587.33, 659.25, 783.99, 880.0, 783.99, 659.25, 587.33};
        const double note_t = std::fmod(t, 0.4);
        const double f = kMelody[static_cast<std::size_t>(t / 0.4) % 8];
        const double pluck = std::min(1.0, note_t / 0.01) * std::exp(-note_t / 0.3);
        double m = 0.0;
        for (int h = 1; h <= 3; ++h) m += std::sin(2.0 * std::numbers::pi * f * h * t) / h;
        return v * envelope + 0.35 * m * pluck;
    });
    const double gain = db_to_amplitude(rms_dbfs) / std::max(1e-9, media::rms(music));
    for (float& s : music.samples) s = static_cast<float>(s * gain);
    return music;
}

GeneratedEpisode make_episode(const std::vector<SpokenLine>& spoken, double music_dbfs, TimeMs tail_ms) {
    GeneratedEpisode episode;
    episode.audio = media::make_silence(kRate, 1, 0);
    for (const SpokenLine& line : spoken) {
        media::append_silence(episode.audio, line.pause_before_ms);
        const media::AudioBuffer speech = speak_16k(line.text, line.voice);
        const TimeMs start = episode.audio.duration_ms();
        media::append(episode.audio, speech);
        episode.lines.push_back({start, episode.audio.duration_ms(), line.text, line.voice.voice == kMaleVoice.voice});
    }
    media::append_silence(episode.audio, tail_ms);
    if (music_dbfs > -120.0) {
        const media::AudioBuffer music = make_music_16k(episode.audio.duration_ms(), music_dbfs);
        const std::size_t n = std::min(music.samples.size(), episode.audio.samples.size());
        for (std::size_t i = 0; i < n; ++i) episode.audio.samples[i] += music.samples[i];
    }
    return episode;
}

}  // namespace dramaloc::test
