#pragma once
// How one stage's engine is chosen and reached: the [engines.STAGE] table of a config file.
//
//   [engines.translate]          # likewise [engines.asr], [engines.tts]
//   backend = "openai"           # or the embedded one: "apertium", "pocketsphinx", "espeak"
//   url = "http://127.0.0.1:8080/v1"
//   model = "qwen2.5-7b-instruct"
//   api_key_env = "DRAMALOC_TRANSLATE_KEY"   # optional: the variable holding the key
//   timeout_s = 120                          # per request
//   max_retries = 4                          # on 429, 5xx, timeouts and refused connections
//   max_concurrency = 4                      # requests in flight to this endpoint
//   batch_lines = 12                         # lines per translation request
//   structured_output = true                 # send a JSON schema in response_format
//   low_voices = ["onyx", "echo"]            # [engines.tts]: voices for low / high registers
//   high_voices = ["nova", "shimmer"]
//   clone = true                             # [engines.tts]: send each character's reference clip
//   clone_request = "json"                   #   "json" (base64 WAV in the body) or "multipart"
//   reference_audio_field = "reference_audio"
//   reference_text_field = "reference_text"
//   reference_min_s = 3                      #   shortest / longest clip cut from the source
//   reference_max_s = 10
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc {
class Config;
struct ConfigTable;
}

namespace dramaloc::engines {

struct EngineSettings {
    std::string backend = "apertium";
    std::string url;           // base URL, ".../v1"
    std::string model;
    std::string api_key_env;   // empty: no key
    double timeout_s = 120;
    int max_retries = 4;
    int max_concurrency = 4;
    int batch_lines = 12;
    bool structured_output = true;
    // [engines.tts] of the openai backend: voices for low- and high-pitched characters, given
    // out in order (one character, one voice, in every language).
    std::vector<std::string> low_voices = {"onyx", "echo", "ash"};
    std::vector<std::string> high_voices = {"nova", "shimmer", "coral"};
    // [engines.tts] voice cloning: each request carries the character's reference clip (a WAV
    // cut from the source) and its transcript, in fields the server names.
    bool clone = false;
    std::string clone_request = "json";  // "json": the WAV base64-encoded in the JSON body; "multipart": a form
    std::string reference_audio_field = "reference_audio";
    std::string reference_text_field = "reference_text";
    double reference_min_s = 3.0;
    double reference_max_s = 10.0;

    // The key from the environment ("" when api_key_env is empty); ConfigError when the
    // variable is named but not set.
    std::string api_key() const;
};

// Everything that configures an engine, as one string: engines made from equal keys are
// interchangeable (the run's engine pools key on it).
std::string settings_key(const EngineSettings& settings);

// Settings for an embedded backend (no endpoint).
inline EngineSettings embedded_engine(std::string backend) {
    EngineSettings s;
    s.backend = std::move(backend);
    return s;
}

// What [engines.<stage>] may hold (core/config_schema.hpp): the backend, and for the stages
// that have network backends (asr, translate, tts) the endpoint's keys and the stage's own;
// `default_backend` is the stage's default.
ConfigTable engine_config_table(std::string_view stage, const std::string& default_backend);

// [engines.<stage>] of `config` (checked against engine_config_table), `default_backend` when
// it names none. Throws ConfigError, with the file and line, for keys that do not go together
// (clone with a fixed-voice backend, a network backend without a url).
EngineSettings engine_settings(const Config& config, std::string_view stage, std::string default_backend);

// Which engine this is, as a run prints it once and its manifest and the review page show it:
// "openai at http://127.0.0.1:8080/v1 (model qwen2.5-7b-instruct)", "apertium (embedded)".
// Never the key, nor a password in the URL.
std::string describe(const EngineSettings& settings);

}  // namespace dramaloc::engines
