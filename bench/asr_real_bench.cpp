// asr_real_bench DIR [MUSIC_DB…] — the embedded recogniser on real recordings of people
// (not generated voices): every DIR/NAME.wav (any format FFmpeg reads) with its transcript
// DIR/NAME.txt, recognised the way an episode's speech is (speech regions, chunks,
// pocketsphinx), and the word error rate per recording and over all. Each MUSIC_DB (e.g. -20)
// measures again with the sample generator's background music mixed under the speech at that
// level relative to it. bench/README.md names the recordings used and where they come from.
// Prints figures; exits 0 unless something failed outright.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bench_report.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "engines/asr.hpp"
#include "engines/asr_lines.hpp"
#include "engines/vad.hpp"
#include "media/audio.hpp"
#include "media/audio_decode.hpp"
#include "media/resample.hpp"
#include "pipeline/source_stages.hpp"
#include "sample/soundtrack.hpp"

using namespace dramaloc;
using namespace dramaloc::bench;
namespace fs = std::filesystem;

namespace {

constexpr int kSpeechRate = 16000;

// The sample's music at `db` relative to the recording's speech level, mixed in.
media::AudioBuffer with_music(const media::AudioBuffer& speech, double db) {
    const double speech_dbfs = 20.0 * std::log10(std::max(1e-9, media::rms(speech)));
    media::AudioBuffer music = sample::make_background_music(ms_to_samples(speech.duration_ms(), sample::kTimelineRate), 7, speech_dbfs + db);
    // Stereo at the timeline rate, down to mono at the speech rate.
    media::AudioBuffer mono{sample::kTimelineRate, 1, {}};
    for (SampleCount i = 0; i < music.frames(); ++i)
        mono.samples.push_back(0.5f * (music.samples[static_cast<std::size_t>(2 * i)] + music.samples[static_cast<std::size_t>(2 * i + 1)]));
    media::AudioBuffer mixed = speech;
    const media::AudioBuffer down = media::resample(mono, kSpeechRate);
    for (std::size_t i = 0; i < mixed.samples.size() && i < down.samples.size(); ++i)
        mixed.samples[i] = std::clamp(mixed.samples[i] + down.samples[i], -1.0f, 1.0f);
    return mixed;
}

std::string transcribe(engines::SpeechRecognizer& asr, engines::VoiceActivityDetector& vad, const media::AudioBuffer& speech) {
    std::string text;
    for (const Word& w : pipeline::recognise_soundtrack(speech, asr, vad, "en")) text += (text.empty() ? "" : " ") + w.text;
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: asr_real_bench DIR [MUSIC_DB…]\n");
        return 2;
    }
    try {
        std::vector<fs::path> recordings;
        for (const auto& entry : fs::directory_iterator(argv[1]))
            if (entry.path().extension() != ".txt" && fs::exists(fs::path(entry.path()).replace_extension(".txt"))) recordings.push_back(entry.path());
        std::sort(recordings.begin(), recordings.end());
        if (recordings.empty()) throw InputError(std::string(argv[1]) + ": no recording with a transcript (NAME.wav and NAME.txt)");
        std::vector<std::optional<double>> levels{std::nullopt};
        for (int i = 2; i < argc; ++i) levels.emplace_back(std::atof(argv[i]));

        auto asr = engines::make_speech_recognizer("pocketsphinx");
        auto vad = engines::make_voice_activity_detector("spectral");
        std::printf("recogniser: %s\n", asr->version().c_str());
        for (const auto& level : levels) {
            engines::WordErrors total;
            double audio_s = 0, spent = 0;
            std::printf("-- %s --\n", level ? ("music " + fmt("%.0f", *level) + " dB under the speech").c_str() : "clean");
            for (const fs::path& file : recordings) {
                media::AudioBuffer speech = media::decode_audio(file, kSpeechRate, 1);
                if (level) speech = with_music(speech, *level);
                std::string reference = read_text_file(fs::path(file).replace_extension(".txt"));
                std::string heard;
                spent += seconds_of([&] { heard = transcribe(*asr, *vad, speech); });
                audio_s += static_cast<double>(speech.duration_ms()) / 1000.0;
                const auto errors = engines::count_word_errors(reference, heard);
                total += errors;
                row(file.filename().string(), fmt("%.1f %%", 100 * errors.rate()),
                    std::to_string(errors.reference_words) + " words; heard: " + heard.substr(0, 90));
            }
            row("word error rate, all recordings", fmt("%.1f %%", 100 * total.rate()),
                std::to_string(total.errors()) + " errors / " + std::to_string(total.reference_words) + " words (S " + std::to_string(total.substitutions) +
                    ", D " + std::to_string(total.deletions) + ", I " + std::to_string(total.insertions) + "); " + fmt("%.1fx real time", audio_s / spent) +
                    (level ? " (target <= 40 %)" : " (target <= 25 %)"));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "asr_real_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
