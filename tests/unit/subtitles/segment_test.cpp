#include <gtest/gtest.h>

#include "subtitles/check.hpp"
#include "subtitles/segment.hpp"
#include "subtitles/text.hpp"

using namespace dramaloc;
using namespace dramaloc::subtitles;

namespace {
Line line(int id, TimeMs start, TimeMs end, std::string text) {
    Line l;
    l.id = id;
    l.start = start;
    l.end = end;
    l.text = std::move(text);
    return l;
}
}  // namespace

TEST(Segment, EmptyScriptAndEmptyLines) {
    Script script;
    script.language = "en";
    EXPECT_TRUE(segment_script(script, rules_for_language("en"), FrameRate{}).empty());
    script.lines = {line(1, 0, 1000, "   ")};
    EXPECT_TRUE(segment_script(script, rules_for_language("en"), FrameRate{}).empty());
}

TEST(Segment, ChineseAsrWordsJoinWithoutSpaces) {
    Script script;
    script.language = "zh";
    Line l = line(1, 0, 0, "");
    l.words = {{"我们", 1000, 1400}, {"走", 1400, 1600}, {"吧。", 1600, 2000}};
    script.lines = {l};
    const auto events = segment_script(script, rules_for_language("zh"), FrameRate{});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].lines, std::vector<std::string>{"我们走吧。"});
    EXPECT_EQ(events[0].start, 1000);
    EXPECT_EQ(events[0].end, 2000);
}

TEST(Segment, LayoutBreaksThaiWithinTheLimit) {
    const std::string text = "ฉันไม่รู้ว่าเขาจะกลับมาเมื่อไหร่แต่ฉันจะรอเขาที่นี่ทั้งคืน";
    const auto rules = rules_for_language("th");
    const auto lines = layout_lines(text, "th", rules);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0] + lines[1], text);  // no characters lost or added
    for (const auto& l : lines) EXPECT_LE(grapheme_count(l), 35u) << l;
}

TEST(Segment, UnbreakableWordIsShownAndReported) {
    Script script;
    script.language = "en";
    script.lines = {line(1, 0, 3000, "Supercalifragilisticexpialidocious-and-even-longer-words")};
    const auto rules = rules_for_language("en");
    const auto events = segment_script(script, rules, FrameRate{});
    ASSERT_FALSE(events.empty());
    std::string joined;
    for (const auto& e : events) joined += e.joined("");
    EXPECT_EQ(joined, "Supercalifragilisticexpialidocious-and-even-longer-words");
}

TEST(Segment, LongEpisodeObeysTheRules) {
    Script script;
    script.language = "en";
    const std::string sentence = "I never wanted any of this, but now you have to promise me that you will stay. ";
    for (int i = 0; i < 200; ++i) {
        std::string text;
        for (int k = 0; k <= i % 3; ++k) text += sentence;
        script.lines.push_back(line(i + 1, i * 12000, i * 12000 + 4000 + 2500 * (i % 3), text));
    }
    const auto rules = rules_for_language("en");
    const auto events = segment_script(script, rules, FrameRate{30, 1});
    for (const auto& v : check_events(events, rules, FrameRate{30, 1})) {
        // Reading speed is the translator's to fix; everything else the segmenter guarantees.
        EXPECT_EQ(v.rule, "max_chars_per_second") << v.message;
    }
    for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].id, static_cast<int>(i) + 1);
}
