#include "sample/soundtrack.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>

#include "core/cancel.hpp"
#include "media/resample.hpp"
#include "sample/dialogue.hpp"

namespace dramaloc::sample {
namespace {

constexpr TimeMs kFirstLineMs = 400;
constexpr TimeMs kMinPauseMs = 300;
constexpr TimeMs kMaxPauseMs = 900;
constexpr TimeMs kTailMs = 300;

double db_to_gain(double db) { return std::pow(10.0, db / 20.0); }

// [first, last) sample frames that carry sound: 5 ms blocks above -40 dBFS.
std::pair<SampleCount, SampleCount> sounding_span(const media::AudioBuffer& mono) {
    const SampleCount block = std::max(1, mono.sample_rate / 200);
    const SampleCount n = mono.frames();
    auto loud = [&](SampleCount start) {
        double e = 0;
        const SampleCount end = std::min(n, start + block);
        for (SampleCount i = start; i < end; ++i) e += mono.samples[i] * mono.samples[i];
        return std::sqrt(e / static_cast<double>(std::max<SampleCount>(1, end - start))) > 0.01;
    };
    SampleCount first = 0;
    while (first < n && !loud(first)) first += block;
    SampleCount last = n;
    while (last > first && !loud(std::max(first, last - block))) last -= block;
    return {std::min(first, n), std::max(std::min(last, n), std::min(first, n))};
}

// One line, ready to place: trimmed to its sound, at the timeline rate, at voice level.
struct PreparedLine {
    std::vector<float> mono;  // kTimelineRate
    std::vector<Word> words;  // relative to the trimmed start
    TimeMs duration_ms = 0;
};

PreparedLine prepare_line(engines::SpeechSynthesizer& tts, const DialogueLine& line) {
    const SampleCharacter& who = sample_character(line.speaker);
    engines::VoiceSpec voice;
    voice.language = "en";
    voice.voice = std::string(who.voice);
    voice.rate_wpm = who.rate_wpm;
    voice.pitch = who.pitch;
    engines::TimedSpeech speech = tts.synthesize_with_words(line.english, voice);
    const auto [first, last] = sounding_span(speech.audio);
    media::AudioBuffer trimmed;
    trimmed.sample_rate = speech.audio.sample_rate;
    trimmed.channels = 1;
    trimmed.samples.assign(speech.audio.samples.begin() + first, speech.audio.samples.begin() + last);
    media::AudioBuffer at_rate = media::resample(trimmed, kTimelineRate);
    // Level every line to the same loudness, but never let a peak reach -1 dBFS.
    float peak = 1e-6f;
    for (const float v : at_rate.samples) peak = std::max(peak, std::abs(v));
    const double gain = std::min(db_to_gain(kVoiceRmsDbfs) / std::max(1e-6, media::rms(at_rate)),
                                 db_to_gain(-1.0) / peak);
    for (float& s : at_rate.samples) s = static_cast<float>(s * gain);

    PreparedLine out;
    out.duration_ms = samples_to_ms(at_rate.frames(), kTimelineRate);
    out.mono = std::move(at_rate.samples);
    const TimeMs offset = samples_to_ms(first, speech.audio.sample_rate);
    for (Word w : speech.words) {
        w.start = std::clamp<TimeMs>(w.start - offset, 0, out.duration_ms);
        w.end = std::clamp<TimeMs>(w.end - offset, w.start, out.duration_ms);
        if (w.end > w.start) out.words.push_back(std::move(w));
    }
    return out;
}

}  // namespace

std::uint64_t SeededRandom::next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
double SeededRandom::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
std::int64_t SeededRandom::between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
}

PlacedDialogue place_dialogue(engines::SpeechSynthesizer& tts, TimeMs total_ms, std::uint64_t seed, Scene scene,
                              const std::function<void(double)>& progress) {
    const std::span<const DialogueLine> lines = sample_dialogue(scene);
    std::vector<std::optional<PreparedLine>> prepared(lines.size());  // each distinct line is spoken once
    SeededRandom random(seed ^ 0xD1A106ull);

    PlacedDialogue out;
    out.script.language = "en";
    out.voice.sample_rate = kTimelineRate;
    out.voice.channels = kTimelineChannels;
    out.voice.samples.assign(static_cast<std::size_t>(ms_to_samples(total_ms, kTimelineRate) * kTimelineChannels), 0.0f);

    TimeMs t = kFirstLineMs;
    for (std::size_t n = 0;; ++n) {
        throw_if_cancelled();
        const DialogueLine& line = lines[n % lines.size()];
        std::optional<PreparedLine>& clip = prepared[n % lines.size()];
        if (!clip) clip = prepare_line(tts, line);
        if (t + clip->duration_ms + kTailMs > total_ms) break;

        const SampleCharacter& who = sample_character(line.speaker);
        const double angle = (who.pan + 1.0) * M_PI / 4.0;  // constant-power pan
        const float left = static_cast<float>(std::cos(angle)), right = static_cast<float>(std::sin(angle));
        const SampleCount at = ms_to_samples(t, kTimelineRate);
        for (std::size_t i = 0; i < clip->mono.size(); ++i) {
            const std::size_t j = static_cast<std::size_t>(at) + i;
            if (j * 2 + 1 >= out.voice.samples.size()) break;
            out.voice.samples[j * 2] += clip->mono[i] * left;
            out.voice.samples[j * 2 + 1] += clip->mono[i] * right;
        }
        Line placed;
        placed.id = static_cast<int>(n + 1);
        placed.start = t;
        placed.end = t + clip->duration_ms;
        placed.speaker = std::string(line.speaker);
        placed.text = std::string(line.english);
        placed.origin = LineOrigin::Manual;
        for (Word w : clip->words) {
            w.start += t;
            w.end += t;
            placed.words.push_back(std::move(w));
        }
        out.script.lines.push_back(std::move(placed));
        t += clip->duration_ms + random.between(kMinPauseMs, kMaxPauseMs);
        if (progress) progress(std::min(1.0, static_cast<double>(t) / static_cast<double>(total_ms)));
    }
    return out;
}

void mix_into(media::AudioBuffer& a, const media::AudioBuffer& b) {
    const std::size_t n = std::min(a.samples.size(), b.samples.size());
    for (std::size_t i = 0; i < n; ++i) a.samples[i] += b.samples[i];
    for (float& s : a.samples) s = std::clamp(s, -1.0f, 1.0f);
}

}  // namespace dramaloc::sample
