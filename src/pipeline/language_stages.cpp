#include "pipeline/language_stages.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/language.hpp"
#include "core/script_json.hpp"
#include "core/text_codec.hpp"
#include "core/version.hpp"
#include "dub/fit.hpp"
#include "dub/loudness.hpp"
#include "dub/mix.hpp"
#include "engines/translate.hpp"
#include "engines/tts.hpp"
#include "media/mux.hpp"
#include "media/wav.hpp"
#include "pipeline/artifact_json.hpp"
#include "core/parallel.hpp"
#include "pipeline/voices.hpp"
#include "subtitles/check.hpp"
#include "subtitles/segment.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Clips are kept this far apart when one has to move to avoid overlapping another.
constexpr TimeMs kClipGapMs = 40;

std::string rules_parameters(const subtitles::SubtitleRules& r, FrameRate fps) {
    return json{r.max_lines, r.max_chars_per_line, r.max_chars_per_second, r.min_duration, r.max_duration,
                r.min_gap_frames, fps.num, fps.den}
        .dump();
}

std::string lowercase_letters(const std::string& s) {
    std::string out;
    for (unsigned char c : s)
        if (std::isalnum(c) || c >= 0x80) out.push_back(static_cast<char>(std::tolower(c)));
    return out;
}

// A line whose translation is its source text (apertium passes unknown sentences through; a
// model that gave no usable answer leaves the line as it was). Between languages written
// alike, a short line can be the same in both ("Taxi!", "Total total.", a name): it counts
// only from three words (or six characters of an unspaced script) on.
bool looks_untranslated(const std::string& source, const std::string& target, const std::string& from, const std::string& to) {
    const std::string a = lowercase_letters(source), b = lowercase_letters(target);
    if (a.empty()) return false;
    if (b.empty()) return true;
    if (a != b || a.size() <= 3) return false;
    if (script_class(from) != script_class(to)) return true;
    std::size_t words = 0;
    bool in_word = false;
    for (const char c : source) {
        const bool space = c == ' ' || c == '\t';
        words += !space && !in_word;
        in_word = !space;
    }
    return words >= 3 || (words == 1 && utf8_length(source) >= 6 && script_class(from) != ScriptClass::Latin);
}

json finding(const std::string& rule, const std::string& severity, int line_id, double value, double limit,
             const std::string& message) {
    return {{"rule", rule}, {"severity", severity}, {"line_id", line_id}, {"value", value}, {"limit", limit}, {"message", message}};
}

// A language that came out (mostly) untranslated must not look like success: more than
// max_untranslated_share of its lines left as they were fails it, with one line naming the
// engine and what it answered.
void require_translated(const Script& source, const std::vector<std::string>& translated, const std::string& language,
                        const engines::Translator& translator, const LocalizeOptions& options) {
    std::size_t untranslated = 0;
    for (std::size_t i = 0; i < source.lines.size() && i < translated.size(); ++i)
        untranslated += looks_untranslated(source.lines[i].text, translated[i], source.language, language);
    const auto lines = static_cast<double>(source.lines.size());
    if (source.lines.empty() || static_cast<double>(untranslated) <= options.max_untranslated_share * lines) return;
    const std::string problem = translator.last_problem();
    char share[32];
    std::snprintf(share, sizeof share, "%g", 100.0 * options.max_untranslated_share);
    throw EngineError(std::to_string(untranslated) + " of " + std::to_string(source.lines.size()) +
                      " lines came back untranslated (more than " + share + " %) from the " + translator.name() +
                      " translator: " + (problem.empty() ? "it returned them unchanged" : problem) +
                      "; check [engines.translate], or raise [qc] max_untranslated");
}

}  // namespace

std::vector<SubtitleEvent> segment_stage(StageContext& context, const Script& script, const std::string& script_key,
                                         const subtitles::SubtitleRules& rules, FrameRate fps, std::string& key_out) {
    key_out = stage_key(StageId::Subtitles, "", {script_key}, rules_parameters(rules, fps));
    const fs::path dir = run_stage(context, {StageId::Subtitles, script.language, "", key_out}, [&](const fs::path& d) {
        write_json(d / "events.json", json(subtitles::segment_script(script, rules, fps)));
    });
    return read_json(dir / "events.json").get<std::vector<SubtitleEvent>>();
}

