#include "pipeline/localize.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <system_error>
#include <thread>

#include "core/atomic_file.hpp"
#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/language.hpp"
#include "core/script_json.hpp"
#include "core/version.hpp"
#include "engines/asr.hpp"
#include "engines/ocr.hpp"
#include "engines/translate.hpp"
#include "engines/tts.hpp"
#include "media/mux.hpp"
#include "media/probe.hpp"
#include "media/video_encode.hpp"
#include "media/wav.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/language_stages.hpp"
#include "core/parallel.hpp"
#include "pipeline/script_source.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/voices.hpp"
#include "subtitles/format.hpp"
#include "subtitles/render/ass_renderer.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

void apply_config(LocalizeOptions& o, const Config& c) {
    // Types and ranges were checked with the file (settings_schema.cpp); what is checked here
    // is what one key cannot say alone, and files the keys name.
    o.engines.vad = c.get_string_or("engines.vad.backend", o.engines.vad);
    o.asr_engine = engines::engine_settings(c, "asr", o.engines.asr);
    o.engines.asr = o.asr_engine.backend;
    o.engines.speakers = c.get_string_or("engines.speakers.backend", o.engines.speakers);
    o.translate_engine = engines::engine_settings(c, "translate", o.engines.translate);
    o.engines.translate = o.translate_engine.backend;
    // [cast.lin] name = "Lin Xia", register = "high", pitch_hz = 225, voices.es = "es+f2"
    for (const auto& id : c.keys("cast")) {
        const std::string at = "cast." + id + ".";
        Character character;
        character.id = id;
        character.name = c.get_string_or(at + "name", id);
        const std::string reg = c.get_string_or(at + "register", "");
        character.voice_register = reg == "high" ? VoiceRegister::High : reg == "low" ? VoiceRegister::Low : VoiceRegister::Unknown;
        character.median_pitch_hz = static_cast<float>(c.get_double_or(at + "pitch_hz", 0.0));
        if (character.voice_register == VoiceRegister::Unknown && character.median_pitch_hz > 0)
            character.voice_register = character.median_pitch_hz < 165 ? VoiceRegister::Low : VoiceRegister::High;
        for (const auto& language : c.keys("cast." + id + ".voices"))
            if (auto voice = c.get_string(at + "voices." + language)) character.voice_per_language[language] = *voice;
        // A clip of the actor for a cloning synthesizer, instead of one cut from the episodes.
        if (auto clip = c.get_string(at + "reference_audio")) {
            const fs::path path = fs::path(*clip).is_absolute() ? fs::path(*clip) : fs::path(c.source_name()).parent_path() / *clip;
            character.reference_text = c.get_string_or(at + "reference_text", "");
            if (character.reference_text.empty())
                throw ConfigError(c.where(at + "reference_audio") + ": cast." + id + ".reference_audio needs reference_text, what is said in the clip");
            std::error_code ec;
            if (!fs::is_regular_file(path, ec))
                throw ConfigError(c.where(at + "reference_audio") + ": cast." + id + ".reference_audio: " + path.string() + " is not a file");
            character.reference_audio = path.string();
        }
        o.known_characters.push_back(std::move(character));
    }
    // [glossary."林小姐"] en = "Miss Lin": the rendering each target language requires.
    if (const auto terms = c.keys("glossary"); !terms.empty()) {
        auto series = std::make_shared<Series>(o.series ? *o.series : Series{});
        for (const auto& term : terms) {
            GlossaryEntry entry;
            entry.source = term;
            for (const auto& language : c.keys("glossary." + term))
                if (auto rendering = c.get_string("glossary." + term + "." + language)) entry.rendering[language] = *rendering;
            series->glossary.push_back(std::move(entry));
        }
        o.series = series;
    }
    // [series] synopsis = "…": context for the translator (also in a series file).
    if (auto synopsis = c.get_string("series.synopsis")) {
        auto series = std::make_shared<Series>(o.series ? *o.series : Series{});
        series->synopsis = *synopsis;
        o.series = series;
    }
    o.tts_engine = engines::engine_settings(c, "tts", o.engines.tts);
    o.engines.tts = o.tts_engine.backend;
    o.engines.ocr = c.get_string_or("engines.ocr.backend", o.engines.ocr);
    o.removal.method = hardsubs::removal_method_from_string(c.get_string_or("hardsubs.removal", hardsubs::to_string(o.removal.method)));
    o.removal.inpaint_budget_ms = c.get_double_or("hardsubs.inpaint_budget_ms", o.removal.inpaint_budget_ms);
    o.removal.inpaint_radius = static_cast<int>(c.get_int_or("hardsubs.inpaint_radius", o.removal.inpaint_radius));
    o.fit.min_speed = c.get_double_or("fit.min_speed", o.fit.min_speed);
    o.fit.max_speed = c.get_double_or("fit.max_speed", o.fit.max_speed);
    o.fit.fill_slot = c.get_bool_or("fit.fill_slot", o.fit.fill_slot);
    o.fit.shorten_rounds = static_cast<int>(c.get_int_or("fit.shorten_rounds", o.fit.shorten_rounds));
    o.mix.duck_db = c.get_double_or("mix.duck_db", o.mix.duck_db);
    o.mix.attack_ms = c.get_int_or("mix.attack_ms", o.mix.attack_ms);
    o.mix.release_ms = c.get_int_or("mix.release_ms", o.mix.release_ms);
    o.mix.centre_removal_for_stereo = c.get_bool_or("mix.centre_removal", o.mix.centre_removal_for_stereo);
    o.mix.target_lufs = c.get_double_or("mix.target_lufs", o.mix.target_lufs);
    o.mix.max_true_peak = c.get_double_or("mix.max_true_peak_dbtp", o.mix.max_true_peak);
    o.max_untranslated_share = c.get_double_or("qc.max_untranslated", o.max_untranslated_share);
}

