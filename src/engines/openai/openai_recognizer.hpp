#pragma once
// Speech recognition by a Whisper-class model behind an OpenAI-compatible
// /v1/audio/transcriptions endpoint (whisper.cpp's server, faster-whisper servers, vLLM,
// hosted APIs). Each chunk (a group of speech regions, at most 20 s: well under every
// server's upload limit) goes as a 16-bit WAV with response_format=verbose_json,
// timestamp_granularities[]=word and the language hint; word times come back relative to
// the chunk and are moved to episode time. A server that gives segments but no words has
// each segment's words spread over the segment.
#include <string>
#include <vector>

#include "engines/asr.hpp"
#include "engines/engine_settings.hpp"
#include "engines/openai/chat.hpp"

namespace dramaloc::engines {

class OpenAiRecognizer : public SpeechRecognizer {
public:
    explicit OpenAiRecognizer(EngineSettings settings);
    std::string name() const override { return "openai"; }
    std::string version() const override;
    std::vector<std::string> languages() const override { return {"*"}; }  // whatever the model knows
    std::vector<Word> recognize(const media::AudioBuffer& mono_16k, TimeMs offset, std::string_view language) override;

private:
    EngineSettings settings_;
    net::HttpClient client_;
};

// The words of a verbose_json transcription, moved by `offset` ms. Exposed for tests.
std::vector<Word> words_from_transcription(const nlohmann::json& answer, TimeMs offset);

}  // namespace dramaloc::engines
