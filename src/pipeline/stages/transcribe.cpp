// Stage transcribe: recognise the speech, with word times, in parallel chunks.
#include <algorithm>

#include "core/parallel.hpp"
#include "core/script_json.hpp"
#include "engines/asr.hpp"
#include "engines/asr_lines.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

SourceLines transcribe(StageContext& context, const DecodedAudio& audio, const SpeechRegions& speech,
                       const engines::EngineSettings& asr, const std::string& language, int jobs) {
    auto probe_recognizer = engines::lease_speech_recognizer(asr);
    require_recognizer_language(*probe_recognizer, asr.backend, language, false);
    const std::string identity = probe_recognizer->version();
    const auto chunks = asr_chunks(speech.regions, audio.duration_ms());
    context.announce("transcribe " + std::to_string(chunks.size()) + " chunks");
    SourceLines out;
    out.key = stage_key(StageId::Transcribe, identity, {speech.key, audio.key()}, language);
    const fs::path dir = run_stage(context, {StageId::Transcribe, "episode", identity, out.key}, [&](const fs::path& d) {
        // One recogniser per worker, from the run's pool: its model is loaded once per run.
        const int workers = std::min<int>(resolve_jobs(jobs), static_cast<int>(std::max<std::size_t>(1, chunks.size())));
        std::vector<engines::SpeechRecognizerLease> recognizers;
        recognizers.push_back(std::move(probe_recognizer));
        for (int w = 1; w < workers; ++w) recognizers.push_back(nullptr);
        std::vector<std::vector<Word>> per_chunk(chunks.size());
        parallel_for(chunks.size(), workers, [&](std::size_t worker, std::size_t i) {
            auto& recognizer = recognizers[worker];
            if (!recognizer) recognizer = engines::lease_speech_recognizer(asr);
            const media::AudioBuffer piece = media::slice_ms(audio.speech(), chunks[i].start, chunks[i].end);
            per_chunk[i] = recognizer->recognize(piece, chunks[i].start, language);
        });
        std::vector<Word> words;
        for (auto& w : per_chunk) words.insert(words.end(), w.begin(), w.end());
        write_json(d / "words.json", json(words));
    });
    out.lines = engines::words_to_lines(read_json(dir / "words.json").get<std::vector<Word>>(), speech.regions);
    return out;
}

}  // namespace dramaloc::pipeline
