#include "pipeline/localize.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/language.hpp"
#include "core/parallel.hpp"
#include "engines/asr.hpp"
#include "engines/ocr.hpp"
#include "engines/translate.hpp"
#include "engines/tts.hpp"
#include "media/probe.hpp"
#include "pipeline/language_stages.hpp"
#include "pipeline/publish.hpp"
#include "pipeline/script_source.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/stages/episode.hpp"
#include "pipeline/voices.hpp"
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

LanguageQc language_qc(const QcSummary& s) {
    return {s.lines, s.untranslated, s.over_reading_speed, s.fit_overflows, s.integrated_lufs};
}

// Languages in parallel, lines in parallel inside each: the workers are split between them. A
// language whose work fails is left out, and why is kept in `failed`; the others go on.
std::vector<LanguageResult> localize_languages(StageContext& context, const SourceAnalysis& source, const LocalizeOptions& options,
                                               const std::function<subtitles::SubtitleRules(const std::string&)>& rules_for,
                                               FrameRate fps, std::map<std::string, std::string>& failed) {
    const auto& targets = options.target_languages;
    std::vector<std::optional<LanguageResult>> attempts(targets.size());
    std::vector<std::string> failures(targets.size());
    const int jobs = resolve_jobs(options.jobs);
    LocalizeOptions per_language = options;
    per_language.jobs = std::max(1, jobs / static_cast<int>(std::max<std::size_t>(1, targets.size())));
    parallel_for(targets.size(), jobs, [&](std::size_t, std::size_t i) {
        try {
            attempts[i] = localize_language(context, source, targets[i], per_language, rules_for(targets[i]), fps);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            if (options.language_failure_ends_run) throw;
            failures[i] = targets[i] + ": " + e.what();
        }
    });
    std::vector<LanguageResult> languages;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        if (attempts[i]) languages.push_back(std::move(*attempts[i]));
        else failed[targets[i]] = failures[i];
    }
    return languages;
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
    StageContext context{store, log, hashes, options.on_stage};

    const media::MediaInfo info = media::probe(episode);
    const auto* video = info.best_video();
    if (!video) throw InputError(episode.string() + ": has no video stream");
    const FrameRate fps = video->frame_rate.num > 0 ? video->frame_rate : FrameRate{30, 1};

    const SourceAnalysis source = analyse_source(context, episode, info, options);
    hashes.save();
    if (options.remove_hardsubs && !source.plan.hardsubs)
        throw InputError(episode.string() + ": --remove-hardsubs, but " +
                         (source.plan.note.empty() ? std::string("no burned-in subtitles were read") : source.plan.note) +
                         "; give --subtitle-band y0:y1 where they are, or drop --remove-hardsubs");
    const auto rules_for = [&](const std::string& lang) {
        auto rules = subtitles::rules_for_language(lang);
        if (options.config) subtitles::apply_overrides(rules, *options.config, lang);
        return rules;
    };
    const Script& source_script = source.script.script;
    const SubtitleTrack source_subtitles =
        segment_subtitles(context, source_script, source.script.key, rules_for(source_script.language), fps);
    const std::vector<LanguageResult> languages = localize_languages(context, source, options, rules_for, fps, result.failed_languages);

    // The episode's stages. Mux: nothing to mux when only the source script was asked for, nor
    // in a factory job that does not publish.
    fs::path localized;
    std::vector<BurnedVideo> burned;
    StageSteps steps;
    steps[StageId::Mux].run = [&] {
        if (!languages.empty()) context.announce("mux");
        if (!languages.empty() && options.publish) localized = mux_episode(context, {episode, source, source_subtitles, languages});
    };
    steps[StageId::BurnIn].run = [&] {
        for (const auto& lang : options.burn_in_languages) {
            if (result.failed_languages.count(lang)) continue;
            const auto l = std::find_if(languages.begin(), languages.end(), [&](const LanguageResult& r) { return r.language == lang; });
            const LanguageResult* dubbed = l == languages.end() ? nullptr : &*l;
            burned.push_back(burn_in(context, episode, info, source,
                                     {lang, dubbed ? dubbed->subtitles : source_subtitles, dubbed,
                                      options.remove_hardsubs ? &options.removal : nullptr}));
        }
    };
    run_stages({StagePhase::Episode}, steps);

    result.characters = source.script.characters;
    result.source_script = source_script;
    for (const auto& l : languages) {
        result.languages[l.language] = language_qc(l.qc.summary);
        for (const auto& f : l.edit_conflicts) result.edit_notes.push_back(name + " " + l.language + ": " + f.message);
    }
    if (options.publish) {  // the factory publishes in a later job
        if (options.before_publish) options.before_publish();
        result.files = publish_episode({episode, info, source, source_subtitles, languages, result.failed_languages, localized, burned, log, started},
                                       options);
    }
    hashes.save();
    result.stages_computed = log.computed_count();
    result.stages_reused = static_cast<int>(log.records().size()) - result.stages_computed;
    return result;
}

}  // namespace dramaloc::pipeline
