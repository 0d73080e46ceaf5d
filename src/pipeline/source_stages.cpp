#include "pipeline/source_stages.hpp"

#include <algorithm>
#include <memory>
#include <thread>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/script_json.hpp"
#include "media/resample.hpp"
#include "engines/asr.hpp"
#include "engines/asr_lines.hpp"
#include "engines/speakers.hpp"
#include "media/audio_decode.hpp"
#include "media/probe.hpp"
#include "media/wav.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/parallel.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kSpeechRate = 16000;
constexpr int kMixRate = 48000;

void announce(const LocalizeOptions& options, const std::string& what) {
    if (options.on_stage) options.on_stage(what);
}

}  // namespace

std::vector<engines::SpeechRegion> asr_chunks(const std::vector<engines::SpeechRegion>& regions, TimeMs duration_ms,
                                              TimeMs max_ms, TimeMs padding_ms) {
    std::vector<engines::SpeechRegion> chunks;
    for (const auto& r : regions) {
        const TimeMs start = std::max<TimeMs>(0, r.start - padding_ms);
        const TimeMs end = std::min(duration_ms, r.end + padding_ms);
        if (!chunks.empty() && end - chunks.back().start <= max_ms && start <= chunks.back().end + 1000) {
            chunks.back().end = std::max(chunks.back().end, end);
            continue;
        }
        // A region longer than max_ms is cut into equal pieces; pocketsphinx needs no more context.
        const TimeMs length = end - start;
        const TimeMs pieces = std::max<TimeMs>(1, (length + max_ms - 1) / max_ms);
        for (TimeMs p = 0; p < pieces; ++p)
            chunks.push_back({start + length * p / pieces, start + length * (p + 1) / pieces});
    }
    return chunks;
}

SourceAnalysis analyse_source(StageContext& context, const fs::path& episode, const LocalizeOptions& options) {
    SourceAnalysis out;
    const media::MediaInfo info = media::probe(episode);
    const auto* audio_stream = info.best_audio();
    if (!audio_stream)
        throw InputError(episode.string() + ": has no audio stream; dramaloc needs the episode's soundtrack");
    const int channels = std::min(2, std::max(1, audio_stream->channels));
    out.input_key = hash_file_hex(episode);

    // 1. Decode once: the 48 kHz soundtrack for the mix; 16 kHz mono for analysis derives from it.
    announce(options, "decode audio");
    out.audio_key = stage_key("decode", 1, "ffmpeg", {out.input_key}, std::to_string(channels));
    const fs::path audio_dir = run_stage(context, {"decode", "episode", "ffmpeg", out.audio_key}, [&](const fs::path& dir) {
        media::write_wav(dir / "original.wav", media::decode_audio(episode, kMixRate, channels), media::WavSampleFormat::Float32);
    });
    out.original = media::read_wav(audio_dir / "original.wav");
    out.duration_ms = out.original.duration_ms();
    const media::AudioBuffer speech = media::resample(media::mix_to_mono(out.original), kSpeechRate);

    // 2. Speech regions.
    announce(options, "find speech");
    auto vad = engines::make_voice_activity_detector(options.engines.vad);
    out.regions_key = stage_key("speech-regions", 1, vad->version(), {out.audio_key});
    const fs::path regions_dir = run_stage(context, {"speech-regions", "episode", vad->version(), out.regions_key},
                                           [&](const fs::path& dir) { write_json(dir / "regions.json", regions_to_json(vad->detect(speech))); });
    out.regions = regions_from_json(read_json(regions_dir / "regions.json"));

    // 3. Transcribe: chunks in parallel, one recognizer per worker (decoders keep state).
    auto probe_recognizer = engines::make_speech_recognizer(options.engines.asr);
    const std::string asr_identity = probe_recognizer->version();
    const auto chunks = asr_chunks(out.regions, out.duration_ms);
    announce(options, "transcribe " + std::to_string(chunks.size()) + " chunks");
    const std::string words_key = stage_key("transcribe", 1, asr_identity, {out.regions_key, out.audio_key}, options.source_language);
    const fs::path words_dir = run_stage(context, {"transcribe", "episode", asr_identity, words_key}, [&](const fs::path& dir) {
        const int jobs = std::min<int>(resolve_jobs(options.jobs), static_cast<int>(std::max<std::size_t>(1, chunks.size())));
        std::vector<std::unique_ptr<engines::SpeechRecognizer>> recognizers(static_cast<std::size_t>(jobs));
        recognizers[0] = std::move(probe_recognizer);
        std::vector<std::vector<Word>> per_chunk(chunks.size());
        parallel_for(chunks.size(), jobs, [&](std::size_t worker, std::size_t i) {
            auto& recognizer = recognizers[worker];
            if (!recognizer) recognizer = engines::make_speech_recognizer(options.engines.asr);
            const media::AudioBuffer piece = media::slice_ms(speech, chunks[i].start, chunks[i].end);
            per_chunk[i] = recognizer->recognize(piece, chunks[i].start, options.source_language);
        });
        std::vector<Word> words;
        for (auto& w : per_chunk) words.insert(words.end(), w.begin(), w.end());
        write_json(dir / "words.json", json(words));
    });
    const auto words = read_json(words_dir / "words.json").get<std::vector<Word>>();

    // 4. Lines and speakers.
    announce(options, "identify speakers");
    auto speakers = engines::make_speaker_identifier(options.engines.speakers);
    out.script_key = stage_key("source-script", 1, speakers->version(), {words_key, out.audio_key});
    const fs::path script_dir = run_stage(context, {"source-script", "episode", speakers->version(), out.script_key},
                                          [&](const fs::path& dir) {
        Script script{options.source_language, engines::words_to_lines(words)};
        const auto assignment = speakers->identify(speech, script.lines, {});
        for (std::size_t i = 0; i < script.lines.size() && i < assignment.line_speakers.size(); ++i)
            script.lines[i].speaker = assignment.line_speakers[i];
        write_script_json(dir / "script.json", script);
        write_json(dir / "characters.json", characters_to_json(assignment.characters));
    });
    out.script = read_script_json(script_dir / "script.json");
    out.characters = characters_from_json(read_json(script_dir / "characters.json"));
    return out;
}

}  // namespace dramaloc::pipeline
