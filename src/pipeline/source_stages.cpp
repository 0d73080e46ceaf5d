#include "pipeline/source_stages.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/script_json.hpp"
#include "media/resample.hpp"
#include "engines/asr.hpp"
#include "engines/asr_lines.hpp"
#include "engines/ocr.hpp"
#include "engines/speakers.hpp"
#include "hardsubs/scan.hpp"
#include "pipeline/script_source.hpp"
#include "media/audio_decode.hpp"
#include "media/probe.hpp"
#include "media/wav.hpp"
#include "subtitles/format.hpp"
#include "pipeline/artifact_json.hpp"
#include "core/parallel.hpp"
#include "pipeline/voice_reference.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kSpeechRate = 16000;
constexpr int kMixRate = 48000;
constexpr double kMinAutoOcrConfidence = 0.6;

void announce(const LocalizeOptions& options, const std::string& what) {
    if (options.on_stage) options.on_stage(what);
}

}  // namespace

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

void refine_with_speech(std::vector<Line>& lines, const std::vector<engines::SpeechRegion>& regions, TimeMs tolerance_ms) {
    for (Line& line : lines) {
        const TimeMs start = line.start, end = line.end;
        TimeMs new_start = start, new_end = end;
        for (const auto& r : regions) {
            // Only speech that overlaps the line (or nearly) moves its edges, each edge onto
            // the like edge of that speech.
            if (r.end <= start - tolerance_ms || r.start >= end + tolerance_ms) continue;
            if (r.start < end && std::abs(r.start - start) <= tolerance_ms && new_start == start) new_start = r.start;
            if (r.end > start && std::abs(r.end - end) <= tolerance_ms) new_end = r.end;
        }
        if (new_start < new_end) line.start = new_start, line.end = new_end;
    }
    // Moving edges must not make neighbours overlap: the later line starts where the earlier ends.
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].start >= lines[i - 1].end) continue;
        const TimeMs moved = lines[i - 1].end;
        if (moved < lines[i].end) lines[i].start = moved;
        else lines[i - 1].end = lines[i].start;  // the earlier line gives way instead
    }
}

