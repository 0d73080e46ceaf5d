#include "engines/openai/openai_synthesizer.hpp"

#include "core/error.hpp"
#include "media/wav.hpp"

namespace dramaloc::engines {

OpenAiSynthesizer::OpenAiSynthesizer(EngineSettings settings)
    : settings_(std::move(settings)),
      client_(endpoint_for(settings_)) {}

std::string OpenAiSynthesizer::version() const { return "openai-speech/1 " + settings_.url + " model " + settings_.model; }

std::vector<std::string> OpenAiSynthesizer::voices(std::string_view) const {
    std::vector<std::string> all = settings_.low_voices;
    all.insert(all.end(), settings_.high_voices.begin(), settings_.high_voices.end());
    return all;
}

std::string OpenAiSynthesizer::voice_for(std::string_view, VoiceRegister voice_register, std::size_t index) const {
    const auto& list = voice_register == VoiceRegister::High ? settings_.high_voices : settings_.low_voices;
    return list[index % list.size()];
}

media::AudioBuffer OpenAiSynthesizer::synthesize(std::string_view text, const VoiceSpec& voice) {
    const std::string name = voice.voice.empty() || voice.voice == voice.language ? settings_.low_voices.front() : voice.voice;
    const nlohmann::json request = {{"model", settings_.model}, {"input", std::string(text)}, {"voice", name},
                                    {"response_format", "wav"}, {"language", voice.language}};
    const HttpResponse response = client_.post_json("/audio/speech", request);
    if (response.status < 200 || response.status > 299)
        throw EngineError("the synthesizer at " + settings_.url + "/audio/speech answered HTTP " + std::to_string(response.status) +
                          ": " + response.body.substr(0, 200) + "; check [engines.tts] url, model, key and voices");
    media::AudioBuffer audio;
    try {
        audio = media::decode_wav(response.body, settings_.url + "/audio/speech");
    } catch (const InputError& e) {
        throw EngineError(std::string(e.what()) + " (the speech server must answer response_format \"wav\")");
    }
    return audio.channels > 1 ? media::mix_to_mono(audio) : audio;
}

}  // namespace dramaloc::engines
