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

namespace {

// [engines.*]: the backend of each stage family, a model server's settings in full.
void apply_engines(EngineOptions& e, const Config& c) {
    e.vad = c.get_string_or("engines.vad.backend", e.vad);
    e.asr = engines::engine_settings(c, "asr", e.asr.backend);
    e.speakers = c.get_string_or("engines.speakers.backend", e.speakers);
    e.translate = engines::engine_settings(c, "translate", e.translate.backend);
    e.tts = engines::engine_settings(c, "tts", e.tts.backend);
    e.ocr = c.get_string_or("engines.ocr.backend", e.ocr);
}

// [cast.lin] name = "Lin Xia", register = "high", pitch_hz = 225, voices.es = "es+f2"
Character cast_member(const Config& c, const std::string& id) {
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
    return character;
}

// [glossary."林小姐"] en = "Miss Lin" (the rendering each target language requires) and
// [series] synopsis = "…" (context for the translator; also in a series file).
void apply_series_context(LanguageOptions& l, const Config& c) {
    const auto terms = c.keys("glossary");
    const auto synopsis = c.get_string("series.synopsis");
    if (terms.empty() && !synopsis) return;
    auto series = std::make_shared<Series>(l.series ? *l.series : Series{});
    for (const auto& term : terms) {
        GlossaryEntry entry;
        entry.source = term;
        for (const auto& language : c.keys("glossary." + term))
            if (auto rendering = c.get_string("glossary." + term + "." + language)) entry.rendering[language] = *rendering;
        series->glossary.push_back(std::move(entry));
    }
    if (synopsis) series->synopsis = *synopsis;
    l.series = series;
}

// [fit], [mix] and [qc].
void apply_dub_settings(LanguageOptions& l, const Config& c) {
    l.fit.min_speed = c.get_double_or("fit.min_speed", l.fit.min_speed);
    l.fit.max_speed = c.get_double_or("fit.max_speed", l.fit.max_speed);
    l.fit.fill_slot = c.get_bool_or("fit.fill_slot", l.fit.fill_slot);
    l.fit.shorten_rounds = static_cast<int>(c.get_int_or("fit.shorten_rounds", l.fit.shorten_rounds));
    l.mix.duck_db = c.get_double_or("mix.duck_db", l.mix.duck_db);
    l.mix.attack_ms = c.get_int_or("mix.attack_ms", l.mix.attack_ms);
    l.mix.release_ms = c.get_int_or("mix.release_ms", l.mix.release_ms);
    l.mix.centre_removal_for_stereo = c.get_bool_or("mix.centre_removal", l.mix.centre_removal_for_stereo);
    l.mix.target_lufs = c.get_double_or("mix.target_lufs", l.mix.target_lufs);
    l.mix.max_true_peak = c.get_double_or("mix.max_true_peak_dbtp", l.mix.max_true_peak);
    l.mix.stems = c.get_bool_or("mix.stems", l.mix.stems);
    l.max_untranslated_share = c.get_double_or("qc.max_untranslated", l.max_untranslated_share);
}

}  // namespace

void apply_config(LocalizeOptions& o, const Config& c) {
    // Types and ranges were checked with the file (settings_schema.cpp); what is checked here
    // is what one key cannot say alone, and files the keys name.
    apply_engines(o.engines, c);
    for (const auto& id : c.keys("cast")) o.source.known_characters.push_back(cast_member(c, id));
    apply_series_context(o.languages, c);
    apply_dub_settings(o.languages, c);
    auto& removal = o.render.removal;
    removal.method = hardsubs::removal_method_from_string(c.get_string_or("hardsubs.removal", hardsubs::to_string(removal.method)));
    removal.inpaint_budget_ms = c.get_double_or("hardsubs.inpaint_budget_ms", removal.inpaint_budget_ms);
    removal.inpaint_radius = static_cast<int>(c.get_int_or("hardsubs.inpaint_radius", removal.inpaint_radius));
}

