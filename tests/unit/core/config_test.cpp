#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/error.hpp"

using namespace dramaloc;

TEST(Config, TypedLookups) {
    auto c = Config::parse(R"(
[subtitles.en]
max_chars_per_line = 40
max_cps = 17.5
languages = ["es", "fr"]
enabled = true
name = "x"
)");
    EXPECT_EQ(c.get_int("subtitles.en.max_chars_per_line"), 40);
    EXPECT_DOUBLE_EQ(*c.get_double("subtitles.en.max_cps"), 17.5);
    EXPECT_DOUBLE_EQ(*c.get_double("subtitles.en.max_chars_per_line"), 40.0);
    EXPECT_EQ(c.get_strings("subtitles.en.languages"), (std::vector<std::string>{"es", "fr"}));
    EXPECT_EQ(c.get_bool("subtitles.en.enabled"), true);
    EXPECT_EQ(c.get_string_or("subtitles.en.missing", "d"), "d");
    EXPECT_EQ(c.keys("subtitles"), std::vector<std::string>{"en"});
}

TEST(Config, WrongTypeNamesTheKey) {
    auto c = Config::parse("[a]\nb = \"text\"\n", "my.toml");
    try {
        (void)c.get_int("a.b");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "my.toml: key \"a.b\" must be an integer");
    }
}

TEST(Config, SyntaxErrorHasLineNumber) {
    try {
        Config::parse("a = 1\nb = = 2\n", "bad.toml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("bad.toml:2:", 0), 0u) << e.what();
    }
}
