#include "engines/engine_settings.hpp"

#include <cstdlib>

#include "core/config.hpp"
#include "core/error.hpp"

namespace dramaloc::engines {

std::string EngineSettings::api_key() const {
    if (api_key_env.empty()) return {};
    const char* value = std::getenv(api_key_env.c_str());
    if (!value || !*value)
        throw ConfigError("the " + backend + " engine at " + url + " takes its key from $" + api_key_env +
                          ", which is not set; export it or remove api_key_env from the config");
    return value;
}

EngineSettings engine_settings(const Config& c, std::string_view stage, std::string default_backend) {
    const std::string at = "engines." + std::string(stage) + ".";
    EngineSettings s;
    s.backend = c.get_string_or(at + "backend", std::move(default_backend));
    s.url = c.get_string_or(at + "url", "");
    while (!s.url.empty() && s.url.back() == '/') s.url.pop_back();
    s.model = c.get_string_or(at + "model", "");
    s.api_key_env = c.get_string_or(at + "api_key_env", "");
    s.timeout_s = c.get_double_or(at + "timeout_s", s.timeout_s);
    s.max_retries = static_cast<int>(c.get_int_or(at + "max_retries", s.max_retries));
    s.max_concurrency = static_cast<int>(c.get_int_or(at + "max_concurrency", s.max_concurrency));
    s.batch_lines = static_cast<int>(c.get_int_or(at + "batch_lines", s.batch_lines));
    s.structured_output = c.get_bool_or(at + "structured_output", s.structured_output);
    if (auto v = c.get_strings(at + "low_voices")) s.low_voices = *v;
    if (auto v = c.get_strings(at + "high_voices")) s.high_voices = *v;
    s.clone = c.get_bool_or(at + "clone", s.clone);
    s.clone_request = c.get_string_or(at + "clone_request", s.clone_request);
    s.reference_audio_field = c.get_string_or(at + "reference_audio_field", s.reference_audio_field);
    s.reference_text_field = c.get_string_or(at + "reference_text_field", s.reference_text_field);
    s.reference_min_s = c.get_double_or(at + "reference_min_s", s.reference_min_s);
    s.reference_max_s = c.get_double_or(at + "reference_max_s", s.reference_max_s);
    const std::string where = c.source_name() + ": [engines." + std::string(stage) + "] ";
    if (s.timeout_s <= 0 || s.timeout_s > 3600) throw ConfigError(where + "timeout_s must be in (0, 3600]");
    if (s.max_retries < 0 || s.max_retries > 20) throw ConfigError(where + "max_retries must be in [0, 20]");
    if (s.max_concurrency < 1 || s.max_concurrency > 256) throw ConfigError(where + "max_concurrency must be in [1, 256]");
    if (s.batch_lines < 1 || s.batch_lines > 200) throw ConfigError(where + "batch_lines must be in [1, 200]");
    if (s.low_voices.empty() || s.high_voices.empty()) throw ConfigError(where + "low_voices and high_voices need a voice each at least");
    if (s.clone && s.backend != "openai")
        throw ConfigError(where + "clone = true needs a synthesizer that takes a reference clip (backend = \"openai\" and a "
                                  "cloning server); " + s.backend + " has fixed voices");
    if (s.clone_request != "json" && s.clone_request != "multipart")
        throw ConfigError(where + "clone_request must be \"json\" (base64 audio in the body) or \"multipart\" (a form upload)");
    if (s.reference_audio_field.empty() || s.reference_text_field.empty())
        throw ConfigError(where + "reference_audio_field and reference_text_field must name the server's fields");
    if (s.reference_min_s < 1 || s.reference_max_s > 60 || s.reference_min_s > s.reference_max_s)
        throw ConfigError(where + "reference_min_s and reference_max_s must satisfy 1 <= min <= max <= 60 (seconds)");
    if (s.backend == "openai" && s.url.empty())
        throw ConfigError(where + "backend \"openai\" needs url = \"http://HOST:PORT/v1\" (the server's OpenAI-compatible API)");
    if (s.backend == "openai" && s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0)
        throw ConfigError(where + "url \"" + s.url + "\" must start with http:// or https://");
    return s;
}

std::string settings_key(const EngineSettings& s) {
    std::string key = s.backend + "|" + s.url + "|" + s.model + "|" + s.api_key_env + "|" + std::to_string(s.timeout_s) + "|" +
                      std::to_string(s.max_retries) + "|" + std::to_string(s.max_concurrency) + "|" + std::to_string(s.batch_lines) +
                      "|" + (s.structured_output ? "1" : "0") + "|" + (s.clone ? "1" : "0") + "|" + s.clone_request + "|" +
                      s.reference_audio_field + "|" + s.reference_text_field + "|" + std::to_string(s.reference_min_s) + "|" +
                      std::to_string(s.reference_max_s);
    for (const auto* voices : {&s.low_voices, &s.high_voices}) {
        key += "|";
        for (const auto& v : *voices) key += v + ",";
    }
    return key;
}

}  // namespace dramaloc::engines
