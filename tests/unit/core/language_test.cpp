#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/language.hpp"

using namespace dramaloc;

TEST(Language, Bcp47ToIso6392) {
    EXPECT_EQ(iso639_2("en"), "eng");
    EXPECT_EQ(iso639_2("es-MX"), "spa");
    EXPECT_EQ(iso639_2("zh-Hans"), "zho");
    EXPECT_EQ(iso639_2("chi"), "zho");
    EXPECT_EQ(iso639_2("pt_BR"), "por");
    EXPECT_EQ(iso639_2("xx"), "und");
}

TEST(Language, ScriptAndDirection) {
    EXPECT_TRUE(is_right_to_left("ar"));
    EXPECT_FALSE(is_right_to_left("en"));
    EXPECT_EQ(script_class("zh"), ScriptClass::Cjk);
    EXPECT_EQ(script_class("th"), ScriptClass::Thai);
    EXPECT_EQ(script_class("FR"), ScriptClass::Latin);
    EXPECT_THROW(language_or_throw("klingon"), InputError);
}
