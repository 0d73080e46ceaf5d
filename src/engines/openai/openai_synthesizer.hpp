#pragma once
// Speech synthesis behind an OpenAI-compatible /v1/audio/speech endpoint (hosted APIs,
// Kokoro/Orpheus/XTTS servers that speak the same protocol). A character keeps its voice in
// every language: voices are given out from [engines.tts] low_voices / high_voices by the
// character's pitch register. The answer is asked for as WAV and decoded in memory.
// With [engines.tts] clone = true, a line of a character that has a reference clip also sends
// the clip and its transcript (base64 in the JSON body, or a multipart form; field names from
// the config) for servers that clone a voice (XTTS, F5-TTS, CosyVoice, Fish Speech servers).
#include <string>
#include <vector>

#include "engines/engine_settings.hpp"
#include "engines/openai/chat.hpp"
#include "engines/tts.hpp"

namespace dramaloc::engines {

class OpenAiSynthesizer : public SpeechSynthesizer {
public:
    explicit OpenAiSynthesizer(EngineSettings settings);
    std::string name() const override { return "openai"; }
    std::string version() const override;
    media::AudioBuffer synthesize(std::string_view text, const VoiceSpec& voice) override;
    std::vector<std::string> voices(std::string_view language) const override;
    std::string voice_for(std::string_view language, VoiceRegister voice_register, std::size_t index) const override;

private:
    EngineSettings settings_;
    net::HttpClient client_;
};

}  // namespace dramaloc::engines
