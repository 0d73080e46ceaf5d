#include "engines/openai/openai_recognizer.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "media/wav.hpp"

namespace dramaloc::engines {

using nlohmann::json;

namespace {

TimeMs ms(const json& seconds) { return static_cast<TimeMs>(std::llround(seconds.get<double>() * 1000.0)); }

std::string trimmed(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\n"));
    s.erase(s.find_last_not_of(" \t\n") + 1);
    return s;
}

}  // namespace

std::vector<Word> words_from_transcription(const json& answer, TimeMs offset) {
    std::vector<Word> words;
    if (answer.contains("words") && answer["words"].is_array() && !answer["words"].empty()) {
        for (const auto& w : answer["words"]) {
            const std::string text = trimmed(w.value("word", ""));
            if (text.empty()) continue;
            words.push_back({text, offset + ms(w.at("start")), offset + ms(w.at("end")),
                             static_cast<float>(w.value("probability", 1.0))});
        }
        return words;
    }
    // Segments only: spread each segment's words over its time in proportion to their length.
    for (const auto& segment : answer.value("segments", json::array())) {
        std::istringstream in(segment.value("text", ""));
        std::vector<std::string> parts;
        std::size_t letters = 0;
        for (std::string p; in >> p;) letters += p.size(), parts.push_back(p);
        if (parts.empty()) continue;
        const TimeMs start = ms(segment.at("start")), end = ms(segment.at("end"));
        std::size_t seen = 0;
        for (const auto& p : parts) {
            const TimeMs a = start + static_cast<TimeMs>((end - start) * static_cast<double>(seen) / static_cast<double>(letters));
            seen += p.size();
            const TimeMs b = start + static_cast<TimeMs>((end - start) * static_cast<double>(seen) / static_cast<double>(letters));
            words.push_back({p, offset + a, offset + b, 1.0f});
        }
    }
    return words;
}

OpenAiRecognizer::OpenAiRecognizer(EngineSettings settings)
    : settings_(std::move(settings)),
      client_(endpoint_for(settings_)) {}

std::string OpenAiRecognizer::version() const { return "openai-transcriptions/1 " + settings_.url + " model " + settings_.model; }

std::vector<Word> OpenAiRecognizer::recognize(const media::AudioBuffer& mono_16k, TimeMs offset, std::string_view language) {
    if (mono_16k.empty()) return {};
    const std::vector<std::pair<std::string, std::string>> fields = {
        {"model", settings_.model},
        {"response_format", "verbose_json"},
        {"timestamp_granularities[]", "word"},
        {"timestamp_granularities[]", "segment"},
        {"language", std::string(language.substr(0, language.find('-')))},
        {"temperature", "0"}};
    const net::FilePart file{"file", "chunk.wav", "audio/wav", media::encode_wav(mono_16k)};
    const net::HttpResponse response = client_.post_multipart("/audio/transcriptions", fields, file);
    if (response.status < 200 || response.status > 299)
        throw EngineError("the recognizer at " + settings_.url + "/audio/transcriptions answered HTTP " +
                          std::to_string(response.status) + ": " + response.body.substr(0, 200) +
                          "; check [engines.asr] url, model and key");
    try {
        return words_from_transcription(json::parse(response.body), offset);
    } catch (const json::exception& e) {
        throw EngineError("the recognizer at " + settings_.url + " sent an answer that is not a verbose_json transcription (" +
                          std::string(e.what()) + "); is it an OpenAI-compatible /v1/audio/transcriptions endpoint?");
    }
}

}  // namespace dramaloc::engines
