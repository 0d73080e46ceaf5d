#include "pipeline/settings_schema.hpp"

#include "core/config_schema.hpp"
#include "pipeline/localize.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::pipeline {

namespace {

// [series] of a series file (docs/configuration.md, "Series files").
ConfigTable series_table() {
    return {"series",
            {
                ConfigKey::text("title"),
                ConfigKey::text("from").when_unset("required: the language spoken"),
                ConfigKey::strings("to"),
                ConfigKey::text("synopsis"),
                ConfigKey::strings("episodes").without_default().when_unset("required: episode files or patterns"),
                ConfigKey::text("out", "out"),
                ConfigKey::text("source", "auto"),
                ConfigKey::text("subtitle_band").when_unset("found in the picture"),
                ConfigKey::boolean("remove_hardsubs", false),
                ConfigKey::boolean("textless", false),
                ConfigKey::strings("burn_in"),
                ConfigKey::text("background").when_unset("the original, ducked"),
                ConfigKey::text("store").when_unset("OUT/.dramaloc-store"),
                ConfigKey::text("artifacts").when_unset("the store folder alone"),
                ConfigKey::strings("policy"),
                // Each episode's own script ("scripts/{episode}.srt"): the source script.
                ConfigKey::text("script").when_unset("read off the picture or the speech (source)"),
            }};
}

// What every settings file may hold, a series file too.
std::vector<ConfigTable> settings_tables() {
    const EngineOptions engine;
    const LanguageOptions language;
    const dub::FitBounds& fit = language.fit;
    const dub::MixOptions& mix = language.mix;
    const hardsubs::RemovalOptions removal;
    return {
        engines::engine_config_table("vad", engine.vad),
        engines::engine_config_table("asr", engine.asr.backend),
        engines::engine_config_table("ocr", engine.ocr),
        engines::engine_config_table("speakers", engine.speakers),
        engines::engine_config_table("translate", engine.translate.backend),
        engines::engine_config_table("tts", engine.tts.backend),
        {"fit",
         {ConfigKey::number("min_speed", fit.min_speed, 0.3, 1).above_minimum(), ConfigKey::number("max_speed", fit.max_speed, 1, 3),
          ConfigKey::boolean("fill_slot", fit.fill_slot), ConfigKey::integer("shorten_rounds", fit.shorten_rounds, 0, 5)}},
        {"mix",
         {ConfigKey::number("duck_db", mix.duck_db, -60, 0), ConfigKey::integer("attack_ms", mix.attack_ms, 0, 10'000),
          ConfigKey::integer("release_ms", mix.release_ms, 0, 10'000), ConfigKey::boolean("centre_removal", mix.centre_removal_for_stereo),
          ConfigKey::number("target_lufs", mix.target_lufs, -40, -5), ConfigKey::number("max_true_peak_dbtp", mix.max_true_peak, -20, 0),
          ConfigKey::boolean("stems", mix.stems)}},
        {"qc", {ConfigKey::number("max_untranslated", language.max_untranslated_share, 0, 1)}},
        {"hardsubs",
         {ConfigKey::choice("removal", hardsubs::to_string(removal.method), {"auto", "inpaint", "blur"}),
          ConfigKey::number("inpaint_budget_ms", removal.inpaint_budget_ms, 1, 60'000),
          ConfigKey::integer("inpaint_radius", removal.inpaint_radius, 1, 20)}},
        {"cast.*",
         {ConfigKey::text("name").when_unset("the id"), ConfigKey::number("pitch_hz", 0, 0, 1000).without_default().when_unset("unknown"),
          ConfigKey::choice("register", "", {"low", "high"}).when_unset("from pitch_hz: below 165 Hz is low"),
          ConfigKey::text("reference_audio").when_unset("cut from the episodes"), ConfigKey::text("reference_text")}},
        {"cast.*.voices", {}, ConfigType::String, false, {}, language_names()},  // the dub voice per language: voices.es = "es+f4"
        {"glossary.*", {}, ConfigType::String, false, {}, language_names()},     // [glossary."林小姐"] en = "Miss Lin"
        subtitles::rules_config_table(),
    };
}

}  // namespace

const ConfigSchema& settings_file_schema() {
    static const ConfigSchema schema = [] {
        auto tables = settings_tables();
        tables.push_back({"series", {ConfigKey::text("synopsis")}, {}, false,
                          "a settings file's [series] holds synopsis alone; the other keys belong in a series file (dramaloc run)"});
        return ConfigSchema("settings file", std::move(tables));
    }();
    return schema;
}

const ConfigSchema& series_file_schema() {
    static const ConfigSchema schema = [] {
        auto tables = settings_tables();
        tables.insert(tables.begin(), series_table());
        return ConfigSchema("series file", std::move(tables));
    }();
    return schema;
}

}  // namespace dramaloc::pipeline
