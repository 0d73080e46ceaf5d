#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "subtitles/rules.hpp"

using namespace dramaloc;
using namespace dramaloc::subtitles;

namespace {

// A file of subtitle rules alone, read as every configuration file is: checked against its schema.
Config rules_file(const std::string& text, const std::string& name = "rules.toml") {
    static const ConfigSchema schema("rules file", {rules_config_table()});
    return Config::parse(text, name, schema);
}

}  // namespace

TEST(Rules, LanguageDefaults) {
    const auto en = rules_for_language("en");
    EXPECT_EQ(en.max_lines, 2);
    EXPECT_EQ(en.max_chars_per_line, 42);
    EXPECT_DOUBLE_EQ(en.max_chars_per_second, 17.0);
    EXPECT_EQ(en.min_duration, 833);
    EXPECT_EQ(en.max_duration, 7000);
    EXPECT_EQ(en.min_gap_frames, 2);
    EXPECT_EQ(rules_for_language("zh-Hans").max_chars_per_line, 16);
    EXPECT_DOUBLE_EQ(rules_for_language("zh").max_chars_per_second, 9.0);
    EXPECT_EQ(rules_for_language("th").max_chars_per_line, 35);
    EXPECT_EQ(rules_for_language("ar").max_chars_per_line, 42);
    EXPECT_EQ(rules_for_language("ja").max_chars_per_line, 13);
    EXPECT_EQ(rules_for_language("xx"), SubtitleRules{});
}

TEST(Rules, OverridesApplyDefaultThenLanguageThenRegion) {
    const auto config = rules_file(R"(
[subtitles.rules.default]
max_chars_per_second = 15
min_gap_frames = 3
[subtitles.rules.pt]
max_chars_per_line = 40
[subtitles.rules.pt-BR]
max_chars_per_line = 38
min_duration = 1000
)");
    auto rules = rules_for_language("pt-BR");
    apply_overrides(rules, config, "pt-BR");
    EXPECT_DOUBLE_EQ(rules.max_chars_per_second, 15.0);
    EXPECT_EQ(rules.min_gap_frames, 3);
    EXPECT_EQ(rules.max_chars_per_line, 38);
    EXPECT_EQ(rules.min_duration, 1000);

    auto pt = rules_for_language("pt");
    apply_overrides(pt, config, "pt");
    EXPECT_EQ(pt.max_chars_per_line, 40);
    auto en = rules_for_language("en");
    apply_overrides(en, config, "en");
    EXPECT_EQ(en.max_chars_per_line, 42);
}

TEST(Rules, UnknownKeyNamesFileLineAndTheKeyMeant) {
    try {
        rules_file("[subtitles.rules.en]\nmax_chars_per_secnd = 20\n", "project.toml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "project.toml:2: unknown key \"max_chars_per_secnd\" in [subtitles.rules.en]; did you mean \"max_chars_per_second\"?");
    }
}

TEST(Rules, OutOfRangeValuesAreRejected) {
    auto rules = rules_for_language("en");
    EXPECT_THROW(rules_file("[subtitles.rules.default]\nmax_lines = 0\n"), ConfigError);
    EXPECT_THROW(rules_file("[subtitles.rules.default]\nmax_lines = \"two\"\n"), ConfigError);
    // Two keys that do not go together: the line of the one that made it so.
    try {
        apply_overrides(rules, rules_file("[subtitles.rules.default]\n\nmin_duration = 8000\n"), "en");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("rules.toml:3: ", 0), 0u) << e.what();
    }
}

TEST(Rules, BreakWords) {
    EXPECT_TRUE(is_conjunction("and", "en"));
    EXPECT_TRUE(is_conjunction("But", "en-GB"));
    EXPECT_TRUE(is_conjunction("pero", "es"));
    EXPECT_TRUE(is_conjunction("mais", "fr"));
    EXPECT_FALSE(is_conjunction("house", "en"));
    EXPECT_TRUE(must_not_end_line("the", "en"));
    EXPECT_TRUE(must_not_end_line("The,", "en"));
    EXPECT_TRUE(must_not_end_line("los", "es"));
    EXPECT_TRUE(must_not_end_line("Les", "fr"));
    EXPECT_TRUE(must_not_end_line("\u00C0", "fr"));  // "À" lower-cases to "à"
    EXPECT_FALSE(must_not_end_line("the", "zh"));
    EXPECT_TRUE(break_words_for_language("zh").conjunctions.empty());
}