namespace {

json extraction_to_json(const hardsubs::HardsubExtraction& x) {
    json segments = json::array();
    for (const auto& s : x.segments) segments.push_back({s.first_frame, s.end_frame, s.start, s.end});
    json subtitles = json::array();
    for (const auto& s : x.subtitles)
        subtitles.push_back({{"start_ms", s.start}, {"end_ms", s.end}, {"text", s.text}, {"confidence", s.confidence},
                             {"segments", s.segments}});
    return {{"band", {x.band.y0, x.band.y1}}, {"segments", segments}, {"subtitles", subtitles}, {"frames", x.frames},
            {"frames_decoded", x.frames_decoded}, {"ocr_calls", x.ocr_calls}, {"ocr_failures", x.ocr_failures}, {"dropped_noise", x.dropped_noise},
            {"dropped_short", x.dropped_short}, {"decoded_again", x.decoded_again}, {"language", x.language}, {"engine", x.engine}};
}

hardsubs::HardsubExtraction extraction_from_json(const json& j) {
    hardsubs::HardsubExtraction x;
    x.band = {j.at("band").at(0).get<int>(), j.at("band").at(1).get<int>()};
    for (const auto& s : j.at("segments"))
        x.segments.push_back({s.at(0).get<std::int64_t>(), s.at(1).get<std::int64_t>(), s.at(2).get<TimeMs>(), s.at(3).get<TimeMs>()});
    for (const auto& s : j.at("subtitles"))
        x.subtitles.push_back({s.at("start_ms").get<TimeMs>(), s.at("end_ms").get<TimeMs>(), s.at("text").get<std::string>(),
                               s.at("confidence").get<float>(), s.at("segments").get<int>()});
    x.frames = j.at("frames").get<std::int64_t>();
    x.frames_decoded = j.at("frames_decoded").get<std::int64_t>();
    x.ocr_calls = j.at("ocr_calls").get<int>();
    x.ocr_failures = j.at("ocr_failures").get<int>();
    x.dropped_noise = j.at("dropped_noise").get<int>();
    x.dropped_short = j.at("dropped_short").get<int>();
    x.decoded_again = j.value("decoded_again", 0);
    x.language = j.value("language", std::string());
    x.engine = j.at("engine").get<std::string>();
    return x;
}

// Why the burned-in subtitles are not the source language's, or empty when they are: text in
// another language than the one spoken (Chinese subtitles over English speech) reads as
// nonsense with the source language's model, at a low confidence; the right model reads real
// subtitles at 0.8 and above.
std::string another_language_reason(const hardsubs::HardsubExtraction& x, const LocalizeOptions& options) {
    if (x.subtitles.empty()) return {};
    double sum = 0;
    for (const auto& s : x.subtitles) sum += s.confidence;
    const double mean = sum / static_cast<double>(x.subtitles.size());
    if (mean >= kMinAutoOcrConfidence) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", mean);
    return "the burned-in subtitles do not read as " + options.source_language + " (mean OCR confidence " + buf + "; they are probably in another language)";
}

// The burned-in subtitles: the band (given or found) and its text, from one decode of the
// episode (hardsubs/scan.hpp). nullopt when there are none.
std::optional<hardsubs::HardsubExtraction> read_hardsubs(StageContext& context, const fs::path& episode,
                                                         const LocalizeOptions& options, SourceAnalysis& out) {
    auto probe_ocr = engines::make_text_recognizer(options.engines.ocr);
    const std::string ocr_identity = probe_ocr->version();
    const std::string language = options.source_language;
    const std::string band = options.subtitle_band ? hardsubs::to_string(*options.subtitle_band) : "find";
    out.hardsubs_key = stage_key(StageId::Hardsubs, ocr_identity, {out.input_key}, band + "/" + language);
    announce(options, options.subtitle_band ? "read the burned-in subtitles (band " + band + ")"
                                            : "find and read the burned-in subtitles");
    const fs::path dir = run_stage(context, {StageId::Hardsubs, "episode", ocr_identity, out.hardsubs_key}, [&](const fs::path& d) {
        hardsubs::ScanOptions scan;
        scan.band = options.subtitle_band;
        scan.extract.language = language;
        scan.extract.ocr_backend = options.engines.ocr;
        scan.extract.jobs = options.jobs;
        const auto found = hardsubs::scan_hardsubs(episode, scan);
        json j = {{"frames_examined", found.detection.frames_examined},
                  {"frames_with_text", found.detection.frames_with_text},
                  {"band", found.detection.band ? json{found.detection.band->y0, found.detection.band->y1} : json(nullptr)},
                  {"extraction", found.extraction ? extraction_to_json(*found.extraction) : json(nullptr)}};
        write_json(d / "hardsubs.json", j);
    });
    const json j = read_json(dir / "hardsubs.json");
    if (j.at("extraction").is_null()) return std::nullopt;
    return extraction_from_json(j.at("extraction"));
}

std::vector<Line> lines_from_hardsubs(const hardsubs::HardsubExtraction& x) {
    std::vector<Line> lines;
    for (const auto& s : x.subtitles) {
        Line line;
        line.id = static_cast<int>(lines.size()) + 1;
        line.start = s.start;
        line.end = s.end;
        line.text = s.text;
        line.origin = LineOrigin::Ocr;
        lines.push_back(std::move(line));
    }
    return lines;
}


}  // namespace

namespace {

// The series' ids for this episode's voices (phase 2 of the factory): lines and characters
// renamed, each character as the series knows it, and a script key of its own.
void apply_speaker_map(SourceAnalysis& out, const LocalizeOptions& options) {
    const auto& map = options.speaker_map;
    for (Line& line : out.script.lines)
        if (const auto it = map.find(line.speaker); it != map.end()) line.speaker = it->second;
    for (Character& c : out.characters) {
        const auto it = map.find(c.id);
        if (it == map.end()) continue;
        const auto series = std::find_if(options.series_characters.begin(), options.series_characters.end(),
                                         [&](const Character& s) { return s.id == it->second; });
        if (series != options.series_characters.end()) c = *series;
        else c.id = it->second;
    }
    out.script_key = stage_key(StageId::SeriesSpeakers, "", {out.script_key}, json(map).dump());
}

}  // namespace