std::vector<std::pair<std::string, engines::EngineSettings>> run_engines(const LocalizeOptions& o) {
    using engines::embedded_engine;
    return {{"vad", embedded_engine(o.engines.vad)}, {"asr", o.asr_engine},
            {"ocr", embedded_engine(o.engines.ocr)}, {"speakers", embedded_engine(o.engines.speakers)},
            {"translate", o.translate_engine},       {"tts", o.tts_engine}};
}

const char* to_string(SourceMode mode) noexcept {
    switch (mode) {
        case SourceMode::Auto: return "auto";
        case SourceMode::Asr: return "asr";
        case SourceMode::Ocr: return "ocr";
        case SourceMode::Both: return "both";
        case SourceMode::Import: return "import";
    }
    return "auto";
}

SourceChoice parse_source_choice(const std::string& text) {
    if (text == "auto" || text.empty()) return {SourceMode::Auto, {}};
    if (text == "asr") return {SourceMode::Asr, {}};
    if (text == "ocr") return {SourceMode::Ocr, {}};
    if (text == "both") return {SourceMode::Both, {}};
    if (text.rfind("srt:", 0) == 0 && text.size() > 4) return {SourceMode::Import, text.substr(4)};
    throw InputError("--source " + text + ": use asr, ocr, both, auto, or srt:FILE (a .srt, .vtt, .ass or .ttml script)");
}

