#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"

using namespace dramaloc;

namespace {

const ConfigSchema& test_schema() {
    static const ConfigSchema schema("test file", {{"subtitles.en",
                                                    {ConfigKey::integer("max_chars_per_line", 42, 1, 100), ConfigKey::number("max_cps", 17, 0, 100),
                                                     ConfigKey::strings("languages"), ConfigKey::boolean("enabled", false), ConfigKey::text("name")}},
                                                   {"a", {ConfigKey::text("b")}}});
    return schema;
}

}  // namespace

TEST(Config, TypedLookups) {
    auto c = Config::parse(R"(
[subtitles.en]
max_chars_per_line = 40
max_cps = 17.5
languages = ["es", "fr"]
enabled = true
name = "x"
)",
                           "<config>", test_schema());
    EXPECT_EQ(c.get_int("subtitles.en.max_chars_per_line"), 40);
    EXPECT_DOUBLE_EQ(*c.get_double("subtitles.en.max_cps"), 17.5);
    EXPECT_DOUBLE_EQ(*c.get_double("subtitles.en.max_chars_per_line"), 40.0);
    EXPECT_EQ(c.get_strings("subtitles.en.languages"), (std::vector<std::string>{"es", "fr"}));
    EXPECT_EQ(c.get_bool("subtitles.en.enabled"), true);
    EXPECT_EQ(c.get_string_or("subtitles.en.missing", "d"), "d");
    EXPECT_EQ(c.keys("subtitles"), std::vector<std::string>{"en"});
}

TEST(Config, WrongTypeNamesTheKey) {
    auto c = Config::parse("[a]\nb = \"text\"\n", "my.toml", test_schema());
    try {
        (void)c.get_int("a.b");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "my.toml: key \"a.b\" must be an integer");
    }
}

TEST(Config, SyntaxErrorHasLineNumber) {
    try {
        Config::parse("a = 1\nb = = 2\n", "bad.toml", test_schema());
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("bad.toml:2:", 0), 0u) << e.what();
    }
}

TEST(Config, WhereNamesTheLineThatSetsAKey) {
    const auto c = Config::parse("[a]\n\nb = \"x\"\n", "my.toml", test_schema());
    EXPECT_EQ(c.line_of("a.b"), 3);
    EXPECT_EQ(c.where("a.b"), "my.toml:3");
    EXPECT_EQ(c.where("subtitles.en.name"), "my.toml");  // not set: the file alone
}