SourceAnalysis analyse_source(StageContext& context, const fs::path& episode, const media::MediaInfo& info,
                              const LocalizeOptions& options) {
    SourceAnalysis out;
    const auto* audio_stream = info.best_audio();
    out.has_audio = audio_stream != nullptr;
    if (!audio_stream && !options.target_languages.empty())
        throw InputError(episode.string() + ": has no audio stream; dramaloc needs the episode's soundtrack to dub it");
    const int channels = audio_stream ? std::min(2, std::max(1, audio_stream->channels)) : 1;
    out.input_key = context.hashes.hash(episode);
    media::AudioBuffer speech;   // 16 kHz mono, from decode
    std::vector<Line> lines;     // the lines before speakers: transcribed, read or imported
    std::string lines_key;
    StageSteps steps;

    // Which source: burned-in subtitles first when asked for or when auto finds them.
    steps[StageId::Hardsubs].run = [&] {
        out.mode = options.source.mode;
        if (out.mode == SourceMode::Auto) {
            if (const std::string why = ocr_unavailable_reason(options); !why.empty()) {
                out.mode = SourceMode::Asr;
                out.mode_note = "burned-in subtitles were not looked for (" + why + ")";
            }
        }
        if (out.mode == SourceMode::Import) {
            // The studio's script is the source. Burned-in subtitles, when there are some in the
            // source language, time a script without times and are compared with it (QC); in
            // another language they are kept for removal only.
            if (ocr_unavailable_reason(options).empty()) {
                auto found = read_hardsubs(context, episode, options, out);
                if (found && !found->subtitles.empty()) {
                    const std::string other = another_language_reason(*found, options);
                    out.hardsubs_say_the_script = other.empty();
                    if (!other.empty()) out.mode_note = other + "; they are not compared with the script";
                    out.hardsubs = std::move(found);
                } else {
                    out.hardsubs_key.clear();
                }
            }
        } else if (out.mode == SourceMode::Auto || out.mode == SourceMode::Ocr || out.mode == SourceMode::Both) {
            out.hardsubs = read_hardsubs(context, episode, options, out);
            bool usable = out.hardsubs && !out.hardsubs->subtitles.empty();
            std::string why = out.hardsubs ? "the subtitle band " + hardsubs::to_string(out.hardsubs->band) + " held no readable text"
                                           : "no burned-in subtitles were found";
            if (usable && out.mode == SourceMode::Auto) {
                if (const std::string other = another_language_reason(*out.hardsubs, options); !other.empty()) usable = false, why = other;
            }
            if (!usable) {
                if (out.mode == SourceMode::Ocr)
                    throw InputError(episode.string() + ": --source ocr, but " + why +
                                     "; use --source asr, or give --subtitle-band y0:y1 where they are");
                out.mode_note = why + "; the source script comes from speech recognition (--source ocr forces the subtitles)";
                out.mode = SourceMode::Asr;  // the extraction is kept: its text segments still guide removal
                if (!out.has_audio)
                    throw InputError(episode.string() + ": " + why + " and there is no audio stream to recognise speech in");
            } else if (out.mode == SourceMode::Auto) {
                out.mode = out.has_audio ? SourceMode::Both : SourceMode::Ocr;
                out.mode_note = "burned-in subtitles found in band " + hardsubs::to_string(out.hardsubs->band);
            }
        }

        if (!out.mode_note.empty()) announce(options, std::string("source script from ") + to_string(out.mode) + ": " + out.mode_note);
    };

    // Decode once: the 48 kHz soundtrack for the mix; 16 kHz mono for analysis derives from it.
    steps[StageId::Decode].run = [&] {
        if (!out.has_audio) {
            out.duration_ms = info.duration_ms;
            return;
        }
        announce(options, "decode audio");
        out.audio_key = stage_key(StageId::Decode, "ffmpeg", {out.input_key}, std::to_string(channels));
        const fs::path audio_dir = run_stage(context, {StageId::Decode, "episode", "ffmpeg", out.audio_key}, [&](const fs::path& dir) {
            // One decode: the 48 kHz original for the mix, and from it what analysis listens to,
            // 16 kHz mono (a fraction of the size). A second at a time: memory does not grow
            // with the episode.
            media::AudioDecoder decoder(episode, kMixRate, channels);
            media::StreamResampler to_speech(kMixRate, channels, kSpeechRate, 1);
            media::WavWriter original(dir / "original.wav", kMixRate, channels, media::WavSampleFormat::Float32);
            media::WavWriter speech_wav(dir / "speech.wav", kSpeechRate, 1, media::WavSampleFormat::Float32);
            std::vector<float> block(static_cast<std::size_t>(kMixRate) * static_cast<std::size_t>(channels));
            while (const SampleCount n = decoder.read(block)) {
                const std::span<const float> read(block.data(), static_cast<std::size_t>(n) * static_cast<std::size_t>(channels));
                original.write(read);
                speech_wav.write(to_speech.push(read));
            }
            speech_wav.write(to_speech.flush());
            original.finish();
            speech_wav.finish();
        });
        out.original_wav = audio_dir / "original.wav";
        {
            const media::WavReader original(out.original_wav);
            out.duration_ms = samples_to_ms(original.frames(), original.sample_rate());
        }
        speech = media::read_wav(audio_dir / "speech.wav");
    };

    steps[StageId::SpeechRegions].run = [&] {
        if (!out.has_audio) return;
        announce(options, "find speech");
        auto vad = engines::make_voice_activity_detector(options.engines.vad);
        out.regions_key = stage_key(StageId::SpeechRegions, vad->version(), {out.audio_key});
        const fs::path regions_dir = run_stage(context, {StageId::SpeechRegions, "episode", vad->version(), out.regions_key},
                                               [&](const fs::path& dir) { write_json(dir / "regions.json", regions_to_json(vad->detect(speech))); });
        out.regions = regions_from_json(read_json(regions_dir / "regions.json"));
    };

    // The lines: transcribed, imported, or read off the picture (and timed by the speech).
    steps[StageId::Transcribe].run = [&] {
        if (out.mode != SourceMode::Asr) return;
        auto probe_recognizer = engines::lease_speech_recognizer(options.asr_engine);
        require_recognizer_language(*probe_recognizer, options);
        const std::string asr_identity = probe_recognizer->version();
        const auto chunks = asr_chunks(out.regions, out.duration_ms);
        announce(options, "transcribe " + std::to_string(chunks.size()) + " chunks");
        lines_key = stage_key(StageId::Transcribe, asr_identity, {out.regions_key, out.audio_key}, options.source_language);
        const fs::path words_dir = run_stage(context, {StageId::Transcribe, "episode", asr_identity, lines_key}, [&](const fs::path& dir) {
            // One recogniser per worker, from the run's pool: its model is loaded once per run.
            const int jobs = std::min<int>(resolve_jobs(options.jobs), static_cast<int>(std::max<std::size_t>(1, chunks.size())));
            std::vector<engines::SpeechRecognizerLease> recognizers;
            recognizers.push_back(std::move(probe_recognizer));
            for (int w = 1; w < jobs; ++w) recognizers.push_back(nullptr);
            std::vector<std::vector<Word>> per_chunk(chunks.size());
            parallel_for(chunks.size(), jobs, [&](std::size_t worker, std::size_t i) {
                auto& recognizer = recognizers[worker];
                if (!recognizer) recognizer = engines::lease_speech_recognizer(options.asr_engine);
                const media::AudioBuffer piece = media::slice_ms(speech, chunks[i].start, chunks[i].end);
                per_chunk[i] = recognizer->recognize(piece, chunks[i].start, options.source_language);
            });
            std::vector<Word> words;
            for (auto& w : per_chunk) words.insert(words.end(), w.begin(), w.end());
            write_json(dir / "words.json", json(words));
        });
        lines = engines::words_to_lines(read_json(words_dir / "words.json").get<std::vector<Word>>(), out.regions);
    };
    steps[StageId::Import].run = [&] {
        if (out.mode != SourceMode::Import) return;
        ScriptFile script = read_script_file(options.source.import_file);
        const std::string file_key = context.hashes.hash(options.source.import_file);
        std::vector<Line> picture;
        if (out.hardsubs && out.hardsubs_say_the_script) picture = lines_from_hardsubs(*out.hardsubs);
        if (script.timed) {
            lines_key = stage_key(StageId::Import, "", {file_key});
            lines = std::move(script.lines);
        } else if (!picture.empty()) {
            lines_key = stage_key(StageId::Import, "timed-by-picture", {file_key, out.hardsubs_key});
            lines = time_by_matching_lines(std::move(script.lines), picture, out.duration_ms);
            announce(options, "the script's lines timed by the burned-in subtitles");
        } else {
            lines_key = stage_key(StageId::Import, "timed-by-speech", {file_key, out.regions_key});
            lines = time_by_speech(std::move(script.lines), out.regions, out.duration_ms);
            announce(options, "the script's lines timed by the speech");
        }
        if (!picture.empty()) {
            out.script_disagreements = compare_script_with_picture(lines, picture);
            if (!out.script_disagreements.empty())
                announce(options, "the script and the burned-in subtitles disagree on " + std::to_string(out.script_disagreements.size()) +
                                      " lines (qc.json: source.script_disagreements)");
        }
    };
    steps[StageId::RefineTiming].run = [&] {
        if (out.mode != SourceMode::Ocr && out.mode != SourceMode::Both) return;
        lines = lines_from_hardsubs(*out.hardsubs);
        lines_key = out.hardsubs_key;
        if (out.mode == SourceMode::Both) {
            refine_with_speech(lines, out.regions);
            lines_key = stage_key(StageId::RefineTiming, "speech-regions", {out.hardsubs_key, out.regions_key});
        }
    };

    // Speakers, from the voices (when there is a soundtrack).
    steps[StageId::SourceScript].run = [&] {
        announce(options, "identify speakers");
        auto speakers = engines::make_speaker_identifier(options.engines.speakers);
        // Who is known decides the ids; their voice references do not (and live at paths that move).
        std::vector<Character> known_voices = options.known_characters;
        for (auto& c : known_voices) c.reference_audio.clear(), c.reference_text.clear();
        out.script_key = stage_key(StageId::SourceScript, speakers->version(), {lines_key, out.audio_key},
                                   std::string(to_string(out.mode)) + "/" + options.source_language +
                                       (known_voices.empty() ? std::string() : "/known=" + characters_to_json(known_voices).dump()));
        const fs::path script_dir = run_stage(context, {StageId::SourceScript, "episode", speakers->version(), out.script_key},
                                              [&](const fs::path& dir) {
            Script script{options.source_language, {}};
            // No line spans two voices: a line in which another voice takes over is two lines.
            for (const Line& line : lines) {
                const auto turns = out.has_audio ? speakers->voice_turns(speech, line) : std::vector<engines::VoiceTurn>{};
                for (Line& part : engines::split_line_at_turns(line, turns)) script.lines.push_back(std::move(part));
            }
            for (std::size_t i = 0; i < script.lines.size(); ++i) script.lines[i].id = static_cast<int>(i) + 1;
            engines::SpeakerAssignment assignment;
            if (out.has_audio && !script.lines.empty()) assignment = speakers->identify(speech, script.lines, options.known_characters);
            for (std::size_t i = 0; i < script.lines.size() && i < assignment.line_speakers.size(); ++i)
                script.lines[i].speaker = assignment.line_speakers[i];
            write_script_json(dir / "script.json", script);
            write_json(dir / "characters.json", characters_to_json(assignment.characters));
        });
        out.script = read_script_json(script_dir / "script.json");
        out.characters = characters_from_json(read_json(script_dir / "characters.json"));
        for (auto& c : out.characters) {  // references are this run's, not those of the run that made the artifact
            const auto known = std::find_if(options.known_characters.begin(), options.known_characters.end(),
                                            [&](const Character& k) { return k.id == c.id; });
            c.reference_audio = known == options.known_characters.end() ? "" : known->reference_audio;
            c.reference_text = known == options.known_characters.end() ? "" : known->reference_text;
        }
    };

    // The series' ids, once phase 2 has resolved them.
    steps[StageId::SeriesSpeakers].run = [&] {
        if (!options.speaker_map.empty()) apply_speaker_map(out, options);
    };
    // Voice references for a cloning synthesizer, for the characters that have none yet (a
    // character met in an earlier episode keeps the clip cut there).
    steps[StageId::VoiceReference].run = [&] {
        if (options.tts_engine.clone && out.has_audio) add_voice_references(context, out, speech, options);
    };

    run_stages({StagePhase::Source, StagePhase::Characters}, steps);
    return out;
}

