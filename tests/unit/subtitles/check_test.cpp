#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "subtitles/check.hpp"
#include "support/subtitle_event.hpp"

using namespace dramaloc;
using namespace dramaloc::subtitles;

using test::event;

TEST(Check, ValuesLimitsAndSeverity) {
    const auto rules = rules_for_language("en");
    const auto v = check_events({event(1, 1000, 1500, {"This line is much longer than forty-two characters."})},
                                rules, FrameRate{25, 1});
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].rule, "max_chars_per_line");
    EXPECT_EQ(v[0].value, 51);
    EXPECT_EQ(v[0].limit, 42);
    EXPECT_EQ(v[0].severity, Severity::Error);
    EXPECT_EQ(v[0].message, "event 1: line 1 has 51 characters; at most 42");
    EXPECT_EQ(v[1].rule, "min_duration");
    EXPECT_EQ(v[1].severity, Severity::Warning);
    EXPECT_EQ(v[2].rule, "max_chars_per_second");
    EXPECT_DOUBLE_EQ(v[2].value, 102.0);
}

TEST(Check, GapIsMeasuredInFrames) {
    const auto rules = rules_for_language("en");
    const std::vector<SubtitleEvent> events{event(1, 0, 2000, {"One."}), event(2, 2040, 4000, {"Two."})};
    const auto at25 = check_events(events, rules, FrameRate{25, 1});  // 40 ms = 1 frame
    ASSERT_EQ(at25.size(), 1u);
    EXPECT_EQ(at25[0].rule, "min_gap");
    EXPECT_DOUBLE_EQ(at25[0].value, 1.0);
    EXPECT_EQ(at25[0].limit, 2);
    EXPECT_NE(at25[0].message.find("at least 2 frames (80 ms)"), std::string::npos) << at25[0].message;
}

TEST(Check, JsonHasStableKeys) {
    const auto rules = rules_for_language("en");
    const auto v = check_events({event(7, 3000, 2000, {"Backwards."})}, rules, FrameRate{30, 1});
    const auto j = to_json(v);
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["event_id"], 7);
    EXPECT_EQ(j[0]["rule"], "order");
    EXPECT_EQ(j[0]["severity"], "error");
    EXPECT_EQ(j[0]["value"], -1000.0);
    EXPECT_EQ(j[0]["limit"], 1.0);
    EXPECT_TRUE(j[0]["message"].is_string());
    EXPECT_EQ(to_json({}).dump(), "[]");
}