void validate(const LocalizeOptions& options, bool episode_files) {
    language_or_throw(options.source_language);
    for (const auto& l : options.target_languages) language_or_throw(l);
    for (const auto& b : options.burn_in_languages) {
        if (b != options.source_language &&
            std::find(options.target_languages.begin(), options.target_languages.end(), b) == options.target_languages.end())
            throw UsageError("--burn-in " + b + " is not among the target languages (--to) nor the source language");
    }
    if (options.remove_hardsubs && options.burn_in_languages.empty())
        throw UsageError("--remove-hardsubs cleans the picture of the --burn-in videos; add --burn-in LANG");
    const SourceMode mode = options.source.mode;
    if (options.remove_hardsubs && mode == SourceMode::Asr)
        throw UsageError("--remove-hardsubs needs the burned-in subtitles read: use --source ocr, both or auto");
    if (options.subtitle_band && mode == SourceMode::Asr)
        throw UsageError("--subtitle-band has no effect with --source " + std::string(to_string(mode)) +
                         "; use --source ocr, both or auto (or a script) to read the burned-in subtitles");
    const bool ocr_possible = ocr_unavailable_reason(options).empty();
    if (mode == SourceMode::Asr || (mode == SourceMode::Auto && !ocr_possible)) {
        // Speech is certainly (asr) or surely-if-anything (auto without OCR) the source: check it now.
        auto recognizer = engines::make_speech_recognizer(options.asr_engine);
        require_recognizer_language(*recognizer, options);
    }
    if (episode_files) validate_episode_files(options);
    if ((mode == SourceMode::Ocr || mode == SourceMode::Both || options.remove_hardsubs) && !ocr_possible)
        engines::make_text_recognizer(options.engines.ocr)->require_language(options.source_language);  // throws why
    auto translator = engines::make_translator(options.translate_engine);
    for (const auto& target : options.target_languages) {
        if (target == options.source_language || translator->supports(options.source_language, target)) continue;
        try {
            translator->translate({"check"}, options.source_language, target);  // throws the engine's own message
        } catch (const EngineError& e) {
            if (script_class(options.source_language) != ScriptClass::Cjk || options.engines.translate != "apertium") throw;
            throw EngineError("the embedded apertium translator has no pairs from " + find_language(options.source_language)->english_name +
                              " (" + options.source_language + " -> " + target + "); translating it needs an LLM translator: " +
                              "configure [engines.translate] backend = \"openai\" (production engines, docs/configuration.md), " +
                              "or run without --to to get the " + options.source_language + " script and subtitles");
        }
    }
    if (!options.target_languages.empty()) {
        auto tts = engines::make_synthesizer(options.tts_engine);
        for (const auto& target : options.target_languages) assign_voices({}, target, *tts);
    }
}

void validate_episode_files(const LocalizeOptions& options) {
    if (options.source.mode == SourceMode::Import) {
        require_readable_file(options.source.import_file);
        read_script_file(options.source.import_file);  // a malformed script fails before any work
    }
    if (options.background_stem) require_readable_file(*options.background_stem);
}

namespace {

std::string language_title(const std::string& tag, const char* what) {
    const auto info = find_language(tag);
    return (info ? info->english_name : tag) + " " + what;
}

// Copies an artifact file to its output name atomically.
LanguageQc language_qc(const json& summary) {
    LanguageQc q;
    q.lines = summary.at("lines").get<int>();
    q.untranslated = summary.at("untranslated").get<int>();
    q.over_reading_speed = summary.at("over_reading_speed").get<int>();
    q.fit_overflows = summary.at("fit_overflows").get<int>();
    if (!summary.at("integrated_lufs").is_null()) q.integrated_lufs = summary.at("integrated_lufs").get<double>();
    return q;
}

// What a published copy was made from, and the size and time it had once written: a file
// whose record still holds is not copied again (a re-render after one edited line copies
// the one dub that changed, not every language's).
json published_record(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    const auto size = fs::file_size(to, ec);
    if (ec) return nullptr;
    const auto time = fs::last_write_time(to, ec);
    if (ec) return nullptr;
    const auto since_epoch = std::chrono::file_clock::to_sys(time).time_since_epoch();
    return {{"from", from.string()},
            {"size", size},
            {"mtime_ns", static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count())}};
}

// Copies an artifact file to its output name atomically, unless `before` (the record of the
// last run's copy) shows the output already is that artifact. Records the copy in `after`.
void publish(const fs::path& from, const fs::path& to, const json& before, json& after) {
    const std::string name = to.filename().string();
    if (!before.contains(name) || before.at(name) != published_record(from, to)) {
        AtomicFile out(to);
        std::error_code ec;
        fs::copy_file(from, out.temp_path(), fs::copy_options::overwrite_existing, ec);
        if (ec) throw IoError("cannot write " + to.string() + ": " + ec.message());
        out.commit();
    }
    after[name] = published_record(from, to);
}