std::vector<std::pair<std::string, engines::EngineSettings>> run_engines(const LocalizeOptions& o) {
    using engines::embedded_engine;
    return {{"vad", embedded_engine(o.engines.vad)}, {"asr", o.engines.asr},
            {"ocr", embedded_engine(o.engines.ocr)}, {"speakers", embedded_engine(o.engines.speakers)},
            {"translate", o.engines.translate},       {"tts", o.engines.tts}};
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
    language_or_throw(options.source.language);
    for (const auto& l : options.languages.targets) language_or_throw(l);
    for (const auto& b : options.render.burn_in) {
        if (b != options.source.language &&
            std::find(options.languages.targets.begin(), options.languages.targets.end(), b) == options.languages.targets.end())
            throw UsageError("--burn-in " + b + " is not among the target languages (--to) nor the source language");
    }
    if (options.render.remove_hardsubs && options.render.burn_in.empty())
        throw UsageError("--remove-hardsubs cleans the picture of the --burn-in videos; add --burn-in LANG");
    const SourceMode mode = options.source.choice.mode;
    if (options.render.remove_hardsubs && mode == SourceMode::Asr)
        throw UsageError("--remove-hardsubs needs the burned-in subtitles read: use --source ocr, both or auto");
    if (options.render.textless && mode == SourceMode::Asr)
        throw UsageError("textless = true needs the burned-in subtitles read: use source = \"ocr\", \"both\" or \"auto\" (or a script)");
    if (options.source.subtitle_band && mode == SourceMode::Asr)
        throw UsageError("--subtitle-band has no effect with --source " + std::string(to_string(mode)) +
                         "; use --source ocr, both or auto (or a script) to read the burned-in subtitles");
    const bool ocr_possible = ocr_unavailable_reason(options.engines.ocr, options.source.language).empty();
    if (mode == SourceMode::Asr || (mode == SourceMode::Auto && !ocr_possible)) {
        // Speech is certainly (asr) or surely-if-anything (auto without OCR) the source: check it now.
        auto recognizer = engines::make_speech_recognizer(options.engines.asr);
        require_recognizer_language(*recognizer, options);
    }
    if (episode_files) validate_episode_files(options);
    if ((mode == SourceMode::Ocr || mode == SourceMode::Both || options.render.remove_hardsubs || options.render.textless) && !ocr_possible)
        engines::make_text_recognizer(options.engines.ocr)->require_language(options.source.language);  // throws why
    auto translator = engines::make_translator(options.engines.translate);
    for (const auto& target : options.languages.targets) {
        if (target == options.source.language || translator->supports(options.source.language, target)) continue;
        try {
            translator->translate({"check"}, options.source.language, target);  // throws the engine's own message
        } catch (const EngineError& e) {
            if (script_class(options.source.language) != ScriptClass::Cjk || options.engines.translate.backend != "apertium") throw;
            throw EngineError("the embedded apertium translator has no pairs from " + find_language(options.source.language)->english_name +
                              " (" + options.source.language + " -> " + target + "); translating it needs an LLM translator: " +
                              "configure [engines.translate] backend = \"openai\" (production engines, docs/configuration.md), " +
                              "or run without --to to get the " + options.source.language + " script and subtitles");
        }
    }
    if (!options.languages.targets.empty()) {
        auto tts = engines::make_synthesizer(options.engines.tts);
        for (const auto& target : options.languages.targets) assign_voices({}, target, *tts);
    }
}

