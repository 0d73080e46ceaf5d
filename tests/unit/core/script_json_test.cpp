#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/script_json.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;

TEST(ScriptJson, RoundTrip) {
    Script s{"en",
             {Line{1, 100, 900, "A", "Hello there.", {Word{"Hello", 100, 400, 0.9f}, Word{"there.", 450, 900, 1.0f}},
                   LineOrigin::Asr},
              Line{2, 1200, 2000, "B", "你好", {}, LineOrigin::Ocr}}};
    test::TempDir dir;
    write_script_json(dir / "s.json", s);
    EXPECT_EQ(read_script_json(dir / "s.json"), s);
}

TEST(ScriptJson, BadFileIsInputError) {
    test::TempDir dir;
    test::write_file(dir / "bad.json", "{\"language\": 3}");
    EXPECT_THROW(read_script_json(dir / "bad.json"), InputError);
    test::write_file(dir / "origin.json", R"({"language":"en","lines":[{"id":1,"start_ms":0,"end_ms":1,"text":"x","origin":"dream"}]})");
    EXPECT_THROW(read_script_json(dir / "origin.json"), InputError);
}
