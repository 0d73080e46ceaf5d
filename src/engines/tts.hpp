#pragma once
// Speech synthesis: text in, mono PCM out, in a named voice.
//
// Contract
//  - Threading: synthesize() may be called from several threads on one object; a backend
//    whose library has global state serialises internally (espeak-ng does) and says so.
//  - Ownership: results are plain values owned by the caller; a synthesizer owns only its
//    own backend state.
//  - Errors: EngineError when the backend is missing, misconfigured or fails, naming what
//    to install or configure (e.g. an unknown voice lists the ones that exist);
//    InputError for text the backend cannot take (e.g. not UTF-8). Never returns partial
//    audio silently.
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "engines/backend_registry.hpp"
#include "engines/engine_settings.hpp"
#include "media/audio.hpp"

namespace dramaloc::engines {

struct VoiceSpec {
    std::string language;  // BCP-47 ("en", "pt-BR"); used when `voice` is empty
    std::string voice;     // backend voice name, e.g. "en+m3" for espeak-ng; empty = language default
    int rate_wpm = 0;      // speaking rate in words per minute; 0 = backend default
    int pitch = 0;         // backend pitch setting (espeak-ng: 1..100, 50 normal); 0 = backend default
    // Voice cloning, for backends configured to clone: a WAV of the character's own speech and
    // its transcript. Empty: the named voice alone.
    std::string reference_audio;  // file path
    std::string reference_text;
};

// Audio plus where each word is in it, when the backend can tell.
struct TimedSpeech {
    media::AudioBuffer audio;
    std::vector<Word> words;  // times in ms from the start of `audio`; empty when unknown
};

class SpeechSynthesizer {
public:
    virtual ~SpeechSynthesizer() = default;

    virtual std::string name() const = 0;     // registry name, e.g. "espeak"
    virtual std::string version() const = 0;  // backend identity for artifact keys
    // Mono audio at the backend's native rate.
    virtual media::AudioBuffer synthesize(std::string_view text, const VoiceSpec& voice) = 0;
    // Same audio with word times; backends that cannot time words return none.
    virtual TimedSpeech synthesize_with_words(std::string_view text, const VoiceSpec& voice) {
        return TimedSpeech{synthesize(text, voice), {}};
    }
    // Voice names usable in VoiceSpec::voice for `language` (all voices when empty).
    virtual std::vector<std::string> voices(std::string_view language) const = 0;
    // The voice for the `index`-th character (0, 1, …) of a voice register in `language`:
    // distinct characters of one register get distinct voices while there are enough, and a
    // character gets the same voice in every language. The default: espeak-ng variants
    // ("es+m3", "es+f2", …).
    // (Inline: backends live in libraries linked after this one, and a key function here would
    // make them depend back on it.)
    virtual std::string voice_for(std::string_view language, VoiceRegister voice_register, std::size_t index) const {
        static constexpr const char* kLow[] = {"m3", "m1", "m7", "m2", "m4"};  // espeak-ng variants, most natural first
        static constexpr const char* kHigh[] = {"f2", "f1", "f3", "f4", "f5"};
        const bool high = voice_register == VoiceRegister::High;
        return std::string(language) + "+" + (high ? kHigh[index % std::size(kHigh)] : kLow[index % std::size(kLow)]);
    }
};

// The registry: backends compiled into this build, preferred first.
using SynthesizerBackend = Backend<SpeechSynthesizer>;
const std::vector<SynthesizerBackend>& synthesizer_backends();

// Creates the backend `name`; throws EngineError naming the backends that exist and,
// for known-but-not-built ones, the build option that enables them.
std::unique_ptr<SpeechSynthesizer> make_synthesizer(std::string_view name);
// The backend [engines.tts] describes: "openai" (network) or an embedded one by name.
std::unique_ptr<SpeechSynthesizer> make_synthesizer(const EngineSettings& settings);

}  // namespace dramaloc::engines