void validate_episode_files(const LocalizeOptions& options) {
    if (options.source.choice.mode == SourceMode::Import) {
        require_readable_file(options.source.choice.import_file);
        read_script_file(options.source.choice.import_file);  // a malformed script fails before any work
    }
    if (options.languages.background_stem) require_readable_file(*options.languages.background_stem);
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
    const auto& targets = options.languages.targets;
    std::vector<std::optional<LanguageResult>> attempts(targets.size());
    std::vector<std::string> failures(targets.size());
    const int jobs = resolve_jobs(options.run.jobs);
    LocalizeOptions per_language = options;
    per_language.run.jobs = std::max(1, jobs / static_cast<int>(std::max<std::size_t>(1, targets.size())));
    parallel_for(targets.size(), jobs, [&](std::size_t, std::size_t i) {
        try {
            attempts[i] = localize_language(context, source, targets[i], per_language, rules_for(targets[i]), fps);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            if (options.run.language_failure_ends_run) throw;
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
    const std::string name = episode.stem().string();
    EpisodeOutputs result;
    result.folder = options.run.out_dir / name;
    const fs::path store_root = options.run.store_dir.empty() ? options.run.out_dir / ".dramaloc-store" : options.run.store_dir;
    store::ArtifactStore store = options.run.artifacts_url.empty()
                              ? store::ArtifactStore(store_root)
                              : store::ArtifactStore(store_root, store::make_s3_object_store(store::s3_location_from_url(options.run.artifacts_url)));
    RunLog log;
    FileHashCache hashes(store.root() / "file-hashes.json");
    StageContext context{store, log, hashes, options.run.on_stage};

    // Probed and hashed once per episode: the factory's later jobs are given what its source job learnt.
    result.facts = episode_facts(episode, options.facts, hashes, &result.probed);
    const EpisodeFacts& facts = result.facts;
    if (!facts.has_video) throw InputError(episode.string() + ": has no video stream");
    const FrameRate fps = facts.fps.num > 0 ? facts.fps : FrameRate{30, 1};

    const SourceAnalysis source = analyse_source(context, episode, facts, options);
    hashes.save();
    if (options.render.remove_hardsubs && !source.plan.hardsubs)
        throw InputError(episode.string() + ": --remove-hardsubs, but " +
                         (source.plan.note.empty() ? std::string("no burned-in subtitles were read") : source.plan.note) +
                         "; give --subtitle-band y0:y1 where they are, or drop --remove-hardsubs");
    const auto rules_for = [&](const std::string& lang) {
        auto rules = subtitles::rules_for_language(lang);
        if (options.languages.config) subtitles::apply_overrides(rules, *options.languages.config, lang);
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
        if (!languages.empty() && options.run.publish) localized = mux_episode(context, {episode, source, source_subtitles, languages});
    };
    steps[StageId::BurnIn].run = [&] {
        for (const auto& lang : options.render.burn_in) {
            if (result.failed_languages.count(lang)) continue;
            const auto l = std::find_if(languages.begin(), languages.end(), [&](const LanguageResult& r) { return r.language == lang; });
            const LanguageResult* dubbed = l == languages.end() ? nullptr : &*l;
            burned.push_back(burn_in(context, episode, facts, source,
                                     {lang, dubbed ? dubbed->subtitles : source_subtitles, dubbed,
                                      options.render.remove_hardsubs ? &options.render.removal : nullptr}));
        }
        // The textless picture: the burned-in source subtitles removed, nothing drawn, the
        // original soundtrack. A source without them is textless as it is (localized.mp4).
        if (options.render.textless && source.plan.hardsubs) {
            const SubtitleTrack nothing;
            burned.push_back(burn_in(context, episode, facts, source, {"", nothing, nullptr, &options.render.removal}));
        }
    };
    run_stages({StagePhase::Episode}, steps);

    result.characters = source.script.characters;
    result.source_script = source_script;
    for (const auto& l : languages) {
        result.languages[l.language] = language_qc(l.qc.summary);
        for (const auto& f : l.edit_conflicts) result.edit_notes.push_back(name + " " + l.language + ": " + f.message);
    }
    if (options.run.publish) {  // the factory publishes in a later job
        if (options.run.before_publish) options.run.before_publish();
        result.files = publish_episode({episode, facts, source, source_subtitles, languages, result.failed_languages, localized, burned, log, started},
                                       options);
    }
    hashes.save();
    result.stages_computed = log.computed_count();
    result.stages_reused = static_cast<int>(log.records().size()) - result.stages_computed;
    return result;
}

}  // namespace dramaloc::pipeline
