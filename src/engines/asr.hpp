#pragma once
// Speech recognition: audio in, words with times out.
//
// Contract
//  - Input: mono 16 kHz audio of one chunk (a speech region or a group of them, at most
//    a few tens of seconds), plus the chunk's offset in the episode; word times in the
//    result are episode times (offset added).
//  - Output: words in order, lower or mixed case as the engine gives them, without
//    punctuation guarantees (asr_lines.hpp turns words into punctuated lines).
//  - Threading: one recognizer object per thread (decoders keep state); creating one
//    loads the model, so workers keep theirs for the whole run.
//  - Errors: EngineError when the model or library is missing (naming the Debian package),
//    InputError for a language the backend does not have (listing those it has).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "engines/engine_pool.hpp"
#include "engines/engine_settings.hpp"
#include "media/audio.hpp"

namespace dramaloc::engines {

class SpeechRecognizer {
public:
    virtual ~SpeechRecognizer() = default;
    virtual std::string name() const = 0;
    virtual std::string version() const = 0;  // backend + model identity for artifact keys
    virtual std::vector<std::string> languages() const = 0;  // {"*"}: any the model knows
    virtual std::vector<Word> recognize(const media::AudioBuffer& mono_16k, TimeMs offset,
                                        std::string_view language) = 0;
};

// Backends by name ("pocketsphinx", …); throws EngineError listing the ones that exist.
std::unique_ptr<SpeechRecognizer> make_speech_recognizer(std::string_view name);
// The backend [engines.asr] describes: "openai" (network) or an embedded one by name.
std::unique_ptr<SpeechRecognizer> make_speech_recognizer(const EngineSettings& settings);

// One from the run's pool (engine_pool.hpp): made once per worker, reused by every stage
// and episode after it. The lease gives it back.
using SpeechRecognizerLease = EnginePool<SpeechRecognizer>::Lease;
SpeechRecognizerLease lease_speech_recognizer(const EngineSettings& settings);

}  // namespace dramaloc::engines