// The copies the last run published into `folder` (its manifest's "published"), or {}.
json last_published(const fs::path& folder) {
    try {
        const json manifest = read_json(folder / "manifest.json");
        if (manifest.contains("published") && manifest.at("published").is_object()) return manifest.at("published");
    } catch (const Error&) {
        // none, or unreadable: everything is copied again
    }
    return json::object();
}

subtitles::RenderStyle burn_style(const media::MediaInfo& info, const std::string& language) {
    const auto* video = info.best_video();
    const int width = video ? video->width : 1080;
    subtitles::RenderStyle style;
    subtitles::WriteOptions w;
    w.language = language;
    w.video_width = width;
    w.video_height = video ? video->height : 1920;
    style.font = subtitles::resolved_font_name(w);
    style.font_size_px = subtitles::resolved_font_size(w);
    style.margin_bottom_px = (video ? video->height : 1920) * 12 / 100;
    return style;
}

}  // namespace

void remember_characters(std::vector<Character>& known, const std::vector<Character>& met) {
    for (const auto& c : met) {
        const auto same = std::find_if(known.begin(), known.end(), [&](const Character& k) { return k.id == c.id; });
        if (same == known.end()) known.push_back(c);
        else fill_in(*same, c);  // a cast entry learns its voice, and keeps the first clip cut for it
    }
}

