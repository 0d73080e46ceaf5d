#include "pipeline/source_stages.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "engines/ocr.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

std::vector<Word> recognise_soundtrack(const media::AudioBuffer& speech, engines::SpeechRecognizer& recognizer,
                                       engines::VoiceActivityDetector& vad, std::string_view language) {
    std::vector<Word> words;
    for (const auto& chunk : asr_chunks(vad.detect(speech), speech.duration_ms())) {
        auto heard = recognizer.recognize(media::slice_ms(speech, chunk.start, chunk.end), chunk.start, language);
        words.insert(words.end(), std::make_move_iterator(heard.begin()), std::make_move_iterator(heard.end()));
    }
    return words;
}

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

SourceAnalysis analyse_source(StageContext& context, const fs::path& episode, const EpisodeFacts& facts, const LocalizeOptions& options) {
    SourceAnalysis out;
    out.has_audio = facts.audio_channels > 0;
    if (!out.has_audio && !options.languages.targets.empty())
        throw InputError(episode.string() + ": has no audio stream; dramaloc needs the episode's soundtrack to dub it");
    const int channels = std::clamp(facts.audio_channels, 1, 2);
    out.input_key = facts.input_key;
    out.duration_ms = facts.duration_ms;
    const SourceMode& mode = out.plan.mode;
    const DecodedAudio* audio = out.has_audio ? &out.audio : nullptr;
    StageSteps steps;
    steps[StageId::Hardsubs].run = [&] { out.plan = plan_source(context, episode, out.input_key, out.has_audio, options.source, options.engines.ocr, options.run.jobs);
    };
    steps[StageId::Decode].run = [&] {
        if (!audio) return;
        out.audio = decode_audio(context, episode, out.input_key, channels);
        out.duration_ms = out.audio.duration_ms();
    };
    steps[StageId::SpeechRegions].run = [&] {
        if (audio) out.speech = find_speech(context, out.audio, options.engines.vad);
    };
    // The lines: transcribed, imported, or read off the picture (and timed by the speech).
    steps[StageId::Transcribe].run = [&] {
        if (mode == SourceMode::Asr)
            out.lines = transcribe(context, out.audio, out.speech, options.engines.asr, options.source.language, options.run.jobs);
    };
    steps[StageId::Import].run = [&] {
        if (mode == SourceMode::Import)
            out.lines = import_script(context, options.source.choice.import_file, out.plan, out.speech, out.duration_ms);
    };
    steps[StageId::RefineTiming].run = [&] {
        if (mode == SourceMode::Ocr || mode == SourceMode::Both) out.lines = lines_from_picture(out.plan, out.speech);
    };
    steps[StageId::SourceScript].run = [&] { out.script = identify_speakers(context, out.lines, audio, mode, options.source, options.engines.speakers);
    };
    // The series' ids, once phase 2 has resolved them.
    steps[StageId::SeriesSpeakers].run = [&] {
        if (!options.source.speaker_map.empty()) apply_speaker_map(out.script, options.source.speaker_map, options.source.series_characters);
    };
    // Voice references for a cloning synthesizer, for the characters that have none yet (a
    // character met in an earlier episode keeps the clip cut there).
    steps[StageId::VoiceReference].run = [&] {
        if (options.engines.tts.clone && audio)
            out.voice_references = cut_voice_references(context, out.script, out.audio, options.engines.tts, options.source.language);
    };
    run_stages({StagePhase::Source, StagePhase::Characters}, steps);
    return out;
}

std::string ocr_unavailable_reason(const std::string& ocr, const std::string& language) {
    try {
        engines::make_text_recognizer(ocr)->require_language(language);
        return {};
    } catch (const EngineError& e) {
        return e.what();
    }
}

void require_recognizer_language(engines::SpeechRecognizer& recognizer, const LocalizeOptions& options) {
    require_recognizer_language(recognizer, options.engines.asr.backend, options.source.language, options.source.choice.mode != SourceMode::Asr);
}

void require_recognizer_language(engines::SpeechRecognizer& recognizer, const std::string& backend, const std::string& language,
                                 bool other_sources) {
    const auto languages = recognizer.languages();
    if (std::find(languages.begin(), languages.end(), language) != languages.end()) return;
    if (std::find(languages.begin(), languages.end(), "*") != languages.end()) return;  // a model that knows many
    std::string list;
    for (const auto& l : languages) list += (list.empty() ? "" : ", ") + l;
    throw EngineError("the " + backend + " speech recognizer cannot do \"" + language + "\" (it has: " + list +
                      "); configure another [engines.asr] backend" + (other_sources ? ", or use --source ocr or srt:FILE" : ""));
}

}  // namespace dramaloc::pipeline
