#include "engines/engine_settings.hpp"

#include <cctype>
#include <cstdlib>

#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"

namespace dramaloc::engines {

std::string EngineSettings::api_key() const {
    if (api_key_env.empty()) return {};
    const char* value = std::getenv(api_key_env.c_str());
    if (!value || !*value)
        throw ConfigError("the " + backend + " engine at " + mask_url_credentials(url) + " takes its key from $" + api_key_env +
                          ", which is not set; export it or remove api_key_env from the config");
    return value;
}

ConfigTable engine_config_table(std::string_view stage, const std::string& default_backend) {
    ConfigTable t{"engines." + std::string(stage), {ConfigKey::text("backend", default_backend)}};
    const bool networked = stage == "asr" || stage == "translate" || stage == "tts";
    if (!networked) return t;
    const EngineSettings d;
    t.keys.insert(t.keys.end(), {
        ConfigKey::text("url").when_unset("an embedded backend needs none"),
        ConfigKey::text("model"),
        ConfigKey::text("api_key_env").when_unset("requests carry no key"),
        ConfigKey::number("timeout_s", d.timeout_s, 0, 3600).above_minimum(),
        ConfigKey::integer("max_retries", d.max_retries, 0, 20),
        ConfigKey::integer("max_concurrency", d.max_concurrency, 1, 256),
    });
    if (stage == "translate")
        t.keys.insert(t.keys.end(), {
            ConfigKey::integer("batch_lines", d.batch_lines, 1, 200),
            ConfigKey::boolean("structured_output", d.structured_output),
        });
    if (stage == "tts")
        t.keys.insert(t.keys.end(), {
            ConfigKey::strings("low_voices", d.low_voices),
            ConfigKey::strings("high_voices", d.high_voices),
            ConfigKey::boolean("clone", d.clone),
            ConfigKey::choice("clone_request", d.clone_request, {"json", "multipart"}),
            ConfigKey::text("reference_audio_field", d.reference_audio_field),
            ConfigKey::text("reference_text_field", d.reference_text_field),
            ConfigKey::number("reference_min_s", d.reference_min_s, 1, 60),
            ConfigKey::number("reference_max_s", d.reference_max_s, 1, 60),
        });
    return t;
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
    // Types and ranges were checked with the file (engine_config_table); what is left is what
    // one key cannot say alone.
    const auto fail = [&](const std::string& key, const std::string& why) {
        throw ConfigError(c.where(at + key) + ": [engines." + std::string(stage) + "] " + why);
    };
    if (s.low_voices.empty() || s.high_voices.empty())
        fail(s.low_voices.empty() ? "low_voices" : "high_voices", "low_voices and high_voices need a voice each at least");
    if (s.clone && s.backend != "openai")
        fail("clone", "clone = true needs a synthesizer that takes a reference clip (backend = \"openai\" and a cloning server); " +
                          s.backend + " has fixed voices");
    if (s.reference_audio_field.empty() || s.reference_text_field.empty())
        fail(s.reference_audio_field.empty() ? "reference_audio_field" : "reference_text_field",
             "reference_audio_field and reference_text_field must name the server's fields");
    if (s.reference_min_s > s.reference_max_s)
        fail("reference_min_s", "reference_min_s must not be more than reference_max_s (" + std::to_string(s.reference_max_s) + " s)");
    // The name of a variable, not the key itself pasted in (which must not end up in a message).
    if (!s.api_key_env.empty() && (std::isdigit(static_cast<unsigned char>(s.api_key_env[0])) ||
                                   s.api_key_env.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos))
        fail("api_key_env", "api_key_env names the environment variable that holds the key (letters, digits and _), not the key itself");
    // A url with an embedded backend would be ignored: the run would not use the server the
    // file names (a backend line left out, or misspelt and refused above).
    if (s.backend != "openai" && !s.url.empty())
        fail("url", "url is set but backend is \"" + s.backend + "\", which takes none; add backend = \"openai\" to use the server");
    if (s.backend == "openai" && s.url.empty())
        fail("backend", "backend \"openai\" needs url = \"http://HOST:PORT/v1\" (the server's OpenAI-compatible API)");
    if (s.backend == "openai" && s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0)
        fail("url", "url \"" + mask_url_credentials(s.url) + "\" must start with http:// or https://");
    return s;
}

std::string describe(const EngineSettings& s) {
    if (s.backend != "openai") return s.backend + " (embedded)";
    return s.backend + " at " + mask_url_credentials(s.url) + (s.model.empty() ? "" : " (model " + s.model + ")");
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