EpisodeOutputs localize_episode(const fs::path& episode, const LocalizeOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    require_readable_file(episode);
    const std::string name = episode.stem().string();
    EpisodeOutputs result;
    result.folder = options.out_dir / name;
    const fs::path store_root = options.store_dir.empty() ? options.out_dir / ".dramaloc-store" : options.store_dir;
    ArtifactStore store = options.artifacts_url.empty()
                              ? ArtifactStore(store_root)
                              : ArtifactStore(store_root, make_s3_object_store(s3_location_from_url(options.artifacts_url)));
    RunLog log;
    FileHashCache hashes(store.root() / "file-hashes.json");
    StageContext context{store, log, hashes};

    const media::MediaInfo info = media::probe(episode);
    const auto* video = info.best_video();
    if (!video) throw InputError(episode.string() + ": has no video stream");
    const FrameRate fps = video->frame_rate.num > 0 ? video->frame_rate : FrameRate{30, 1};

    const SourceAnalysis source = analyse_source(context, episode, info, options);
    hashes.save();
    if (options.remove_hardsubs && !source.hardsubs)
        throw InputError(episode.string() + ": --remove-hardsubs, but " +
                         (source.mode_note.empty() ? std::string("no burned-in subtitles were read") : source.mode_note) +
                         "; give --subtitle-band y0:y1 where they are, or drop --remove-hardsubs");
    const auto rules_for = [&](const std::string& lang) {
        auto rules = subtitles::rules_for_language(lang);
        if (options.config) subtitles::apply_overrides(rules, *options.config, lang);
        return rules;
    };

    std::string source_events_key;
    const auto source_events = segment_stage(context, source.script, source.script_key, rules_for(source.script.language), fps,
                                             source_events_key);

    // Languages in parallel, lines in parallel inside each: split the workers between them. A
    // language whose work fails is left out; the others go on.
    std::vector<std::optional<LanguageResult>> attempts(options.target_languages.size());
    std::vector<std::string> failures(options.target_languages.size());
    const int jobs = resolve_jobs(options.jobs);
    LocalizeOptions per_language = options;
    per_language.jobs = std::max(1, jobs / static_cast<int>(std::max<std::size_t>(1, attempts.size())));
    parallel_for(attempts.size(), jobs, [&](std::size_t, std::size_t i) {
        const auto& lang = options.target_languages[i];
        try {
            attempts[i] = localize_language(context, source, lang, per_language, rules_for(lang), fps);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            if (options.language_failure_ends_run) throw;
            failures[i] = lang + ": " + e.what();
        }
    });
    std::vector<LanguageResult> languages;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        if (attempts[i]) languages.push_back(std::move(*attempts[i]));
        else result.failed_languages[options.target_languages[i]] = failures[i];
    }
    std::vector<std::string> burn_in;  // of the languages that did not fail
    for (const auto& lang : options.burn_in_languages)
        if (!result.failed_languages.count(lang)) burn_in.push_back(lang);

    // The episode's stages. Mux: the input video copied, the original audio, one dub and one
    // subtitle track per language (nothing to mux when only the source script was asked for, nor
    // in a factory job that does not publish).
    fs::path mux_dir;
    std::vector<std::pair<std::string, fs::path>> burned;
    json removals = json::object();
    StageSteps steps;
    steps[StageId::Mux].run = [&] {
        if (options.on_stage && !languages.empty()) options.on_stage("mux");
        if (languages.empty() || !options.publish) return;
        std::string mux_parameters;
        for (const auto& l : languages) mux_parameters += l.dub_key + "," + l.subtitles_key + ";";
        const std::string mux_key = stage_key(StageId::Mux, "ffmpeg", {source.input_key, source_events_key}, mux_parameters);
        mux_dir = run_stage(context, {StageId::Mux, "episode", "ffmpeg", mux_key}, [&](const fs::path& dir) {
            std::vector<media::AudioTrackSpec> audio;
            std::vector<media::SubtitleTrackSpec> subs;
            subs.push_back({source_events, source.script.language, language_title(source.script.language, "(original)")});
            for (std::size_t i = 0; i < languages.size(); ++i) {
                media::AudioTrackSpec track;
                track.encoded_file = languages[i].dub_m4a;  // encoded once, copied
                track.language = languages[i].language;
                track.title = language_title(languages[i].language, "dub");
                track.is_default = i == 0;
                audio.push_back(track);
                subs.push_back({languages[i].events, languages[i].language, language_title(languages[i].language, "subtitles")});
            }
            media::MuxOptions mux_options;
            mux_options.original_audio_title = language_title(source.script.language, "(original)");
            media::mux_localized_mp4(episode, dir / "localized.mp4", audio, subs, mux_options);
        });
    };

    // Burned-in versions: subtitles painted with libass, H.264 re-encoded, that language's dub.
    steps[StageId::BurnIn].run = [&] {
        for (const auto& lang : burn_in) {
            const bool is_source = lang == source.script.language;
            const LanguageResult* l = nullptr;
            for (const auto& r : languages) if (r.language == lang) l = &r;
            const auto& events = l ? l->events : source_events;
            const bool remove = options.remove_hardsubs;
            const std::string removal_parameters =
                remove ? std::string(hardsubs::to_string(options.removal.method)) + "/" + std::to_string(options.removal.inpaint_radius) + "/" +
                             std::to_string(options.removal.inpaint_budget_ms)
                       : "";
            const std::string burn_key = stage_key(StageId::BurnIn, "libass+x264", {source.input_key, l ? l->subtitles_key : source_events_key,
                                                                                   l ? l->dub_key : "", remove ? source.hardsubs_key : ""},
                                                   removal_parameters);
            if (options.on_stage) options.on_stage(lang + ": burn in subtitles");
            const fs::path dir = run_stage(context, {StageId::BurnIn, lang, "libass+x264", burn_key}, [&](const fs::path& d) {
                subtitles::SubtitleRenderer renderer(video->width, video->height, burn_style(info, lang));
                renderer.set_events(events, lang);
                const fs::path painted = d / "painted.mp4";
                std::optional<hardsubs::HardsubRemover> remover;
                if (remove) remover.emplace(source.hardsubs->band, source.hardsubs->segments, options.removal);
                media::transcode_video(episode, painted, [&](media::VideoFrameRgb& frame, TimeMs pts) {
                    if (remover) remover->clean(frame.pixels, frame.width, frame.height, frame.stride, frame.index);
                    renderer.render(pts, frame.pixels, frame.stride);
                });
                if (remover) {
                    const auto& r = remover->report();
                    write_json(d / "removal.json", {{"method", r.method}, {"frames", r.frames_seen}, {"frames_cleaned", r.frames_cleaned},
                                                    {"inpaint_ms_per_frame", r.inpaint_ms_per_frame},
                                                    {"blur_ms_per_frame", r.blur_ms_per_frame}});
                }
                if (is_source) {
                    fs::rename(painted, d / "burned.mp4");
                    return;
                }
                media::AudioTrackSpec track;
                track.encoded_file = l->dub_m4a;
                track.language = lang;
                track.title = language_title(lang, "dub");
                track.is_default = true;
                media::MuxOptions o;
                o.keep_original_audio = false;
                media::mux_localized_mp4(painted, d / "burned.mp4", {track}, {}, o);
                fs::remove(painted);
            });
            burned.emplace_back(lang, dir / "burned.mp4");
            if (fs::exists(dir / "removal.json")) removals[lang] = read_json(dir / "removal.json");
        }
    };
    run_stages({StagePhase::Episode}, steps);

    result.characters = source.characters;
    result.source_script = source.script;
    for (const auto& l : languages) {
        result.languages[l.language] = language_qc(l.qc.at("summary"));
        for (const auto& f : l.qc.at("findings"))
            if (f.at("rule").get<std::string>().rfind("edit_", 0) == 0)
                result.edit_notes.push_back(name + " " + l.language + ": " + f.at("message").get<std::string>());
    }
    if (!options.publish) {  // the factory publishes in a later job
        hashes.save();
        result.stages_computed = log.computed_count();
        result.stages_reused = static_cast<int>(log.records().size()) - result.stages_computed;
        return result;
    }

    if (options.before_publish) options.before_publish();
    // Publish: subtitle files, dubs, videos, QC and manifest under DIR/NAME/.
    fs::create_directories(result.folder);
    const auto out = [&](const std::string& suffix) { return result.folder / (name + "." + suffix); };
    const json published_before = last_published(result.folder);
    json published = json::object();
    const auto write_subs = [&](const std::vector<SubtitleEvent>& events, const std::string& lang) {
        subtitles::SubtitleDocument doc{events, lang, video->width, video->height};
        subtitles::WriteOptions w;
        w.language = lang;
        w.video_width = video->width;
        w.video_height = video->height;
        w.frame_rate = fps;
        for (auto f : {subtitles::SubtitleFormat::Srt, subtitles::SubtitleFormat::WebVtt, subtitles::SubtitleFormat::Ass,
                       subtitles::SubtitleFormat::Ttml}) {
            const fs::path path = out(lang + subtitles::file_extension(f));
            subtitles::write_subtitles(path, doc, w);
            result.files.push_back(path);
        }
    };
    write_subs(source_events, source.script.language);
    json source_json = {{"mode", to_string(source.mode)}, {"requested", to_string(options.source.mode)},
                        {"note", source.mode_note}, {"lines", source.script.lines.size()}};
    if (source.hardsubs) {
        const auto& x = *source.hardsubs;
        source_json["hardsubs"] = {{"band", hardsubs::to_string(x.band)}, {"frames", x.frames}, {"segments", x.segments.size()},
                                   {"subtitles", x.subtitles.size()}, {"ocr_calls", x.ocr_calls}, {"ocr_failures", x.ocr_failures},
                                   {"dropped_noise", x.dropped_noise}, {"dropped_short", x.dropped_short}, {"engine", x.engine}};
    }
    if (!removals.empty()) source_json["hardsub_removal"] = removals;
    if (source.mode == SourceMode::Import && source.hardsubs_say_the_script) {
        json disagreements = json::array();
        for (const auto& d : source.script_disagreements)
            disagreements.push_back({{"line", d.line == 0 ? json(nullptr) : json(d.line)}, {"start", d.start}, {"end", d.end},
                                     {"script", d.script}, {"picture", d.picture}});
        source_json["script_disagreements"] = disagreements;
    }
    json qc = {{"episode", episode.string()}, {"source", source_json}, {"languages", json::object()}};
    // Each language's script as spoken, for people to read and edit (pipeline/edits.hpp): the
    // manifest keeps what was written, so the next run sees what changed.
    json scripts = json::object();
    // Each line's revision (its edits so far), as rendered: dramaloc serve tells a line whose
    // revision has moved on since as stale.
    const auto edit_history = EditLog(options.out_dir).history();
    for (const auto& l : languages) {
        const fs::path file = script_file(result.folder, name, l.language);
        write_script_json(file, l.script);
        result.files.push_back(file);
        json lines = json::array();
        for (std::size_t i = 0; i < l.script.lines.size(); ++i) {
            const Line& line = l.script.lines[i];
            const auto spoken = std::find_if(source.script.lines.begin(), source.script.lines.end(), [&](const Line& s) { return s.id == line.id; });
            lines.push_back({{"id", line.id}, {"start", line.start}, {"end", line.end}, {"speaker", line.speaker}, {"text", line.text},
                             {"machine", l.machine.at(i)}, {"source", spoken == source.script.lines.end() ? "" : spoken->text},
                             {"revision", line_revision(edit_history, name, l.language, line.id)}});
        }
        scripts[l.language] = {{"file", file.filename().string()}, {"hash", hash_file_hex(file)}, {"lines", lines}};
    }
    for (const auto& l : languages) {
        write_subs(l.events, l.language);
        publish(l.dub_wav, out(l.language + ".dub.wav"), published_before, published);
        result.files.push_back(out(l.language + ".dub.wav"));
        qc["languages"][l.language] = l.qc;
    }
    // A failed language's outputs are not published; qc.json says why.
    if (!result.failed_languages.empty()) qc["failed_languages"] = result.failed_languages;
    if (!mux_dir.empty()) {
        publish(mux_dir / "localized.mp4", out("localized.mp4"), published_before, published);
        result.files.push_back(out("localized.mp4"));
    }
    for (const auto& [lang, path] : burned) {
        publish(path, out(lang + ".burned.mp4"), published_before, published);
        result.files.push_back(out(lang + ".burned.mp4"));
    }
    write_json(result.folder / "qc.json", qc);
    result.files.push_back(result.folder / "qc.json");

    // Which engine made this episode, as the run said it (the review page shows it): the
    // backend, and for a model server its endpoint and model (never its key).
    json engines_json = json::object();
    for (const auto& [stage, engine] : run_engines(options)) {
        json& e = engines_json[stage] = {{"backend", engine.backend}, {"identity", engines::describe(engine)}};
        if (engine.backend == "openai") e["url"] = mask_url_credentials(engine.url), e["model"] = engine.model;
    }
    json outputs = json::array();
    for (const auto& f : result.files) outputs.push_back(fs::relative(f, result.folder).string());
    outputs.push_back("manifest.json");
    json manifest = {{"dramaloc_version", kVersion},
                     {"episode", episode.string()},
                     {"input_key", source.input_key},
                     {"source_language", source.script.language},
                     {"target_languages", options.target_languages},
                     {"engines", engines_json},
                     {"source", source_json},
                     {"characters", characters_to_json(source.characters)},
                     {"voice_references", source.voice_references},
                     {"failed_languages", result.failed_languages},
                     {"scripts", scripts},
                     {"outputs", outputs},
                     {"published", published},
                     {"run", log.to_json()},
                     {"wall_seconds", seconds_since(started)}};
    write_json(result.folder / "manifest.json", manifest);
    result.files.push_back(result.folder / "manifest.json");
    hashes.save();
    result.stages_computed = log.computed_count();
    result.stages_reused = static_cast<int>(log.records().size()) - result.stages_computed;
    return result;
}

}  // namespace dramaloc::pipeline
