#pragma once
// espeak-ng speech synthesis through its C API (libespeak-ng), registered as "espeak".
//
// Threading: espeak-ng keeps its state in globals and is not thread-safe, so every call
// into it is serialised by one process-wide mutex; objects may be shared between threads
// but syntheses never overlap.
//
// Determinism: espeak-ng also carries state from one utterance to the next (pitch
// flutter phase, glottal cycle counters, rand() for breath noise), so the same text
// would come out slightly differently depending on what was spoken before. Each
// synthesis therefore runs in a short-lived child process forked from a freshly
// initialised espeak-ng that never speaks itself: same text + voice = same samples,
// in any order, in any process.
#include <string>
#include <vector>

#include "engines/tts.hpp"

namespace dramaloc::engines {

class EspeakSynthesizer final : public SpeechSynthesizer {
public:
    // Initialises espeak-ng once per process. Throws EngineError when its data is missing.
    EspeakSynthesizer();

    std::string name() const override { return "espeak"; }
    std::string version() const override;
    // Mono at espeak-ng's native rate (22050 Hz). Throws EngineError for an unknown voice,
    // naming the package and the voices that exist.
    media::AudioBuffer synthesize(std::string_view text, const VoiceSpec& voice) override;
    TimedSpeech synthesize_with_words(std::string_view text, const VoiceSpec& voice) override;
    // "en", "en-gb", "en-us"… then "<language>+<variant>" for every voice variant
    // ("en+m3", "en+f2"…).
    std::vector<std::string> voices(std::string_view language) const override;

    // espeak-ng's output rate.
    static int native_sample_rate();
};

}  // namespace dramaloc::engines
