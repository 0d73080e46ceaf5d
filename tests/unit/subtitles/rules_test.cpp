#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/error.hpp"
#include "subtitles/rules.hpp"

using namespace dramaloc;
using namespace dramaloc::subtitles;

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
    const auto config = Config::parse(R"(
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

TEST(Rules, UnknownKeyNamesFileAndKey) {
    const auto config = Config::parse("[subtitles.rules.en]\nmax_cps = 20\n", "project.toml");
    auto rules = rules_for_language("en");
    try {
        apply_overrides(rules, config, "en");
        FAIL();
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind("project.toml: unknown key \"subtitles.rules.en.max_cps\"", 0), 0u) << m;
        EXPECT_NE(m.find("max_chars_per_second"), std::string::npos) << m;
    }
}

TEST(Rules, OutOfRangeValuesAreRejected) {
    auto rules = rules_for_language("en");
    EXPECT_THROW(apply_overrides(rules, Config::parse("[subtitles.rules.default]\nmax_lines = 0\n"), "en"), ConfigError);
    EXPECT_THROW(apply_overrides(rules, Config::parse("[subtitles.rules.default]\nmin_duration = 8000\n"), "en"),
                 ConfigError);
    EXPECT_THROW(apply_overrides(rules, Config::parse("[subtitles.rules.default]\nmax_lines = \"two\"\n"), "en"),
                 ConfigError);
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
