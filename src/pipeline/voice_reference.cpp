#include "pipeline/voice_reference.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <span>

#include "core/language.hpp"
#include "engines/pitch_speakers/pitch_speakers.hpp"
#include "engines/pitch_speakers/voice_profile.hpp"
#include "media/wav.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr TimeMs kFrameMs = 20;
constexpr TimeMs kNeighbourhoodMs = 3000;

double mean_confidence(const Line& line) {
    if (line.words.empty()) return 1.0;  // read off the picture or imported: as sure as it gets
    double sum = 0;
    for (const auto& w : line.words) sum += w.confidence;
    return sum / static_cast<double>(line.words.size());
}

double power_db(double power) { return 10.0 * std::log10(std::max(power, 1e-12)); }

}  // namespace

std::vector<LineMeasure> measure_lines(const media::AudioBuffer& mono, const std::vector<Line>& lines) {
    // Mean power of each 20 ms frame, and whether any line covers it.
    const SampleCount frame = std::max<SampleCount>(1, static_cast<SampleCount>(mono.sample_rate) * kFrameMs / 1000);
    const auto frames = static_cast<std::size_t>(mono.frames() / frame);
    std::vector<double> power(frames, 0.0);
    for (std::size_t f = 0; f < frames; ++f) {
        double sum = 0;
        for (SampleCount i = 0; i < frame; ++i) {
            const double s = mono.samples[static_cast<std::size_t>(static_cast<SampleCount>(f) * frame + i) * static_cast<std::size_t>(mono.channels)];
            sum += s * s;
        }
        power[f] = sum / static_cast<double>(frame);
    }
    std::vector<bool> covered(frames, false);
    const auto frame_of = [&](TimeMs t) { return static_cast<std::size_t>(std::clamp<TimeMs>(t / kFrameMs, 0, static_cast<TimeMs>(frames))); };
    for (const auto& l : lines)
        for (std::size_t f = frame_of(l.start - 60); f < frame_of(l.end + 60); ++f) covered[f] = true;

    std::vector<LineMeasure> out;
    for (const auto& l : lines) {
        const std::size_t a = frame_of(l.start), b = std::max(a, frame_of(l.end));
        std::vector<double> inside(power.begin() + static_cast<std::ptrdiff_t>(a), power.begin() + static_cast<std::ptrdiff_t>(b));
        LineMeasure m;
        if (inside.empty()) {
            out.push_back(m);
            continue;
        }
        if (mono.sample_rate == 16000 && mono.channels == 1) {
            const auto voice = engines::measure_voice(std::span<const float>(mono.samples).subspan(
                static_cast<std::size_t>(a * static_cast<std::size_t>(frame)), static_cast<std::size_t>((b - a) * static_cast<std::size_t>(frame))));
            if (voice.usable()) m.pitch_hz = voice.median_f0_hz;
        }
        const double signal = std::accumulate(inside.begin(), inside.end(), 0.0) / static_cast<double>(inside.size());
        std::vector<double> background;
        for (std::size_t f = frame_of(l.start - kNeighbourhoodMs); f < frame_of(l.end + kNeighbourhoodMs); ++f)
            if (!covered[f]) background.push_back(power[f]);
        // The median of the pauses nearby, or with none, the quietest tenth of the line itself.
        const bool pauses = background.size() >= 5;
        if (!pauses) background = inside;
        const auto q = background.begin() + static_cast<std::ptrdiff_t>(background.size() / (pauses ? 2 : 10));
        std::nth_element(background.begin(), q, background.end());
        m.clarity_db = std::clamp(power_db(signal) - power_db(*q), -20.0, 80.0);
        out.push_back(m);
    }
    return out;
}

