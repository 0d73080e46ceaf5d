#include "engines/openai/openai_synthesizer.hpp"

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/text_codec.hpp"
#include "media/wav.hpp"

namespace dramaloc::engines {

OpenAiSynthesizer::OpenAiSynthesizer(EngineSettings settings)
    : settings_(std::move(settings)),
      client_(endpoint_for(settings_)) {}

std::string OpenAiSynthesizer::version() const {
    std::string v = "openai-speech/1 " + settings_.url + " model " + settings_.model;
    if (settings_.clone)  // how the reference is sent is part of what the server hears
        v += " clone " + settings_.clone_request + " " + settings_.reference_audio_field + "/" + settings_.reference_text_field;
    return v;
}

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
    nlohmann::json request = {{"model", settings_.model}, {"input", std::string(text)}, {"voice", name},
                              {"response_format", "wav"}, {"language", voice.language}};
    net::HttpResponse response;
    if (settings_.clone && !voice.reference_audio.empty()) {
        // The character's own voice: its reference clip and transcript, in the server's fields.
        std::string clip;
        try {
            clip = read_text_file(voice.reference_audio, 64u << 20);
        } catch (const InputError& e) {
            throw EngineError(std::string("the voice reference is gone: ") + e.what() + "; run again to cut it anew");
        }
        if (settings_.clone_request == "multipart") {
            std::vector<std::pair<std::string, std::string>> fields;
            for (const auto& [key, value] : request.items()) fields.emplace_back(key, value.get<std::string>());
            fields.emplace_back(settings_.reference_text_field, voice.reference_text);
            response = client_.post_multipart("/audio/speech", fields,
                                              {settings_.reference_audio_field, "reference.wav", "audio/wav", std::move(clip)});
        } else {
            request[settings_.reference_audio_field] = base64_encode(clip);
            request[settings_.reference_text_field] = voice.reference_text;
            response = client_.post_json("/audio/speech", request);
        }
    } else {
        response = client_.post_json("/audio/speech", request);
    }
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