void add_voice_references(StageContext& context, SourceAnalysis& out, const media::AudioBuffer& speech, const LocalizeOptions& options) {
    std::vector<std::string> missing;
    for (const auto& c : out.characters)
        if (c.reference_audio.empty()) missing.push_back(c.id);
    if (missing.empty()) return;
    ReferenceOptions limits;
    limits.min_s = options.tts_engine.reference_min_s;
    limits.max_s = options.tts_engine.reference_max_s;
    limits.target_s = std::clamp(8.0, limits.min_s, limits.max_s);
    announce(options, "cut voice references for " + std::to_string(missing.size()) + " characters");
    const std::string key = stage_key(StageId::VoiceReference, "", {out.script_key, out.audio_key},
                                      json{missing, limits.min_s, limits.max_s, limits.target_s, limits.gap_ms}.dump());
    const fs::path dir = run_stage(context, {StageId::VoiceReference, "episode", "", key}, [&](const fs::path& d) {
        const auto measures = measure_lines(speech, out.script.lines);
        json report = json::object();
        for (std::size_t k = 0; k < missing.size(); ++k) {
            const auto who = std::find_if(out.characters.begin(), out.characters.end(), [&](const Character& c) { return c.id == missing[k]; });
            const auto choice = choose_reference(out.script.lines, measures, missing[k], who->median_pitch_hz, options.source_language, limits);
            if (choice.lines.empty()) {
                report[missing[k]] = {{"reason", choice.reason}};
                continue;
            }
            const std::string file = "reference-" + std::to_string(k + 1) + ".wav";
            media::write_wav(d / file, cut_reference(out.original_wav, choice.lines, limits.gap_ms), media::WavSampleFormat::Pcm16);
            json ids = json::array();
            for (const auto& l : choice.lines) ids.push_back(l.id);
            report[missing[k]] = {{"file", file}, {"text", choice.text}, {"seconds", choice.seconds}, {"line_ids", ids}};
        }
        write_json(d / "references.json", report);
    });
    out.voice_references = read_json(dir / "references.json");
    for (auto& c : out.characters) {
        const auto it = out.voice_references.find(c.id);
        if (it == out.voice_references.end() || !it->contains("file")) continue;
        c.reference_audio = (dir / it->at("file").get<std::string>()).string();
        c.reference_text = it->at("text").get<std::string>();
    }
}

std::string ocr_unavailable_reason(const LocalizeOptions& options) {
    try {
        engines::make_text_recognizer(options.engines.ocr)->require_language(options.source_language);
        return {};
    } catch (const EngineError& e) {
        return e.what();
    }
}

void require_recognizer_language(engines::SpeechRecognizer& recognizer, const LocalizeOptions& options) {
    const auto languages = recognizer.languages();
    if (std::find(languages.begin(), languages.end(), options.source_language) != languages.end()) return;
    if (std::find(languages.begin(), languages.end(), "*") != languages.end()) return;  // a model that knows many
    std::string list;
    for (const auto& l : languages) list += (list.empty() ? "" : ", ") + l;
    throw EngineError("the " + options.engines.asr + " speech recognizer cannot do \"" + options.source_language +
                      "\" (it has: " + list + "); configure another [engines.asr] backend" +
                      (options.source.mode == SourceMode::Asr ? "" : ", or use --source ocr or srt:FILE"));
}

}  // namespace dramaloc::pipeline