ReferenceChoice choose_reference(const std::vector<Line>& lines, const std::vector<LineMeasure>& measures, const std::string& speaker,
                                 double speaker_pitch_hz, const std::string& language, const ReferenceOptions& options) {
    ReferenceChoice choice;
    struct Candidate {
        std::size_t index;
        double score;
    };
    std::vector<Candidate> candidates;
    double speech_s = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (l.speaker != speaker || l.text.empty()) continue;
        speech_s += static_cast<double>(l.duration()) / 1000.0;
        if (l.duration() < options.min_line_ms || static_cast<double>(l.duration()) > options.max_s * 1000.0) continue;
        const bool alone = std::none_of(lines.begin(), lines.end(), [&](const Line& o) {
            return o.speaker != speaker && o.start < l.end + options.solo_margin_ms && l.start < o.end + options.solo_margin_ms;
        });
        if (!alone) continue;
        const LineMeasure m = i < measures.size() ? measures[i] : LineMeasure{};
        if (speaker_pitch_hz > 0 && m.pitch_hz > 0 &&
            engines::semitones_between(m.pitch_hz, speaker_pitch_hz) > engines::PitchSpeakerSettings{}.known_match_semitones)
            continue;
        candidates.push_back({i, m.clarity_db + 10.0 * mean_confidence(l) - (m.pitch_hz > 0 ? 0.0 : 10.0)});
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });

    std::vector<std::size_t> chosen;
    double seconds = 0;
    for (const auto& c : candidates) {
        if (seconds >= options.target_s) break;
        const double add = static_cast<double>(lines[c.index].duration()) / 1000.0 + (chosen.empty() ? 0.0 : options.gap_ms / 1000.0);
        if (seconds + add > options.max_s) continue;
        chosen.push_back(c.index);
        seconds += add;
    }
    if (seconds < options.min_s) {
        char buffer[160];
        std::snprintf(buffer, sizeof buffer, "%.1f s of clear speech alone (%.1f s in all); a reference needs %.1f s", seconds,
                      speech_s, options.min_s);
        choice.reason = buffer;
        return choice;
    }
    std::sort(chosen.begin(), chosen.end());
    const ScriptClass script = script_class(language);
    // Chinese, Japanese and Thai join without spaces; Korean writes them.
    const bool spaced = (script != ScriptClass::Cjk && script != ScriptClass::Thai) || find_language(language)->bcp47 == "ko";
    for (std::size_t i : chosen) {
        if (!choice.text.empty() && spaced) choice.text += ' ';
        choice.text += lines[i].text;
        choice.lines.push_back(lines[i]);
    }
    choice.seconds = seconds;
    return choice;
}

media::AudioBuffer cut_reference(const fs::path& original_wav, const std::vector<Line>& chosen, TimeMs gap_ms) {
    media::WavReader reader(original_wav);
    const int rate = reader.sample_rate(), channels = reader.channels();
    media::AudioBuffer out;
    out.sample_rate = rate;
    out.channels = 1;
    std::vector<float> block;
    const auto at = [&](TimeMs t) { return static_cast<SampleCount>(t) * rate / 1000; };
    const SampleCount fade = at(10);
    for (const Line& line : chosen) {
        const SampleCount start = std::max(at(line.start), reader.position()), end = std::min(at(line.end), reader.frames());
        if (end <= start) continue;
        // Skip to the line, then read it.
        for (SampleCount skip = start - reader.position(); skip > 0;) {
            block.resize(static_cast<std::size_t>(std::min<SampleCount>(skip, 48000) * channels));
            const SampleCount got = reader.read(block);
            if (got == 0) break;
            skip -= got;
        }
        block.resize(static_cast<std::size_t>((end - start) * channels));
        const SampleCount got = reader.read(block);
        if (!out.samples.empty()) media::append_silence(out, gap_ms);
        const std::size_t first = out.samples.size();
        for (SampleCount i = 0; i < got; ++i) {
            float sum = 0;
            for (int c = 0; c < channels; ++c) sum += block[static_cast<std::size_t>(i * channels + c)];
            out.samples.push_back(sum / static_cast<float>(channels));
        }
        for (SampleCount i = 0; i < std::min(fade, got); ++i) {
            const float g = static_cast<float>(i) / static_cast<float>(fade);
            out.samples[first + static_cast<std::size_t>(i)] *= g;
            out.samples[first + static_cast<std::size_t>(got - 1 - i)] *= g;
        }
    }
    return out;
}

}  // namespace dramaloc::pipeline
