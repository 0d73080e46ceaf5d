#include "engines/pocketsphinx/pocketsphinx_recognizer.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <span>
#include <system_error>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"

namespace dramaloc::engines {
namespace {

namespace fs = std::filesystem;

constexpr int kSampleRate = 16000;
constexpr TimeMs kFrameMs = 10;  // pocketsphinx's default -frate 100

struct ConfigDeleter {
    void operator()(cmd_ln_t* config) const noexcept { cmd_ln_free_r(config); }
};
struct DecoderDeleter {
    void operator()(ps_decoder_t* decoder) const noexcept { ps_free(decoder); }
};
struct SegmentDeleter {
    void operator()(ps_seg_t* seg) const noexcept { ps_seg_free(seg); }
};
using ConfigPtr = std::unique_ptr<cmd_ln_t, ConfigDeleter>;
using DecoderPtr = std::unique_ptr<ps_decoder_t, DecoderDeleter>;
using SegmentPtr = std::unique_ptr<ps_seg_t, SegmentDeleter>;

[[noreturn]] void throw_model_missing(const fs::path& path) {
    throw EngineError("pocketsphinx model not found at " + path.string() +
                      "; install pocketsphinx-en-us (apt install pocketsphinx-en-us) or set "
                      "DRAMALOC_POCKETSPHINX_MODEL to a model folder");
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

void check_model(const PocketsphinxModel& model) {
    for (const char* part : {"mdef", "means", "variances", "transition_matrices"}) {
        if (!is_file(model.acoustic_model / part)) throw_model_missing(model.acoustic_model / part);
    }
    if (!is_file(model.dictionary)) throw_model_missing(model.dictionary);
    if (!is_file(model.language_model)) throw_model_missing(model.language_model);
}

// Identity of the model for artifact keys: names and sizes of every file plus the
// content of the small definition files. Cheap (no hashing of the big mixtures).
std::string model_identity(const PocketsphinxModel& model) {
    Hasher h;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(model.acoustic_model, ec)) {
        if (entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    files.push_back(model.dictionary);
    files.push_back(model.language_model);
    for (const fs::path& file : files) {
        h.field(file.filename().string());
        h.field(static_cast<std::int64_t>(fs::file_size(file, ec)));
    }
    for (const char* small : {"mdef", "feat.params"}) {
        const fs::path p = model.acoustic_model / small;
        if (is_file(p)) h.field(hash_file_hex(p));
    }
    return h.hex().substr(0, 16);
}

bool is_english(std::string_view tag) {
    if (tag.size() < 2) return false;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(tag[0]) == 'e' && lower(tag[1]) == 'n' && (tag.size() == 2 || tag[2] == '-' || tag[2] == '_');
}

std::vector<std::int16_t> to_pcm16(std::span<const float> samples) {
    std::vector<std::int16_t> pcm(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const float clamped = std::clamp(samples[i], -1.0f, 1.0f);
        pcm[i] = static_cast<std::int16_t>(std::lround(clamped * 32767.0f));
    }
    return pcm;
}

}  // namespace

PocketsphinxModel PocketsphinxModel::in_folder(const fs::path& root) {
    PocketsphinxModel model;
    model.acoustic_model = is_file(root / "en-us" / "mdef") || !is_file(root / "mdef") ? root / "en-us" : root;
    model.dictionary = root / "cmudict-en-us.dict";
    model.language_model = root / "en-us.lm.bin";
    std::vector<fs::path> dicts;
    std::vector<fs::path> lms;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(root, ec)) {
        const std::string file = entry.path().filename().string();
        if (file.ends_with(".dict")) dicts.push_back(entry.path());
        if ((file.ends_with(".lm.bin") || file.ends_with(".lm")) && file.find("phone") == std::string::npos) {
            lms.push_back(entry.path());
        }
    }
    std::sort(dicts.begin(), dicts.end());
    std::sort(lms.begin(), lms.end());
    if (!is_file(model.dictionary) && !dicts.empty()) model.dictionary = dicts.front();
    if (!is_file(model.language_model) && !lms.empty()) model.language_model = lms.front();
    return model;
}

PocketsphinxModel PocketsphinxModel::from_environment() {
    const char* env = std::getenv("DRAMALOC_POCKETSPHINX_MODEL");
    return in_folder(env != nullptr && *env != '\0' ? fs::path(env) : fs::path(kDebianPocketsphinxModel));
}

std::string normalise_pocketsphinx_token(std::string_view token) {
    if (token.empty() || token.front() == '<' || token.front() == '[' || token.starts_with("++")) return {};
    const std::size_t paren = token.find('(');
    if (paren != std::string_view::npos && token.back() == ')') token = token.substr(0, paren);
    return std::string(token);
}

struct PocketsphinxRecognizer::Impl {
    ConfigPtr config;
    DecoderPtr decoder;  // loaded by the first recognize()
    std::string identity;
    std::string hmm;

