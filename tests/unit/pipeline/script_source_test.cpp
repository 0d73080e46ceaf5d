// A studio's script as the source: read from subtitle and text files, timed by the burned-in
// subtitles or the speech when it has no times, compared with the burned-in subtitles.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipeline/script_source.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using namespace dramaloc::test;

namespace {

Line line(int id, TimeMs start, TimeMs end, std::string text) {
    Line l;
    l.id = id, l.start = start, l.end = end, l.text = std::move(text);
    return l;
}

std::vector<Line> untimed(std::initializer_list<const char*> texts) {
    std::vector<Line> out;
    for (const char* t : texts) out.push_back(line(static_cast<int>(out.size()) + 1, 0, 0, t));
    return out;
}

std::string error_of(const std::filesystem::path& file) {
    try {
        read_script_file(file);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(ScriptSource, ATextFileHasOneSubtitleALineAndNoTimes) {
    TempDir dir;
    write_file(dir / "ep1.txt", "你现在忙吗？\n\n  把手给我。  \r\n先生，VIP酒店的车来了。");
    const ScriptFile script = read_script_file(dir / "ep1.txt");
    EXPECT_FALSE(script.timed);
    ASSERT_EQ(script.lines.size(), 3u);
    EXPECT_EQ(script.lines[1].id, 2);
    EXPECT_EQ(script.lines[1].text, "把手给我。");
    EXPECT_EQ(script.lines[2].origin, LineOrigin::Import);
}

TEST(ScriptSource, ASubtitleFileGivesItsLinesWithTheirTimes) {
    TempDir dir;
    write_file(dir / "ep1.srt", "1\n00:00:01,000 --> 00:00:02,500\n你现在\n忙吗？\n\n2\n00:00:03,000 --> 00:00:04,000\n把手给我。\n");
    const ScriptFile script = read_script_file(dir / "ep1.srt");
    EXPECT_TRUE(script.timed);
    ASSERT_EQ(script.lines.size(), 2u);
    EXPECT_EQ(script.lines[0].text, "你现在 忙吗？");
    EXPECT_EQ(script.lines[0].start, 1000);
    EXPECT_EQ(script.lines[1].end, 4000);
}

TEST(ScriptSource, AMalformedScriptIsRefusedWithItsFileAndLine) {
    TempDir dir;
    write_file(dir / "bad.txt", "第一行\n第二\xff行\n");
    EXPECT_NE(error_of(dir / "bad.txt").find("bad.txt:2: not UTF-8"), std::string::npos) << error_of(dir / "bad.txt");
    write_file(dir / "ctrl.txt", "ok\nbell\a\n");
    EXPECT_NE(error_of(dir / "ctrl.txt").find("ctrl.txt:2: a control character"), std::string::npos);
    write_file(dir / "bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:0x,000 --> 00:00:04,000\nbad\n");
    EXPECT_NE(error_of(dir / "bad.srt").find("bad.srt:6:"), std::string::npos) << error_of(dir / "bad.srt");
    write_file(dir / "empty.txt", "\n \n");
    EXPECT_NE(error_of(dir / "empty.txt").find("no line of text"), std::string::npos);
}

TEST(ScriptSource, LinesWithoutTimesTakeTheTimesOfTheBurnedInLinesThatSayTheSame) {
    // The picture misread one line (答 for 签), and where the script has one line it shows two
    // others (a title, a caption): no pairing there.
    const std::vector<Line> picture = {line(1, 400, 1400, "你现在忙吗？"), line(2, 1900, 2800, "合同已经答好了。"), line(3, 3100, 4000, "片头字幕"),
                                       line(4, 4200, 5000, "第一集"), line(5, 6500, 8000, "三楼8号房间。")};
    const auto timed = time_by_matching_lines(untimed({"你现在忙吗？", "合同已经签好了。", "先生，VIP酒店的车来了。", "三楼8号房间。"}), picture, 10000);
    ASSERT_EQ(timed.size(), 4u);
    EXPECT_EQ(timed[0].start, 400);
    EXPECT_EQ(timed[1].start, 1900);
    EXPECT_EQ(timed[1].end, 2800);
    // The line with no burned-in match takes the time between its neighbours'.
    EXPECT_EQ(timed[2].start, 2800);
    EXPECT_EQ(timed[2].end, 6500);
    EXPECT_EQ(timed[3].start, 6500);
}

TEST(ScriptSource, ALineRewrittenSinceThePictureWasMadeTakesTheTimeOfTheLineInItsPlace) {
    const std::vector<Line> picture = {line(1, 400, 1400, "你现在忙吗？"), line(2, 1900, 2800, "三年了，一个电话都没有。"), line(3, 3100, 4000, "把手给我。")};
    const auto timed = time_by_matching_lines(untimed({"你现在忙吗？", "这不是理由。", "把手给我。"}), picture, 10000);
    EXPECT_EQ(timed[1].start, 1900);
    EXPECT_EQ(timed[1].end, 2800);
}

TEST(ScriptSource, ALineSplitInTwoBetweenSubtitlesThatTouchSharesItsNeighboursTime) {
    // Back-to-back burned-in lines (one ends on the frame the next starts): the script's extra
    // line has no stretch of its own, and shares the previous line's rather than going backwards.
    const std::vector<Line> picture = {line(1, 400, 2000, "你现在忙吗？"), line(2, 1967, 3000, "把手给我。"), line(3, 3000, 4000, "三楼8号房间。")};
    const auto timed = time_by_matching_lines(untimed({"你现在忙吗？", "我一直在等你的电话，等了三年。", "把手给我。", "三楼8号房间。", "走吧。"}), picture, 4000);
    ASSERT_EQ(timed.size(), 5u);
    for (std::size_t i = 0; i < timed.size(); ++i) {
        SCOPED_TRACE(timed[i].text);
        EXPECT_GE(timed[i].end - timed[i].start, 300);
        if (i > 0) {
            EXPECT_GE(timed[i].start, timed[i - 1].start);
        }
    }
    EXPECT_EQ(timed[0].start, 400);
    EXPECT_EQ(timed[2].start, 1967);
}

TEST(ScriptSource, AByteOrderMarkIsNotPartOfTheFirstLine) {
    TempDir dir;
    write_file(dir / "ep1.txt", "\xEF\xBB\xBF你现在忙吗？\n把手给我。\n");
    EXPECT_EQ(read_script_file(dir / "ep1.txt").lines.at(0).text, "你现在忙吗？");
}

TEST(ScriptSource, LinesWithoutTimesTakeTheStretchesOfSpeech) {
    // Five regions for three lines: merged at the two shortest pauses.
    const std::vector<engines::SpeechRegion> regions = {{1000, 2000}, {2100, 2600}, {4000, 5000}, {7000, 7500}, {7550, 8000}};
    auto timed = time_by_speech(untimed({"一", "二", "三"}), regions, 10000);
    EXPECT_EQ(timed[0].start, 1000);
    EXPECT_EQ(timed[0].end, 2600);
    EXPECT_EQ(timed[1].start, 4000);
    EXPECT_EQ(timed[2].start, 7000);
    EXPECT_EQ(timed[2].end, 8000);
    // One region for three lines: split in proportion to their length.
    timed = time_by_speech(untimed({"一二", "三四五六", "七八"}), {{0, 8000}}, 10000);
    EXPECT_EQ(timed[0].end, 2000);
    EXPECT_EQ(timed[1].start, 2000);
    EXPECT_EQ(timed[1].end, 6000);
    EXPECT_EQ(timed[2].end, 8000);
}

TEST(ScriptSource, DisagreementsWithThePictureAreEveryLineWithOtherWords) {
    const std::vector<Line> script = {line(1, 0, 1000, "你现在忙吗？"), line(2, 1000, 2000, "把手交给我。"), line(3, 2000, 3000, "请他进来。")};
    const std::vector<Line> picture = {line(1, 50, 950, "你现在忙吗?"), line(2, 1050, 1950, "把手给我。"), line(3, 4000, 5000, "雨停了。")};
    const auto d = compare_script_with_picture(script, picture);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].line, 2);  // one word more: reported (punctuation alone is not: line 1)
    EXPECT_EQ(d[0].picture, "把手给我。");
    EXPECT_EQ(d[1].line, 3);  // nothing on the picture there
    EXPECT_TRUE(d[1].picture.empty());
    EXPECT_EQ(d[2].line, 0);  // on the picture, not in the script
    EXPECT_EQ(d[2].picture, "雨停了。");
}
