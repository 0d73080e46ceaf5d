// The check every configuration file goes through: each kind of mistake is one line naming the
// file, the line and the key, with the nearest known name; and the settings in effect, with
// where each came from.
#include "core/config_schema.hpp"

#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/effective_config.hpp"
#include "core/error.hpp"

using namespace dramaloc;

namespace {

// A small file kind with every shape of table the project's schemas use.
const ConfigSchema& schema() {
    static const ConfigSchema s(
        "test file",
        {{"series", {ConfigKey::text("from"), ConfigKey::strings("to"), ConfigKey::text("script"), ConfigKey::text("out", "out")}},
         {"engines.translate",
          {ConfigKey::text("backend", "apertium"), ConfigKey::number("timeout_s", 120, 0, 3600).above_minimum(),
           ConfigKey::integer("max_retries", 4, 0, 20), ConfigKey::choice("clone_request", "json", {"json", "multipart"})}},
         {"engines.asr", {ConfigKey::text("backend", "pocketsphinx")}},
         {"qc", {ConfigKey::number("max_untranslated", 0.05, 0, 1)}},
         {"fit", {ConfigKey::integer("shorten_rounds", 2, 0, 5), ConfigKey::boolean("fill_slot", false)}},
         {"cast.*", {ConfigKey::text("name").when_unset("the id"), ConfigKey::number("pitch_hz", 0, 0, 1000).without_default()}},
         {"glossary.*", {}, ConfigType::String, false, {}, language_names()},
         {"rules.*", {ConfigKey::integer("max_lines", 2, 1, 4)}, {}, false, {}, {}, language_names({"default"})},
         {"term", {ConfigKey::text("text"), ConfigKey::strings("languages")}, {}, true}});
    return s;
}

// The one line a command would print for `text`, or "" when it is accepted.
std::string refusal(const std::string& text) {
    try {
        Config::parse(text, "series.toml", schema());
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ConfigSchema, AMisspeltKeyNamesFileLineTableAndTheKeyMeant) {
    EXPECT_EQ(refusal("[series]\nfrom = \"zh\"\n\n[engines.translate]\nbacknd = \"openai\"\n"),
              "series.toml:5: unknown key \"backnd\" in [engines.translate]; did you mean \"backend\"?");
    EXPECT_EQ(refusal("[series]\nscrpit = \"scripts/{episode}.srt\"\n"),
              "series.toml:2: unknown key \"scrpit\" in [series]; did you mean \"script\"?");
    EXPECT_EQ(refusal("[qc]\nmax_untranslted = 0.1\n"), "series.toml:2: unknown key \"max_untranslted\" in [qc]; did you mean \"max_untranslated\"?");
    EXPECT_EQ(refusal("[cast.lin]\nnmae = \"Lin\"\n"), "series.toml:2: unknown key \"nmae\" in [cast.lin]; did you mean \"name\"?");
    // Letters in another case, and a name that is the start of the one meant.
    EXPECT_EQ(refusal("[engines.translate]\nBackend = \"openai\"\n"),
              "series.toml:2: unknown key \"Backend\" in [engines.translate]; did you mean \"backend\"?");
    // Nothing near: said plainly; a key of another table: where it belongs.
    EXPECT_EQ(refusal("[series]\ncolour = \"red\"\n"), "series.toml:2: unknown key \"colour\" in [series]");
    EXPECT_EQ(refusal("[engines.translate]\nshorten_rounds = 1\n"),
              "series.toml:2: unknown key \"shorten_rounds\" in [engines.translate]; \"shorten_rounds\" is a key of [fit]");
    EXPECT_EQ(refusal("backend = \"openai\"\n"), "series.toml:1: unknown key \"backend\" outside any table; \"backend\" is a key of [engines.translate]");
}

TEST(ConfigSchema, AnUnknownTableIsRefusedWithTheTableMeant) {
    EXPECT_EQ(refusal("[qcc]\nmax_untranslated = 0.1\n"), "series.toml:1: unknown table [qcc]; did you mean [qc]?");
    EXPECT_EQ(refusal("[engines.translat]\nbackend = \"openai\"\n"), "series.toml:1: unknown table [engines.translat]; did you mean [engines.translate]?");
    EXPECT_EQ(refusal("\n[localize]\nx = 1\n"), "series.toml:2: unknown table [localize]");
    // A glossary term's renderings and a family's members are languages.
    EXPECT_EQ(refusal("[glossary.\"林小姐\"]\nen = \"Miss Lin\"\nenn = \"Miss Lin\"\n"),
              "series.toml:3: unknown language \"enn\" in [glossary.\"林小姐\"]; did you mean \"en\"?");
    EXPECT_EQ(refusal("[rules.default]\nmax_lines = 1\n[rules.pt-BR]\nmax_lines = 1\n"), "");
    EXPECT_EQ(refusal("[rules.englsh]\nmax_lines = 1\n").rfind("series.toml:1: unknown table [rules.englsh]: \"englsh\" is no language", 0), 0u);
}

TEST(ConfigSchema, AWrongTypeOrAValueOutOfRangeNamesTheKeyAndWhatItMustBe) {
    EXPECT_EQ(refusal("[engines.translate]\ntimeout_s = \"long\"\n"),
              "series.toml:2: key \"timeout_s\" in [engines.translate] must be a number (found a string)");
    EXPECT_EQ(refusal("[fit]\nshorten_rounds = 1.5\n"), "series.toml:2: key \"shorten_rounds\" in [fit] must be an integer (found a number)");
    EXPECT_EQ(refusal("[fit]\nfill_slot = \"yes\"\n"), "series.toml:2: key \"fill_slot\" in [fit] must be true or false (found a string)");
    EXPECT_EQ(refusal("[series]\nto = \"es\"\n"), "series.toml:2: key \"to\" in [series] must be a list of strings (found a string)");
    EXPECT_EQ(refusal("[series]\nto = [\"es\", 3]\n"), "series.toml:2: key \"to\" in [series] must be a list of strings (found a list)");
    EXPECT_EQ(refusal("[engines.translate]\nmax_retries = 50\n"),
              "series.toml:2: key \"max_retries\" in [engines.translate] must be between 0 and 20 (found 50)");
    EXPECT_EQ(refusal("[engines.translate]\ntimeout_s = 0\n"),
              "series.toml:2: key \"timeout_s\" in [engines.translate] must be more than 0 and at most 3600 (found 0)");
    EXPECT_EQ(refusal("[qc]\nmax_untranslated = nan\n"), "series.toml:2: key \"max_untranslated\" in [qc] must be between 0 and 1 (found nan)");
    EXPECT_EQ(refusal("[engines.translate]\nclone_request = \"xml\"\n"),
              "series.toml:2: key \"clone_request\" in [engines.translate] must be \"json\" or \"multipart\" (found \"xml\")");
    // A table written as a value, a value written as a table, a list of tables as one table.
    EXPECT_EQ(refusal("qc = 0.1\n"), "series.toml:1: [qc] is a table, written [qc] (found a number)");
    EXPECT_EQ(refusal("glossary = 3\n"), "series.toml:1: \"glossary\" holds tables, written [glossary.NAME] (found an integer)");
    EXPECT_EQ(refusal("[series.to]\nx = 1\n"), "series.toml:1: key \"to\" in [series] must be a list of strings (found a table)");
    EXPECT_EQ(refusal("[term]\ntext = \"a\"\n"), "series.toml:1: [[term]] entries are tables, each written [[term]] (found a table)");
    EXPECT_EQ(refusal("[[term]]\ntext = \"a\"\n[[term]]\ntxt = \"b\"\n"), "series.toml:4: unknown key \"txt\" in [[term]]; did you mean \"text\"?");
}

TEST(ConfigSchema, EveryProblemIsListedInTheOrderOfTheFileAndTheFirstIsTold) {
    const std::string text = "[series]\nfrm = \"zh\"\n[qc]\nmax_untranslated = 2\n[engines.asr]\nbackend = 1\n";
    try {
        Config::parse(text, "s.toml", schema());
        FAIL();
    } catch (const InvalidConfig& e) {
        ASSERT_EQ(e.problems().size(), 3u);
        EXPECT_EQ(e.problems()[0].rfind("s.toml:2:", 0), 0u);
        EXPECT_EQ(e.problems()[1].rfind("s.toml:4:", 0), 0u);
        EXPECT_EQ(e.problems()[2].rfind("s.toml:6:", 0), 0u);
        EXPECT_EQ(std::string(e.what()), e.problems()[0] + " (and 2 more problems)");
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
}

TEST(ConfigSchema, WhatIsDeclaredIsAccepted) {
    EXPECT_EQ(refusal("[series]\nfrom = \"zh\"\nto = []\nscript = \"scripts/{episode}.srt\"\n\n[engines.translate]\nbackend = \"openai\"\n"
                      "timeout_s = 30\nmax_retries = 0\n\n[cast.lin]\nname = \"Lin\"\npitch_hz = 225\n[cast.\"陈\"]\nname = \"Chen\"\n"
                      "[glossary.\"林小姐\"]\nen = \"Miss Lin\"\nzh-Hant = \"林小姐\"\n[[term]]\ntext = \"a\"\n[[term]]\ntext = \"b\"\n"),
              "");
}

TEST(ConfigSchema, SecretsInUrlsAreMasked) {
    EXPECT_EQ(mask_url_credentials("postgresql://ana:s3cret@db.example/jobs"), "postgresql://ana:********@db.example/jobs");
    EXPECT_EQ(mask_url_credentials("postgresql://ana@db/jobs"), "postgresql://ana@db/jobs");
    EXPECT_EQ(mask_url_credentials("http://u:p@h:8080/v1?x=1"), "http://u:********@h:8080/v1?x=1");
    EXPECT_EQ(mask_url_credentials("host=db user=ana password=s3cret dbname=jobs"), "host=db user=ana password=******** dbname=jobs");
    EXPECT_EQ(mask_url_credentials("postgresql://db/jobs?user=ana&password=s3cret"), "postgresql://db/jobs?user=ana&password=********");
    EXPECT_EQ(mask_url_credentials("http://127.0.0.1:8080/v1"), "http://127.0.0.1:8080/v1");
}

TEST(ConfigSchema, TheSettingsInEffectSayWhereEachCameFrom) {
    const auto series = Config::parse("[series]\nfrom = \"zh\"\n\n[engines.translate]\nbackend = \"openai\"\nmax_retries = 1\n\n[cast.lin]\nname = \"Lin\"\n"
                                      "[glossary.\"林小姐\"]\nen = \"Miss Lin\"\n",
                                      "series.toml", schema());
    const auto engines = Config::parse("[engines.translate]\nmax_retries = 3\n", "engines.toml", schema());
    const auto settings = effective_settings(schema(), {&series, &engines});
    const auto find = [&](const std::string& key) {
        for (const auto& s : settings)
            if (s.key == key) return s;
        ADD_FAILURE() << "no setting " << key;
        return Setting{};
    };
    EXPECT_EQ(find("series.from").value, "zh");
    EXPECT_EQ(find("series.from").origin, "series.toml:2");
    EXPECT_EQ(find("series.out").value, "out");
    EXPECT_EQ(find("series.out").origin, "default");
    EXPECT_TRUE(find("series.script").value.is_null());
    EXPECT_EQ(find("engines.translate.backend").origin, "series.toml:5");
    EXPECT_EQ(find("engines.translate.max_retries").value, 3);  // the later file wins
    EXPECT_EQ(find("engines.translate.max_retries").origin, "engines.toml:2");
    EXPECT_EQ(find("engines.translate.timeout_s").value, 120);
    EXPECT_EQ(find("cast.lin.name").value, "Lin");
    EXPECT_EQ(find("cast.lin.pitch_hz").origin, "default");
    EXPECT_EQ(find("glossary.\"林小姐\".en").value, "Miss Lin");
    EXPECT_EQ(find("glossary.\"林小姐\".en").origin, "series.toml:11");
    for (const auto& s : settings) EXPECT_EQ(s.key.find("term"), std::string::npos) << s.key;  // lists of tables are content
}
