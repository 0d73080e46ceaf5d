#pragma once
// Generated episodes for the recognition tests: espeak-ng lines in two voices, placed on a
// 16 kHz timeline with pauses and quiet synthetic music underneath, plus where each line
// really is (its audible extent, not espeak's padding).
#include <string>
#include <vector>

#include "core/time.hpp"
#include "engines/tts.hpp"
#include "media/audio.hpp"

namespace dramaloc::test {

inline const engines::VoiceSpec kMaleVoice{"en", "en+m3", 0, 25, {}, {}};
inline const engines::VoiceSpec kFemaleVoice{"en", "en+f2", 0, 70, {}, {}};

// `text` spoken by espeak-ng in `voice`, mono 16 kHz, silence trimmed, scaled to
// `rms_dbfs` over its audible part. Cached per (text, voice).
media::AudioBuffer speak_16k(const std::string& text, const engines::VoiceSpec& voice, double rms_dbfs = -20.0);

// A slow chord pad (sustained sines with soft attacks, chords changing every 2 s) with a
// plucked melody on top (a note every 400 ms), at `rms_dbfs`, mono 16 kHz. Deterministic.
media::AudioBuffer make_music_16k(TimeMs ms, double rms_dbfs);

struct SpokenLine {
    std::string text;
    engines::VoiceSpec voice;
    TimeMs pause_before_ms = 1000;
};

struct TruthLine {
    TimeMs start = 0;
    TimeMs end = 0;
    std::string text;
    bool male = false;
};

struct GeneratedEpisode {
    media::AudioBuffer audio;  // mono 16 kHz
    std::vector<TruthLine> lines;
};

// Lines one after another (each after its pause), `tail_ms` of silence at the end, and
// music at `music_dbfs` under everything (no music when music_dbfs <= -120).
GeneratedEpisode make_episode(const std::vector<SpokenLine>& spoken, double music_dbfs, TimeMs tail_ms = 1000);

}  // namespace dramaloc::test
