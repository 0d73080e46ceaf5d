#pragma once
// English speech recognition with CMU pocketsphinx (5prealpha C API), registered as
// "pocketsphinx". Uses the acoustic model, dictionary and language model of Debian's
// pocketsphinx-en-us package unless told otherwise.
//
// Threading: one decoder per object; an object is used by one thread at a time and may
// decode any number of chunks. Each chunk is decoded independently of the ones before it,
// so the same chunk always gives the same words. pocketsphinx's logging is process-wide;
// it is sent to /dev/null.
#include <filesystem>
#include <memory>

#include "engines/asr.hpp"

namespace dramaloc::engines {

struct PocketsphinxModel {
    std::filesystem::path acoustic_model;  // folder holding mdef, means, variances…
    std::filesystem::path dictionary;      // pronunciation dictionary (.dict)
    std::filesystem::path language_model;  // n-gram model (.lm.bin / .lm)

    // The model in folder `root`: `root/en-us` (or `root` itself) as acoustic model,
    // `cmudict-en-us.dict` (else the first *.dict) and `en-us.lm.bin` (else the first
    // *.lm.bin / *.lm that is not a phone model). Missing parts are left as expected paths
    // so the error names them.
    static PocketsphinxModel in_folder(const std::filesystem::path& root);
    // $DRAMALOC_POCKETSPHINX_MODEL when set, else the Debian package's folder.
    static PocketsphinxModel from_environment();
};

// Where pocketsphinx-en-us installs its model.
inline constexpr const char* kDebianPocketsphinxModel = "/usr/share/pocketsphinx/model/en-us";

class PocketsphinxRecognizer final : public SpeechRecognizer {
public:
    // Loads the model (PocketsphinxModel::from_environment()). Throws EngineError naming the
    // missing path and the package when the model is not there.
    PocketsphinxRecognizer();
    explicit PocketsphinxRecognizer(const PocketsphinxModel& model);
    ~PocketsphinxRecognizer() override;
    PocketsphinxRecognizer(const PocketsphinxRecognizer&) = delete;
    PocketsphinxRecognizer& operator=(const PocketsphinxRecognizer&) = delete;

    std::string name() const override { return "pocketsphinx"; }
    // "pocketsphinx 5prealpha en-us model <hash>": changes when any model file changes size
    // or the acoustic model's definition changes.
    std::string version() const override;
    std::vector<std::string> languages() const override { return {"en"}; }
    // Lower-case words with episode times (10 ms resolution) and posterior confidences.
    // Throws InputError for audio that is not mono 16 kHz and for a language other than
    // English ("en", "en-US"…); EngineError when the decoder fails.
    std::vector<Word> recognize(const media::AudioBuffer& mono_16k, TimeMs offset,
                                std::string_view language) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A pocketsphinx token as a word of the script: "" for fillers and silences ("<s>",
// "</s>", "<sil>", "[NOISE]", "++UH++"), alternate pronunciations "(2)" stripped.
std::string normalise_pocketsphinx_token(std::string_view token);

}  // namespace dramaloc::engines