    void load() {
        if (decoder) return;
        decoder.reset(ps_init(config.get()));
        if (!decoder) {
            throw EngineError("pocketsphinx could not load the model at " + hmm +
                              "; reinstall pocketsphinx-en-us (apt install --reinstall pocketsphinx-en-us)");
        }
    }
};

PocketsphinxRecognizer::PocketsphinxRecognizer() : PocketsphinxRecognizer(PocketsphinxModel::from_environment()) {}

PocketsphinxRecognizer::PocketsphinxRecognizer(const PocketsphinxModel& model) : impl_(std::make_unique<Impl>()) {
    check_model(model);
    const std::string hmm = model.acoustic_model.string();
    const std::string dict = model.dictionary.string();
    const std::string lm = model.language_model.string();
    // Silence removal would renumber frames around the pauses; keep every frame so word
    // times are frame × 10 ms.
    // sphinxbase logs to one FILE* for the whole process: "-logfn" makes every decoder close
    // and reopen it, which two decoders loading at once (two episodes in one worker) did to
    // the same FILE* — a double fclose that corrupted the heap. Logging is switched off once,
    // before any decoder exists, and no decoder touches it again.
    static std::once_flag quiet;
    std::call_once(quiet, [] { err_set_logfp(nullptr); });
    impl_->config.reset(cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(), "-lm",
                                    lm.c_str(), "-remove_silence", "no", "-samprate", "16000", nullptr));
    if (!impl_->config) throw EngineError("pocketsphinx rejected its configuration for the model at " + hmm);
    // The model is loaded on first use: asking for the identity or the languages (the engine
    // checks before a run, a re-run whose transcript is stored) costs no model load.
    impl_->hmm = hmm;
    impl_->identity = "pocketsphinx 5prealpha " + model.acoustic_model.filename().string() + " model " +
                      model_identity(model);
}

PocketsphinxRecognizer::~PocketsphinxRecognizer() = default;

std::string PocketsphinxRecognizer::version() const { return impl_->identity; }

std::vector<Word> PocketsphinxRecognizer::recognize(const media::AudioBuffer& mono_16k, TimeMs offset,
                                                    std::string_view language) {
    if (!is_english(language)) {
        throw InputError("pocketsphinx has no model for language \"" + std::string(language) +
                         "\"; it recognizes: en");
    }
    if (mono_16k.sample_rate != kSampleRate || mono_16k.channels != 1) {
        throw InputError("speech recognition needs mono 16 kHz audio, got " + std::to_string(mono_16k.channels) +
                         " channel(s) at " + std::to_string(mono_16k.sample_rate) +
                         " Hz; decode with media::decode_audio(path, 16000, 1)");
    }
    // On digital silence the decoder hallucinates words (its features are logs of ~0).
    constexpr float kSilentPeak = 0.001f;  // −60 dBFS
    const bool silent = std::all_of(mono_16k.samples.begin(), mono_16k.samples.end(),
                                    [](float s) { return std::abs(s) < kSilentPeak; });
    if (silent) return {};

    throw_if_cancelled();
    impl_->load();
    ps_decoder_t* ps = impl_->decoder.get();
    // Each chunk is decoded as if the decoder were new, so the words depend only on the
    // chunk (artifact keys rely on that): a new stream resets the front end's noise
    // estimate, and one full-utterance call makes frame numbers start at 0 and lets batch
    // cepstral mean normalisation (the model's setting) see the whole chunk.
    if (ps_start_stream(ps) < 0 || ps_start_utt(ps) < 0) throw EngineError("pocketsphinx could not start an utterance");
    const std::vector<std::int16_t> pcm = to_pcm16(mono_16k.samples);
    if (ps_process_raw(ps, pcm.data(), pcm.size(), FALSE, TRUE) < 0) {
        ps_end_utt(ps);
        throw EngineError("pocketsphinx failed while decoding the chunk at " + std::to_string(offset) + " ms");
    }
    if (ps_end_utt(ps) < 0) throw EngineError("pocketsphinx failed to finish the chunk at " + std::to_string(offset) + " ms");

    std::vector<Word> words;
    const TimeMs end_limit = offset + mono_16k.duration_ms();
    logmath_t* logmath = ps_get_logmath(ps);
    std::int32_t best_score = 0;
    if (ps_get_hyp(ps, &best_score) == nullptr) return words;
    for (SegmentPtr seg(ps_seg_iter(ps)); seg; seg.reset(ps_seg_next(seg.release()))) {
        std::string text = normalise_pocketsphinx_token(ps_seg_word(seg.get()));
        if (text.empty()) continue;
        int first_frame = 0;
        int last_frame = 0;
        ps_seg_frames(seg.get(), &first_frame, &last_frame);
        std::int32_t acoustic = 0, language_score = 0, backoff = 0;
        const std::int32_t posterior = ps_seg_prob(seg.get(), &acoustic, &language_score, &backoff);
        Word word;
        word.text = std::move(text);
        word.start = std::min(end_limit, offset + first_frame * kFrameMs);
        word.end = std::min(end_limit, offset + (last_frame + 1) * kFrameMs);
        word.confidence = static_cast<float>(std::clamp(logmath_exp(logmath, posterior), 0.0, 1.0));
        words.push_back(std::move(word));
    }
    return words;
}

}  // namespace dramaloc::engines
