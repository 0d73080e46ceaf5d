// Reading a series file: episodes (files and patterns) in order, languages, and the tables a
// --config file has; the errors a user can fix from the message alone.
#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/error.hpp"
#include "series/project.hpp"
#include "pipeline/settings_schema.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using namespace dramaloc::series;
namespace fs = std::filesystem;

namespace {

std::string error_of(const fs::path& file) {
    try {
        load_series_project(file);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(SeriesProject, NaturalOrderPutsEpisodeTwoBeforeEpisodeTen) {
    EXPECT_TRUE(natural_less("ep2", "ep10"));
    EXPECT_FALSE(natural_less("ep10", "ep2"));
    EXPECT_TRUE(natural_less("ep02", "ep3"));
    EXPECT_TRUE(natural_less("ep", "ep1"));
    EXPECT_FALSE(natural_less("ep1", "ep1"));
    EXPECT_TRUE(natural_less("a9", "b1"));
    EXPECT_NE(natural_less("ep01", "ep1"), natural_less("ep1", "ep01"));  // one order, not a tie
}

TEST(SeriesProject, ReadsEpisodesLanguagesAndSharedSettingsRelativeToTheFile) {
    test::TempDir dir;
    for (const char* name : {"ep10.mp4", "ep2.mp4", "ep1.mp4", "notes.txt"}) test::write_file(dir / "s" / "episodes" / name, "x");
    test::write_file(dir / "s" / "extra" / "bonus.mp4", "x");
    test::write_file(dir / "s" / "series.toml",
                     "[series]\ntitle = \"The Heiress Returns\"\nfrom = \"zh\"\nto = [\"en\", \"es\"]\nburn_in = [\"en\"]\n"
                     "synopsis = \"Lin Xia comes home.\"\nepisodes = [\"episodes/ep*.mp4\", \"extra/bonus.mp4\"]\n"
                     "source = \"ocr\"\nremove_hardsubs = true\n\n"
                     "[glossary.\"林小姐\"]\nen = \"Miss Lin\"\n\n[cast.lin]\nname = \"Lin Xia\"\npitch_hz = 225\n\n"
                     "[fit]\nshorten_rounds = 1\n");
    const auto p = load_series_project(dir / "s" / "series.toml");
    ASSERT_EQ(p.episodes.size(), 4u);
    EXPECT_EQ(p.episodes[0], dir / "s" / "episodes" / "ep1.mp4");
    EXPECT_EQ(p.episodes[1], dir / "s" / "episodes" / "ep2.mp4");
    EXPECT_EQ(p.episodes[2], dir / "s" / "episodes" / "ep10.mp4");
    EXPECT_EQ(p.episodes[3], dir / "s" / "extra" / "bonus.mp4");
    EXPECT_EQ(p.options.source.language, "zh");
    EXPECT_EQ(p.options.languages.targets, (std::vector<std::string>{"en", "es"}));
    EXPECT_EQ(p.options.render.burn_in, (std::vector<std::string>{"en"}));
    EXPECT_EQ(p.options.source.choice.mode, SourceMode::Ocr);
    EXPECT_TRUE(p.options.render.remove_hardsubs);
    EXPECT_EQ(p.options.run.out_dir, dir / "s" / "out");
    EXPECT_EQ(p.options.languages.fit.shorten_rounds, 1);
    ASSERT_TRUE(p.options.languages.series);
    EXPECT_EQ(p.options.languages.series->title, "The Heiress Returns");
    EXPECT_EQ(p.options.languages.series->synopsis, "Lin Xia comes home.");
    ASSERT_EQ(p.options.languages.series->glossary.size(), 1u);
    EXPECT_EQ(p.options.languages.series->glossary[0].rendering.at("en"), "Miss Lin");
    ASSERT_EQ(p.cast.size(), 1u);
    EXPECT_EQ(p.cast[0].name, "Lin Xia");
    EXPECT_EQ(p.options.languages.series->episodes.size(), 4u);
}

TEST(SeriesProject, SaysWhatIsMissingOrWrong) {
    test::TempDir dir;
    test::write_file(dir / "ep1.mp4", "x");
    const auto with = [&](const std::string& name, const std::string& text) {
        test::write_file(dir / name, text);
        return error_of(dir / name);
    };
    EXPECT_NE(with("a.toml", "[fit]\nmax_speed = 1.2\n").find("[series] table"), std::string::npos);
    EXPECT_NE(with("b.toml", "[series]\nto = [\"es\"]\nepisodes = [\"ep1.mp4\"]\n").find("[series] from"), std::string::npos);
    EXPECT_NE(with("c.toml", "[series]\nfrom = \"en\"\nto = [\"es\"]\n").find("[series] episodes"), std::string::npos);
    EXPECT_NE(with("d.toml", "[series]\nfrom = \"en\"\nepisodes = [\"missing/*.mp4\"]\n").find("matches no file"), std::string::npos);
    test::write_file(dir / "other" / "ep1.mp4", "x");
    EXPECT_NE(with("e.toml", "[series]\nfrom = \"en\"\nepisodes = [\"ep1.mp4\", \"other/ep1.mp4\"]\n").find("two episodes are named \"ep1\""),
              std::string::npos);
    EXPECT_NE(with("f.toml", "[series]\nfrom = \"en\"\nto = 3\nepisodes = [\"ep1.mp4\"]\n").find("f.toml:3: key \"to\" in [series]"), std::string::npos);
    EXPECT_NE(with("g.toml", "[series\nfrom = \"en\"\n").find("g.toml"), std::string::npos);  // TOML syntax: the file and line
    EXPECT_NE(error_of(dir / "none.toml").find("none.toml"), std::string::npos);
    // A listed file that is missing is that episode's own error, when it runs.
    test::write_file(dir / "h.toml", "[series]\nfrom = \"en\"\nepisodes = [\"ep1.mp4\", \"ep9.mp4\"]\n");
    EXPECT_EQ(load_series_project(dir / "h.toml").episodes.size(), 2u);
}

TEST(SeriesProject, ACastMemberCanBringItsOwnVoiceReference) {
    test::TempDir dir;
    test::write_file(dir / "ep1.mp4", "x");
    test::write_file(dir / "voices" / "lin.wav", "RIFF");
    test::write_file(dir / "ok.toml", "[series]\nfrom = \"zh\"\nepisodes = [\"ep1.mp4\"]\n\n[cast.lin]\n"
                                      "reference_audio = \"voices/lin.wav\"\nreference_text = \"我回来了。\"\n");
    const auto p = load_series_project(dir / "ok.toml");
    ASSERT_EQ(p.cast.size(), 1u);
    EXPECT_EQ(fs::path(p.cast[0].reference_audio), dir / "voices" / "lin.wav");
    EXPECT_EQ(p.cast[0].reference_text, "我回来了。");
    test::write_file(dir / "no_text.toml", "[series]\nfrom = \"zh\"\nepisodes = [\"ep1.mp4\"]\n\n[cast.lin]\nreference_audio = \"voices/lin.wav\"\n");
    EXPECT_NE(error_of(dir / "no_text.toml").find("reference_text"), std::string::npos);
    test::write_file(dir / "gone.toml", "[series]\nfrom = \"zh\"\nepisodes = [\"ep1.mp4\"]\n\n[cast.lin]\n"
                                        "reference_audio = \"voices/chen.wav\"\nreference_text = \"嗯\"\n");
    EXPECT_NE(error_of(dir / "gone.toml").find("is not a file"), std::string::npos);
}

TEST(SeriesProject, EachEpisodeHasItsOwnScriptAndStemThroughTheEpisodePlaceholder) {
    test::TempDir dir;
    test::write_file(dir / "ep1.mp4", "x");
    test::write_file(dir / "ep2.mp4", "x");
    test::write_file(dir / "many.toml", "[series]\nfrom = \"en\"\nepisodes = [\"ep*.mp4\"]\n"
                                        "source = \"srt:scripts/{episode}.srt\"\nbackground = \"stems/{episode}-me.wav\"\n");
    const auto p = load_series_project(dir / "many.toml");
    auto options = p.options;
    apply_episode_paths(p, "ep{episode}", options);  // a name holding the placeholder is replaced once
    EXPECT_EQ(options.source.choice.import_file, dir / "scripts" / "ep{episode}.srt");
    apply_episode_paths(p, "ep2", options);
    EXPECT_EQ(options.source.choice.mode, SourceMode::Import);
    EXPECT_EQ(options.source.choice.import_file, dir / "scripts" / "ep2.srt");
    ASSERT_TRUE(options.languages.background_stem);
    EXPECT_EQ(*options.languages.background_stem, dir / "stems" / "ep2-me.wav");
    // One script for two episodes would give both the same lines.
    test::write_file(dir / "one.toml", "[series]\nfrom = \"en\"\nepisodes = [\"ep*.mp4\"]\nsource = \"srt:script.srt\"\n");
    EXPECT_NE(error_of(dir / "one.toml").find("{episode}"), std::string::npos);
    test::write_file(dir / "stem.toml", "[series]\nfrom = \"en\"\nepisodes = [\"ep*.mp4\"]\nbackground = \"me.wav\"\n");
    EXPECT_NE(error_of(dir / "stem.toml").find("background"), std::string::npos);
    // A single episode may name its file plainly.
    test::write_file(dir / "single.toml", "[series]\nfrom = \"en\"\nepisodes = [\"ep1.mp4\"]\nsource = \"srt:script.srt\"\n");
    EXPECT_EQ(load_series_project(dir / "single.toml").options.source.choice.import_file, dir / "script.srt");
}

// Issue 29: what a file says that dramaloc does not understand is refused, whatever the table,
// in one line naming the file, the line and the key (and the key meant), before any work.
TEST(SeriesProject, WhatItDoesNotUnderstandIsRefusedWithFileLineAndKey) {
    test::TempDir dir;
    test::write_file(dir / "ep1.mp4", "x");
    const std::string head = "[series]\nfrom = \"zh\"\nto = [\"en\"]\nepisodes = [\"ep1.mp4\"]\n";  // lines 1-4
    const auto refused = [&](const std::string& tail) {
        test::write_file(dir / "series.toml", head + tail);
        return error_of(dir / "series.toml");
    };
    const std::string file = (dir / "series.toml").string();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"scrpit = \"scripts/{episode}.srt\"\n", ":5: unknown key \"scrpit\" in [series]; did you mean \"script\"?"},
        {"\n[engines.translate]\nbacknd = \"openai\"\n", ":7: unknown key \"backnd\" in [engines.translate]; did you mean \"backend\"?"},
        {"\n[engines.tts]\nclone_reqest = \"json\"\n", ":7: unknown key \"clone_reqest\" in [engines.tts]; did you mean \"clone_request\"?"},
        {"\n[qc]\nmax_untranslted = 0.1\n", ":7: unknown key \"max_untranslted\" in [qc]; did you mean \"max_untranslated\"?"},
        {"\n[cast.lin]\npitch_hx = 225\n", ":7: unknown key \"pitch_hx\" in [cast.lin]; did you mean \"pitch_hz\"?"},
        {"\n[glossary.\"林小姐\"]\nenn = \"Miss Lin\"\n", ":7: unknown language \"enn\" in [glossary.\"林小姐\"]; did you mean \"en\"?"},
        {"\n[qcc]\nmax_untranslated = 0.1\n", ":6: unknown table [qcc]; did you mean [qc]?"},
        {"\n[fit]\nshorten_rounds = \"two\"\n", ":7: key \"shorten_rounds\" in [fit] must be an integer (found a string)"},
        {"\n[engines.translate]\nmax_retries = 99\n", ":7: key \"max_retries\" in [engines.translate] must be between 0 and 20 (found 99)"},
        {"\n[cast.lin]\nregister = \"medium\"\n", ":7: key \"register\" in [cast.lin] must be \"low\" or \"high\" (found \"medium\")"},
        {"\n[subtitles.rules.en]\nmax_lines = 9\n", ":7: key \"max_lines\" in [subtitles.rules.en] must be between 1 and 4 (found 9)"},
        // A url the embedded backend would ignore: the studio meant its model server.
        {"\n[engines.translate]\nurl = \"http://127.0.0.1:8080/v1\"\n", ":7: [engines.translate] url is set but backend is \"apertium\""},
        {"source = \"radio\"\n", ":5: [series] source: --source radio"},
    };
    for (const auto& [tail, expected] : cases) {
        const std::string message = refused(tail);
        EXPECT_EQ(message.rfind(file + expected, 0), 0u) << tail << "\n" << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
    // Issue 24's key is known already (and not read yet).
    test::write_file(dir / "ok.toml", head + "script = \"scripts/{episode}.srt\"\n");
    EXPECT_NO_THROW(load_series_project(dir / "ok.toml"));
}

// A --config file holds the shared tables, and of [series] the synopsis alone.
TEST(SettingsFile, HoldsTheSharedTablesAndOfTheSeriesTheSynopsisAlone) {
    EXPECT_NO_THROW(Config::parse("[series]\nsynopsis = \"x\"\n[fit]\nshorten_rounds = 1\n[cast.lin.voices]\nes = \"es+f4\"\n", "s.toml",
                                  settings_file_schema()));
    try {
        Config::parse("[series]\nfrom = \"zh\"\n", "engines.toml", settings_file_schema());
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "engines.toml:2: unknown key \"from\" in [series]; a settings file's [series] holds synopsis alone; "
                               "the other keys belong in a series file (dramaloc run)");
    }
}

TEST(SeriesProject, EachEpisodesOwnScriptIsTheSource) {
    test::TempDir dir;
    for (const char* name : {"ep1.mp4", "ep2.mp4"}) test::write_file(dir / "episodes" / name, "x");
    test::write_file(dir / "s.toml", "[series]\nfrom = \"zh\"\nepisodes = [\"episodes/*.mp4\"]\nscript = \"scripts/{episode}.txt\"\n");
    auto p = load_series_project(dir / "s.toml");
    apply_episode_paths(p, "ep2", p.options);
    EXPECT_EQ(p.options.source.choice.mode, SourceMode::Import);
    EXPECT_EQ(p.options.source.choice.import_file, dir / "scripts" / "ep2.txt");
    // One file for several episodes, or a script and another source: refused, with the line.
    test::write_file(dir / "one.toml", "[series]\nfrom = \"zh\"\nepisodes = [\"episodes/*.mp4\"]\nscript = \"script.txt\"\n");
    EXPECT_NE(error_of(dir / "one.toml").find("one.toml:4: [series] script: one file for 2 episodes"), std::string::npos) << error_of(dir / "one.toml");
    test::write_file(dir / "both.toml", "[series]\nfrom = \"zh\"\nsource = \"asr\"\nepisodes = [\"episodes/ep1.mp4\"]\nscript = \"s.txt\"\n");
    EXPECT_NE(error_of(dir / "both.toml").find("both.toml:5: [series] script and source = \"asr\""), std::string::npos) << error_of(dir / "both.toml");
}