// The glossary renderings for `language` (part of the translate key: a new rendering must
// translate again). Empty without a glossary, so keys stay as they were for embedded runs.
std::string glossary_parameters(const LocalizeOptions& options, const std::string& language) {
    if (!options.series) return {};
    std::string out;
    for (const auto& e : options.series->glossary)
        if (const auto it = e.rendering.find(language); it != e.rendering.end()) out += "|" + e.source + "=" + it->second;
    if (!options.series->synopsis.empty()) out += "|synopsis=" + options.series->synopsis;
    return out;
}

LanguageResult localize_language(StageContext& context, const SourceAnalysis& source, const std::string& language,
                                 const LocalizeOptions& options, const subtitles::SubtitleRules& rules, FrameRate fps) {
    LanguageResult out;
    out.language = language;
    auto translator = engines::make_translator(options.translate_engine);
    std::unique_ptr<engines::SpeechSynthesizer> tts;  // made once the translation is stored, as before the walk
    // The walk's state: what each stage leaves for the next.
    std::string translate_key;
    std::size_t count = 0;
    std::vector<bool> edited;   // per line: a person's text
    std::map<int, int> takes;   // line id -> the take a person asked for by re-dubbing it
    json edit_findings = json::array();
    std::map<std::string, std::string> voices;
    struct Reference {
        std::string audio, text, hash;
    };
    std::map<std::string, Reference> references;
    std::string fit_parameters;
    struct Fitted {
        std::string synth_key;
        fs::path clip_dir;
        std::string key;
        media::AudioBuffer audio;
        json result;
        std::string text;           // what was spoken: the translation, or its shortened form
        std::string shorten_key;    // the last shortening's key, when there was one
        json rounds = json::array();
    };
    std::vector<Fitted> fitted;
    int rounds = 0;
    std::string spoken_key;
    std::vector<dub::ClipPlacement> placements;
    std::vector<TimeMs> shifted;
    json mix_report;
    StageSteps steps;

    // Translate, keeping ids, times and speakers; people's edits (pipeline/edits.hpp) then
    // replace their lines' text: what is keyed by that text is made again, every other line's
    // work comes from the store.
    steps[StageId::Translate].run = [&] {
        if (options.on_stage) options.on_stage(language + ": translate " + std::to_string(source.script.lines.size()) + " lines");
        translate_key =
            stage_key(StageId::Translate, translator->version(), {source.script_key}, source.script.language + ">" + language + glossary_parameters(options, language));
        const fs::path translate_dir =
            run_stage(context, {StageId::Translate, language, translator->version(), translate_key}, [&](const fs::path& dir) {
                std::vector<std::string> texts;
                for (const auto& line : source.script.lines) texts.push_back(line.text);
                engines::TranslationContext translation_context;
                translation_context.series = options.series.get();
                for (const auto& line : source.script.lines) {
                    translation_context.speakers.push_back(line.speaker);
                    translation_context.durations.push_back(line.duration());
                }
                const auto translated = translator->translate(texts, source.script.language, language, translation_context);
                // Not stored when it fails: the next run asks the engine again.
                require_translated(source.script, translated, language, *translator, options);
                Script target{language, {}};
                for (std::size_t i = 0; i < source.script.lines.size(); ++i) {
                    Line line = source.script.lines[i];
                    line.text = translated.at(i);
                    line.words.clear();
                    line.origin = LineOrigin::Translation;
                    target.lines.push_back(std::move(line));
                }
                write_script_json(dir / "script.json", target);
            });
        out.script = read_script_json(translate_dir / "script.json");
        {  // again for a stored translation, against today's [qc] max_untranslated
            std::vector<std::string> texts;
            for (const auto& line : out.script.lines) texts.push_back(line.text);
            require_translated(source.script, texts, language, *translator, options);
        }
        count = out.script.lines.size();
        edited.assign(count, false);
        for (const auto& line : out.script.lines) out.machine.push_back(line.text);
        if (const auto edits = options.edits.find(language); edits != options.edits.end())
            for (const auto& [id, e] : edits->second) {
                const auto at = std::find_if(out.script.lines.begin(), out.script.lines.end(), [id = id](const Line& l) { return l.id == id; });
                if (at != out.script.lines.end() && e.take > 0) takes[at->id] = e.take;
                if (at != out.script.lines.end() && !e.speaker.empty()) at->speaker = e.speaker;  // given to another character
                if (!e.sets_text) continue;  // re-dubbed or re-assigned only
                if (at == out.script.lines.end()) {
                    edit_findings.push_back(finding("edit_orphaned", "warning", id, 0, 0,
                                                    "line " + std::to_string(id) + " was edited, but the " + language + " script has no line " +
                                                        std::to_string(id) + " any more (its source changed): the edit is kept, not applied"));
                    continue;
                }
                if (at->text != e.machine)
                    edit_findings.push_back(finding("edit_upstream_changed", "warning", id, 0, 0,
                                                    "line " + std::to_string(id) + ": the machine translation is now \"" + at->text +
                                                        "\" (it was \"" + e.machine + "\" when edited); the edit \"" + e.text +
                                                        "\" is kept (dramaloc edit --revert takes the new translation)"));
                at->text = e.text;
                at->origin = LineOrigin::Manual;
                edited[static_cast<std::size_t>(at - out.script.lines.begin())] = true;
            }
        // Lines are synthesized and fitted in parallel (the engine serialises what it must): the
        // synthesizer, voices, references and fit settings they share.
        tts = engines::make_synthesizer(options.tts_engine);
        // The episode's characters keep their voices; a series character a person gave a line
        // to, who does not speak in this episode, gets one after them.
        std::vector<Character> cast = source.characters;
        for (const auto* known : {&options.series_characters, &options.known_characters})
            for (const auto& c : *known)
                if (std::none_of(cast.begin(), cast.end(), [&](const Character& k) { return k.id == c.id; }) &&
                    std::any_of(out.script.lines.begin(), out.script.lines.end(), [&](const Line& l) { return l.speaker == c.id; }))
                    cast.push_back(c);
        voices = assign_voices(cast, language, *tts);
        // A cloning synthesizer hears each character's reference clip: its content and transcript
        // are part of every clip's key.
        if (options.tts_engine.clone)
            for (const auto& c : source.characters)
                if (!c.reference_audio.empty()) references[c.id] = {c.reference_audio, c.reference_text, context.hashes.hash(c.reference_audio)};
        fit_parameters = json{options.fit.min_speed, options.fit.max_speed, options.fit.fill_slot}.dump();
        fitted.assign(count, Fitted{});
        rounds = translator->can_shorten() ? options.fit.shorten_rounds : 0;
        if (options.on_stage) options.on_stage(language + ": synthesize and fit " + std::to_string(count) + " lines");
    };

    // Per line: what it is called in the run log, and the room its clip has after its end.
    const auto scope_of = [&](std::size_t i) { return language + "/line " + std::to_string(out.script.lines[i].id); };
    const auto available_after = [&](std::size_t i) {
        const TimeMs next_start = i + 1 < count ? out.script.lines[i + 1].start : source.duration_ms;
        return std::max<TimeMs>(0, next_start - out.script.lines[i].end - kClipGapMs);
    };
    // Speak `text` as line i's character.
    const auto synthesize = [&](std::size_t i, const std::string& text) {
        const Line& line = out.script.lines[i];
        Fitted& f = fitted[i];
        const std::string voice = voices.count(line.speaker) ? voices.at(line.speaker) : voices.at("");
        const auto reference = references.find(line.speaker);
        const bool cloned = reference != references.end();
        // A re-dub asked for by a person (a new take) is a new key: synthesized again, not reused.
        json what = cloned ? json{voice, text, reference->second.text} : json{voice, text};
        if (const auto take = takes.find(line.id); take != takes.end()) what.push_back({{"take", take->second}});
        f.synth_key = cloned ? stage_key(StageId::Synthesize, tts->version(), {reference->second.hash}, what.dump())
                             : stage_key(StageId::Synthesize, tts->version(), {}, what.dump());
        f.clip_dir = run_stage(context, {StageId::Synthesize, scope_of(i), tts->version(), f.synth_key}, [&](const fs::path& dir) {
            engines::VoiceSpec spec;
            spec.language = language;
            spec.voice = voice;
            if (cloned) spec.reference_audio = reference->second.audio, spec.reference_text = reference->second.text;
            media::write_wav(dir / "clip.wav", tts->synthesize(text, spec), media::WavSampleFormat::Float32);
        });
        f.text = text;
    };
    // Stretch or squeeze line i's clip into its slot.
    const auto fit = [&](std::size_t i) {
        const Line& line = out.script.lines[i];
        Fitted& f = fitted[i];
        f.key = stage_key(StageId::Fit, "rubberband-r3", {f.synth_key}, json{line.duration(), available_after(i), fit_parameters}.dump());
        const fs::path fit_dir = run_stage(context, {StageId::Fit, scope_of(i), "rubberband-r3", f.key}, [&](const fs::path& dir) {
            const auto clip = media::read_wav(f.clip_dir / "clip.wav");
            const auto result = dub::fit_clip_to_slot(clip, line.duration(), available_after(i), options.fit);
            media::write_wav(dir / "fitted.wav", result.audio, media::WavSampleFormat::Float32);
            write_json(dir / "fit.json", {{"speed", result.speed}, {"overflow_ms", result.overflow_ms},
                                          {"borrowed_ms", result.borrowed_ms}, {"fits", result.fits}});
        });
        f.audio = media::read_wav(fit_dir / "fitted.wav");
        f.result = read_json(fit_dir / "fit.json");
    };
    steps[StageId::Synthesize].per_line = [&](std::size_t i) { synthesize(i, out.script.lines[i].text); };
    steps[StageId::Fit].per_line = fit;
    // A dub that does not fit even at the speed bound has its line shortened by the translator,
    // when it can, and is made again (fit.shorten_rounds rounds at most). A line a person wrote
    // is theirs: it is not shortened (QC reports the overflow).
    steps[StageId::Shorten].per_line = [&](std::size_t i) {
        const Line& line = out.script.lines[i];
        Fitted& f = fitted[i];
        for (int round = 1; round <= rounds && !edited[i] && !f.result.at("fits").get<bool>(); ++round) {
            // The clip at the speed bound overruns by overflow_ms: ask for that much less text.
            const auto room = static_cast<double>(line.duration() + available_after(i));
            const double share = room / (room + f.result.at("overflow_ms").get<double>());
            const auto characters = static_cast<double>(subtitles::grapheme_count(f.text));  // Thai and Arabic marks are no characters
            const int target = std::max(4, static_cast<int>(characters * share * 0.9));
            const std::string key = stage_key(StageId::Shorten, translator->version(), {translate_key}, json{line.id, f.text, target}.dump());
            const fs::path dir = run_stage(context, {StageId::Shorten, scope_of(i), translator->version(), key}, [&](const fs::path& d) {
                const auto shorter = translator->shorten(f.text, language, target);
                write_json(d / "shorten.json", {{"text", shorter ? json(*shorter) : json(nullptr)}});
            });
            const json answer = read_json(dir / "shorten.json").at("text");
            if (answer.is_null()) break;  // the engine had nothing usable: QC reports the overflow
            const std::string before = f.text;
            synthesize(i, answer.get<std::string>());
            fit(i);
            f.shorten_key = key;
            f.rounds.push_back({{"round", round}, {"max_chars", target}, {"from", before}, {"text", f.text},
                                {"fits", f.result.at("fits")}, {"overflow_ms", f.result.at("overflow_ms")}});
        }
    };

    // What is spoken: the translation, people's edits, shortened lines.
    steps[StageId::SpokenScript].run = [&] {
        spoken_key = translate_key;
        for (std::size_t i = 0; i < count; ++i) {
            if (edited[i]) spoken_key = stage_key(StageId::SpokenScript, "", {spoken_key}, json{out.script.lines[i].id, fitted[i].text}.dump());
            if (fitted[i].shorten_key.empty()) continue;
            out.script.lines[i].text = fitted[i].text;
            spoken_key = stage_key(StageId::SpokenScript, "", {spoken_key, fitted[i].shorten_key});
        }
    };
    // Subtitles, of what is spoken (shortened lines included).
    steps[StageId::Subtitles].run = [&] { out.events = segment_stage(context, out.script, spoken_key, rules, fps, out.subtitles_key); };

    // Mix: each clip at its line's start, pushed later only if the previous clip overflowed
    // into it (clips never overlap), over the ducked background.
    steps[StageId::Mix].run = [&] {
        const auto& lines = out.script.lines;
        shifted.assign(lines.size(), 0);
        TimeMs previous_end = 0;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            TimeMs start = lines[i].start;
            if (!placements.empty() && start < previous_end + kClipGapMs) {
                shifted[i] = previous_end + kClipGapMs - start;
                start += shifted[i];
            }
            placements.push_back({start, &fitted[i].audio});
            previous_end = start + fitted[i].audio.duration_ms();
        }
        if (options.on_stage) options.on_stage(language + ": mix");
        std::string placement_parameters;
        for (std::size_t i = 0; i < lines.size(); ++i) placement_parameters += fitted[i].key + "@" + std::to_string(placements[i].start) + ";";
        const auto& m = options.mix;
        const std::string stem_key = options.background_stem ? context.hashes.hash(*options.background_stem) : "";
        const std::string mix_engine = std::string("dramaloc-mix ") + kVersion;  // our own code, so our version
        out.dub_key = stage_key(StageId::Mix, mix_engine, {source.audio_key, source.regions_key, stem_key},
                                placement_parameters + json{m.duck_db, m.attack_ms, m.release_ms, m.centre_removal_for_stereo,
                                                            m.target_lufs, m.max_true_peak, m.sample_rate}.dump());
        const fs::path mix_dir = run_stage(context, {StageId::Mix, language, mix_engine, out.dub_key}, [&](const fs::path& dir) {
            std::vector<dub::SpeechRegionMs> speech;
            for (const auto& r : source.regions) speech.push_back({r.start, r.end});
            const fs::path* stem = options.background_stem ? &*options.background_stem : nullptr;
            const auto result = dub::mix_dub_to_wav(source.original_wav, speech, placements, stem, options.mix, dir / "dub.wav");
            // The loudness of the mix as written, for QC (measured while it was written).
            const auto finite_or_null = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
            write_json(dir / "mix.json", {{"integrated_lufs", finite_or_null(result.after.integrated_lufs)},
                                          {"true_peak_dbtp", finite_or_null(result.after.true_peak_dbtp)},
                                          {"gain_db", result.gain_db}, {"limited", result.limited}});
        });
        out.dub_wav = mix_dir / "dub.wav";
        mix_report = read_json(mix_dir / "mix.json");
    };
    // Encoded once, here (in parallel with the other languages): every video made with this
    // dub copies it, so an edit of one language re-encodes that language alone.
    steps[StageId::EncodeDub].run = [&] {
        const std::string aac_key = stage_key(StageId::EncodeDub, "ffmpeg-aac", {out.dub_key});
        const fs::path aac_dir = run_stage(context, {StageId::EncodeDub, language, "ffmpeg-aac", aac_key}, [&](const fs::path& dir) {
            media::encode_audio_m4a(out.dub_wav, dir / "dub.m4a", language);
        });
        out.dub_m4a = aac_dir / "dub.m4a";
    };

    // The translation keeps the source's lines, one for one: as many lines as the source has.
    run_stages({StagePhase::Language}, steps, source.script.lines.size(), resolve_jobs(options.jobs));
    const auto& lines = out.script.lines;
    const auto& m = options.mix;

    // 6. QC: subtitle rules, fit, loudness of the final mix as written, untranslated lines.
    json findings = edit_findings;
    for (const auto& v : subtitles::check_events(out.events, rules, fps)) {
        json f = finding(v.rule, subtitles::to_string(v.severity), 0, v.value, v.limit, v.message);
        f.erase("line_id");
        f["event_id"] = v.event_id;
        findings.push_back(f);
    }
    int fitting = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json& r = fitted[i].result;
        const int id = lines[i].id;
        if (r.at("fits").get<bool>()) ++fitting;
        else
            findings.push_back(finding("fit_overflow", "warning", id, r.at("overflow_ms").get<double>(), 0,
                                       "line " + std::to_string(id) + ": dub runs " + std::to_string(r.at("overflow_ms").get<TimeMs>()) +
                                           " ms past its slot even at " + std::to_string(options.fit.max_speed) + "x"));
        if (r.at("speed").get<double>() > 1.0 + 1e-6)
            findings.push_back(finding("fit_speed", "info", id, r.at("speed").get<double>(), options.fit.max_speed,
                                       "line " + std::to_string(id) + ": sped up to fit its slot"));
        if (!fitted[i].rounds.empty())
            findings.push_back(finding("fit_shortened", "info", id, static_cast<double>(fitted[i].rounds.size()), rounds,
                                       "line " + std::to_string(id) + ": shortened in " + std::to_string(fitted[i].rounds.size()) +
                                           " round(s) to fit its slot: \"" + fitted[i].text + "\""));
        if (shifted[i] > 0)
            findings.push_back(finding("clip_shifted", "warning", id, static_cast<double>(shifted[i]), 0,
                                       "line " + std::to_string(id) + ": dub starts " + std::to_string(shifted[i]) +
                                           " ms late because the previous line overflowed"));
        if (looks_untranslated(source.script.lines[i].text, lines[i].text, source.script.language, language))
            findings.push_back(finding("untranslated", "warning", id, 1, 0,
                                       "line " + std::to_string(id) + " was left untranslated: \"" + lines[i].text + "\""));
    }
    // A cloning synthesizer without a reference for a character speaks in its preset voice.
    for (const auto& [id, reference] : source.voice_references.items())
        if (reference.contains("reason"))
            findings.push_back(finding("no_voice_reference", "info", 0, 0, options.tts_engine.reference_min_s,
                                       "character " + id + " speaks in a preset voice: " + reference.at("reason").get<std::string>()));
    dub::LoudnessMeasurement loudness{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    if (!mix_report.at("integrated_lufs").is_null()) loudness.integrated_lufs = mix_report.at("integrated_lufs").get<double>();
    if (!mix_report.at("true_peak_dbtp").is_null()) loudness.true_peak_dbtp = mix_report.at("true_peak_dbtp").get<double>();
    const bool silent = !std::isfinite(loudness.integrated_lufs);
    if (!silent && std::abs(loudness.integrated_lufs - m.target_lufs) > 1.0)
        findings.push_back(finding("loudness", "error", 0, loudness.integrated_lufs, m.target_lufs,
                                   "integrated loudness is off target by more than 1 LU"));
    if (!silent && loudness.true_peak_dbtp > m.max_true_peak + 0.1)
        findings.push_back(finding("true_peak", "error", 0, loudness.true_peak_dbtp, m.max_true_peak, "true peak above the limit"));
    json clips = json::array();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json& r = fitted[i].result;
        clips.push_back({{"line_id", lines[i].id},
                         {"line_start_ms", lines[i].start},
                         {"line_end_ms", lines[i].end},
                         {"start_ms", placements[i].start},
                         {"end_ms", placements[i].start + fitted[i].audio.duration_ms()},
                         {"speed", r.at("speed")},
                         {"borrowed_ms", r.at("borrowed_ms")},
                         {"overflow_ms", r.at("overflow_ms")},
                         {"shifted_ms", shifted[i]},
                         {"shorten_rounds", fitted[i].rounds}});
    }
    int errors = 0, warnings = 0, untranslated = 0, over_reading_speed = 0, fit_overflows = 0;
    const auto edited_lines = std::count(edited.begin(), edited.end(), true);
    for (const auto& f : findings) {
        errors += f["severity"] == "error";
        warnings += f["severity"] == "warning";
        untranslated += f["rule"] == "untranslated";
        over_reading_speed += f["rule"] == "max_chars_per_second";
        fit_overflows += f["rule"] == "fit_overflow";
    }
    out.qc = {{"findings", findings},
              {"clips", clips},
              {"summary",
               {{"lines", lines.size()},
                {"events", out.events.size()},
                {"lines_fitting", fitting},
                {"untranslated", untranslated},
                {"over_reading_speed", over_reading_speed},
                {"fit_overflows", fit_overflows},
                {"edited", edited_lines},
                {"edit_conflicts", edit_findings.size()},
                {"integrated_lufs", silent ? json(nullptr) : json(loudness.integrated_lufs)},
                {"true_peak_dbtp", silent ? json(nullptr) : json(loudness.true_peak_dbtp)},
                {"errors", errors},
                {"warnings", warnings}}}};
    return out;
}

}  // namespace dramaloc::pipeline
