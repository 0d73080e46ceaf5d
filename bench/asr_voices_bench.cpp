// asr_voices_bench [SCENE] [VOICE...] — how well the embedded recogniser (pocketsphinx en-us)
// hears each espeak-ng voice: every line of the sample dialogue (sample/dialogue.cpp; SCENE is
// "standard" or "short") spoken in the voice, recognised alone, and the word error rate over
// the scene. This is how the sample's voices were chosen (bench/README.md): the voices that
// speak the demo must be the ones the recogniser hears best, so that what a newcomer sees
// translated is what was said. Prints one row per voice, best first; exits 0.
//
// A VOICE is espeak-ng's "language+variant" name, optionally "@pitch" and "/rate"
// ("en-us+m1@30/150"); without VOICE arguments a list of candidates is measured.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_report.hpp"
#include "core/parallel.hpp"
#include "engines/asr.hpp"
#include "engines/asr_lines.hpp"
#include "engines/tts.hpp"
#include "media/resample.hpp"
#include "sample/dialogue.hpp"

using namespace dramaloc;
using namespace dramaloc::bench;

namespace {

struct Candidate {
    std::string name;  // as given
    engines::VoiceSpec spec;
};

Candidate parse(const std::string& text) {
    Candidate c{text, {}};
    std::string voice = text;
    if (const auto slash = voice.find('/'); slash != std::string::npos) {
        c.spec.rate_wpm = std::stoi(voice.substr(slash + 1));
        voice.resize(slash);
    }
    if (const auto at = voice.find('@'); at != std::string::npos) {
        c.spec.pitch = std::stoi(voice.substr(at + 1));
        voice.resize(at);
    }
    c.spec.language = "en";
    c.spec.voice = voice;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::vector<std::string> args(argv + 1, argv + argc);
        sample::Scene scene = sample::Scene::Standard;
        if (!args.empty() && sample::scene_from_string(args.front())) {
            scene = *sample::scene_from_string(args.front());
            args.erase(args.begin());
        }
        if (args.empty()) {
            // The sample's voices, then candidates: espeak-ng's American and British English
            // with its male and female variants and a few of its named voices.
            for (const auto& c : sample::sample_characters())
                args.push_back(std::string(c.voice) + "@" + std::to_string(c.pitch) + "/" + std::to_string(c.rate_wpm));
            for (const char* base : {"en-us", "en"})
                for (const char* variant : {"", "+m1", "+m2", "+m3", "+m4", "+m5", "+m6", "+m7", "+f1", "+f2", "+f3", "+f4", "+f5",
                                            "+klatt", "+Andy", "+adam", "+david", "+john", "+linda", "+steph"})
                    args.push_back(std::string(base) + variant);
        }
        std::vector<Candidate> candidates;
        for (const auto& a : args) candidates.push_back(parse(a));

        const auto lines = sample::sample_dialogue(scene);
        auto tts = engines::make_synthesizer("espeak");
        struct Result {
            std::string name;
            engines::WordErrors errors;
        };
        std::vector<Result> results(candidates.size());
        // Two recognisers (one per worker); synthesis is serialised inside the engine anyway.
        parallel_for(candidates.size(), 2, [&](std::size_t, std::size_t i) {
            auto recognizer = engines::lease_speech_recognizer(engines::embedded_engine("pocketsphinx"));
            results[i].name = candidates[i].name;
            for (const auto& line : lines) {
                const auto audio = media::resample(tts->synthesize(line.english, candidates[i].spec), 16000);
                std::string heard;
                for (const auto& w : recognizer->recognize(audio, 0, "en")) heard += (heard.empty() ? "" : " ") + w.text;
                results[i].errors += engines::count_word_errors(line.english, heard);
            }
        });
        std::stable_sort(results.begin(), results.end(),
                         [](const Result& a, const Result& b) { return a.errors.rate() < b.errors.rate(); });
        std::printf("== pocketsphinx en-us word error rate per espeak-ng voice (%s scene, %zu lines) ==\n",
                    sample::to_string(scene), lines.size());
        for (const auto& r : results)
            row(r.name, fmt("%.1f %%", 100.0 * r.errors.rate()),
                "sub " + std::to_string(r.errors.substitutions) + ", del " + std::to_string(r.errors.deletions) + ", ins " +
                    std::to_string(r.errors.insertions) + " / " + std::to_string(r.errors.reference_words) + " words");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "asr_voices_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
