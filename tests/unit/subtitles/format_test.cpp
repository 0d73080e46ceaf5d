#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <random>

#include "core/error.hpp"
#include "subtitles/format.hpp"
#include "subtitles/ttml_time.hpp"
#include "support/subtitle_event.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::subtitles;

namespace {

using test::event;

SubtitleDocument sample_document() {
    SubtitleDocument doc;
    doc.events = {event(1, 1000, 3500, {"Where were you last night?"}, "lin"),
                  event(2, 3570, 6000, {"That is none of your business,", "and you know it."}, "zhao"),
                  event(3, 3600000 + 61230, 3600000 + 63000, {"Fish & chips <cheap>, \"quoted\" {braces} \\N"}),
                  event(4, 7000, 8000, {"Caf\u00E9 \u4F60\u597D"})};
    return doc;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string format_name(const testing::TestParamInfo<SubtitleFormat>& param_info) {
    return to_string(param_info.param);
}

}  // namespace

class RoundTrip : public testing::TestWithParam<SubtitleFormat> {};

TEST_P(RoundTrip, WriteThenReadGivesTheSameEvents) {
    const SubtitleFormat format = GetParam();
    const SubtitleDocument doc = sample_document();
    const std::string text = to_string(doc, format, WriteOptions{});
    const SubtitleDocument back = parse_subtitles(text, format, "roundtrip");
    ASSERT_EQ(back.events.size(), doc.events.size()) << text;
    for (std::size_t i = 0; i < doc.events.size(); ++i) {
        SubtitleEvent expected = doc.events[i];
        if (format == SubtitleFormat::Srt) {
            expected.speaker.clear();  // SRT has no speakers
            // nor escapes: a tag that is not SRT's own is removed (players would read it)
            for (auto& line : expected.lines)
                if (const auto at = line.find("<cheap>"); at != std::string::npos) line.erase(at, 7);
        }
        EXPECT_EQ(back.events[i], expected) << "event " << i + 1 << " of\n" << text;
    }
}

TEST_P(RoundTrip, ArabicComesBackWithoutControlCharacters) {
    SubtitleDocument doc;
    doc.events = {event(1, 1000, 3000, {"مرحبا!", "هل أنت بخير؟ 2024"}, "ليلى")};
    WriteOptions options;
    options.language = "ar";
    const std::string text = to_string(doc, GetParam(), options);
    const auto back = parse_subtitles(text, GetParam(), "ar");
    ASSERT_EQ(back.events.size(), 1u);
    EXPECT_EQ(back.events[0].lines, doc.events[0].lines);
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         testing::Values(SubtitleFormat::Srt, SubtitleFormat::WebVtt, SubtitleFormat::Ass,
                                         SubtitleFormat::Ttml),
                         format_name);

TEST(Format, FromPath) {
    EXPECT_EQ(format_from_path("a/ep1.SRT"), SubtitleFormat::Srt);
    EXPECT_EQ(format_from_path("ep1.vtt"), SubtitleFormat::WebVtt);
    EXPECT_EQ(format_from_path("ep1.ssa"), SubtitleFormat::Ass);
    EXPECT_EQ(format_from_path("ep1.dfxp"), SubtitleFormat::Ttml);
    const std::string m = message_of([] { (void)format_from_path("notes.txt"); });
    EXPECT_NE(m.find("notes.txt: unknown subtitle format \".txt\""), std::string::npos) << m;
    EXPECT_NE(m.find(".srt, .vtt, .ass"), std::string::npos) << m;
}

TEST(Srt, RealWorldQuirks) {
    // BOM, CRLF, a missing number, an odd number, extra blank lines, tags, no blank line
    // before the next block, '.' before milliseconds, coordinates, no final newline.
    const std::string text =
        "\xEF\xBB\xBF"
        "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> <font color=\"#ff0000\">there</font>\r\n\r\n\r\n"
        "00:00:03,000 --> 00:00:04,000\r\n{\\an8}No number here\r\n\r\n"
        "7a\r\n00:00:05.000 --> 00:00:06.000 X1:100 X2:200 Y1:10 Y2:20\r\nOdd number\r\nsecond line\r\n"
        "4\r\n00:00:07,000 --> 00:00:08,000\r\nNo blank line before me <3";
    const auto doc = parse_subtitles(text, SubtitleFormat::Srt, "quirks.srt");
    ASSERT_EQ(doc.events.size(), 4u);
    EXPECT_EQ(doc.events[0], event(1, 1000, 2500, {"Hello there"}));
    EXPECT_EQ(doc.events[1], event(2, 3000, 4000, {"No number here"}));
    EXPECT_EQ(doc.events[2], event(3, 5000, 6000, {"Odd number", "second line"}));
    EXPECT_EQ(doc.events[3], event(4, 7000, 8000, {"No blank line before me <3"}));
}

TEST(Srt, BrokenTimestampNamesTheLine) {
    const std::string text = "1\n00:00:01,000 --> 00:00:02,000\nFine.\n\n2\n00:01:0x,500 --> 00:01:02,000\nBroken.\n";
    const std::string m = message_of([&] { (void)parse_subtitles(text, SubtitleFormat::Srt, "ep1.srt"); });
    EXPECT_EQ(m, "ep1.srt:6: broken timestamp \"00:01:0x,500 --> 00:01:02,000\"; expected HH:MM:SS,mmm --> HH:MM:SS,mmm");
}

TEST(Srt, TextWithoutTimingIsRejected) {
    const std::string m = message_of([] { (void)parse_subtitles("just some notes\nmore\n", SubtitleFormat::Srt, "n.srt"); });
    EXPECT_EQ(m.rfind("n.srt:1: expected a subtitle number or a timing line", 0), 0u) << m;
}

TEST(WebVtt, RealWorldSample) {
    const std::string text =
        "WEBVTT - episode 1\nKind: captions\nLanguage: en\n\n"
        "STYLE\n::cue { color: yellow }\n\n"
        "REGION\nid:bottom\nwidth:40%\n\n"
        "NOTE this is a comment\nspanning lines\n\n"
        "intro-1\n00:01.000 --> 00:02.500 line:85% align:center\n<v Lin>Are you <i>really</i> coming?</v>\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v.loud Zhao Wei>Tom &amp; Jerry &lt;3 &nbsp;ok</v>\n<c.yellow>Second</c> <00:00:03.500>line\n\n"
        "00:00:05.000 --> 00:00:06.000\n&rlm;שלום\n";
    const auto doc = parse_subtitles(text, SubtitleFormat::WebVtt, "ep1.vtt");
    ASSERT_EQ(doc.events.size(), 3u);
    EXPECT_EQ(doc.events[0], event(1, 1000, 2500, {"Are you really coming?"}, "Lin"));
    EXPECT_EQ(doc.events[1], event(2, 3000, 4000, {"Tom & Jerry <3 \u00A0ok", "Second line"}, "Zhao Wei"));
    EXPECT_EQ(doc.events[2].lines, std::vector<std::string>{"\u200F\u05E9\u05DC\u05D5\u05DD"});
}

TEST(WebVtt, HeaderIsRequired) {
    const std::string m = message_of(
        [] { (void)parse_subtitles("00:01.000 --> 00:02.000\nHi\n", SubtitleFormat::WebVtt, "x.vtt"); });
    EXPECT_EQ(m, "x.vtt:1: missing WEBVTT header; a WebVTT file must start with the line WEBVTT");
}

TEST(WebVtt, WriterEscapesMarkup) {
    SubtitleDocument doc;
    doc.events = {event(1, 0, 1000, {"a < b & c > d"}, "Dr. <Evil>")};
    const std::string text = to_string(doc, SubtitleFormat::WebVtt);
    EXPECT_NE(text.find("<v Dr. &lt;Evil&gt;>a &lt; b &amp; c &gt; d"), std::string::npos) << text;
}

TEST(Srt, WriterRemovesMarkupThatIsNotSrtsOwn) {
    SubtitleDocument doc;
    doc.events = {event(1, 0, 1000, {"<img src=x onerror=alert(1)>Hola <script>x</script>", "{\\an8}a < b <3 <i>sí</i>"})};
    const std::string text = to_string(doc, SubtitleFormat::Srt);
    EXPECT_NE(text.find("Hola x\n"), std::string::npos) << text;
    EXPECT_NE(text.find("a < b <3 <i>sí</i>\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("img"), std::string::npos) << text;
    EXPECT_EQ(text.find("script"), std::string::npos) << text;
    EXPECT_EQ(text.find("an8"), std::string::npos) << text;
    // SRT's own tags keep nothing but a plain colour; a tag left open loses its '<'.
    doc.events = {event(1, 0, 1000, {"<font color=red onmouseover=alert(1)>x</font> <i onclick=y>z</i>", "<img src=x onerror=alert(1)//<b>w</b>"})};
    const std::string safe = to_string(doc, SubtitleFormat::Srt);
    EXPECT_NE(safe.find("<font color=\"red\">x</font> <i>z</i>\n"), std::string::npos) << safe;
    EXPECT_NE(safe.find("img src=x onerror=alert(1)//<b>w</b>\n"), std::string::npos) << safe;
    EXPECT_EQ(safe.find("<img"), std::string::npos) << safe;
    EXPECT_EQ(safe.find("onmouseover"), std::string::npos) << safe;
    EXPECT_EQ(safe.find("onclick"), std::string::npos) << safe;
}

TEST(Ass, RealWorldSample) {
    const std::string text =
        "[Script Info]\n; Script generated by Aegisub\nScriptType: v4.00+\nPlayResX: 720\nPlayResY: 1280\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding\n"
        "Style: Default,Arial,48,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Actor, MarginL, MarginR, MarginV, Effect, Text\n"
        "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,not shown\n"
        "Dialogue: 0,0:00:01.50,0:00:03.00,Default,Lin,0,0,0,,{\\an8\\fs40}Well, well,\\Nwell{\\i1}... look{\\i0} here\n"
        "Dialogue: 1,1:02:03.04,1:02:05.00,Sign,,0,0,0,,A\\hB \\n soft break\n";
    const auto doc = parse_subtitles(text, SubtitleFormat::Ass, "ep1.ass");
    EXPECT_EQ(doc.video_width, 720);
    EXPECT_EQ(doc.video_height, 1280);
    ASSERT_EQ(doc.events.size(), 2u);
    EXPECT_EQ(doc.events[0], event(1, 1500, 3000, {"Well, well,", "well... look here"}, "Lin"));
    EXPECT_EQ(doc.events[1].start, 3723040);
    EXPECT_EQ(doc.events[1].style, "Sign");
    EXPECT_EQ(doc.events[1].lines, (std::vector<std::string>{"A\u00A0B", "soft break"}));
}

TEST(Ass, BrokenTimeNamesTheLine) {
    const std::string text = "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
                             "Dialogue: 0,0:00:1.x0,0:00:03.00,Default,,0,0,0,,Hi\n";
    const std::string m = message_of([&] { (void)parse_subtitles(text, SubtitleFormat::Ass, "e.ass"); });
    EXPECT_EQ(m, "e.ass:3: broken start time \"0:00:1.x0\"; expected H:MM:SS.cc");
}

TEST(Ass, WriterMakesAVerticalBottomCentredScript) {
    SubtitleDocument doc;
    doc.events = {event(1, 1000, 2000, {"你好"})};
    WriteOptions options;
    options.language = "zh";
    const std::string text = to_string(doc, SubtitleFormat::Ass, options);
    EXPECT_NE(text.find("PlayResX: 1080\nPlayResY: 1920\n"), std::string::npos);
    EXPECT_NE(text.find("Style: Default,Noto Sans CJK SC,"), std::string::npos) << text;
    EXPECT_NE(text.find(",2,54,54,288,134\n"), std::string::npos) << text;  // bottom centre, margins, GB2312
    EXPECT_NE(text.find("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,你好\n"), std::string::npos) << text;
}

TEST(Ttml, ReaderUnderstandsTimeFormsSpansAndAgents) {
    const std::string text = R"(<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
    xmlns:tts="http://www.w3.org/ns/ttml#styling" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"
    ttp:frameRate="25" ttp:tickRate="10000000" xml:lang="es" tts:extent="720px 1280px">
  <head><metadata><ttm:agent xml:id="a1" type="character"><ttm:name type="full">Mei</ttm:name></ttm:agent></metadata></head>
  <body>
    <div>
      <p begin="00:00:01.000" end="00:00:02:12" ttm:agent="a1">Hola,
          <span tts:fontStyle="italic">amigo</span><br/>¿qué <span>tal <span>estás</span></span>?</p>
      <p begin="10.5s" dur="500ms">Offset &amp; duration</p>
      <p begin="30000000t" end="40000000t">Ticks</p>
    </div>
    <div begin="00:01:00.000"><p begin="1s" end="2s">Relative to the div</p></div>
  </body>
</tt>)";
    const auto doc = parse_subtitles(text, SubtitleFormat::Ttml, "ep1.ttml");
    EXPECT_EQ(doc.language, "es");
    EXPECT_EQ(doc.video_width, 720);
    ASSERT_EQ(doc.events.size(), 4u);
    EXPECT_EQ(doc.events[0], event(1, 1000, 2480, {"Hola, amigo", "¿qué tal estás?"}, "Mei"));
    EXPECT_EQ(doc.events[1], event(2, 10500, 11000, {"Offset & duration"}));
    EXPECT_EQ(doc.events[2], event(3, 3000, 4000, {"Ticks"}));
    EXPECT_EQ(doc.events[3], event(4, 61000, 62000, {"Relative to the div"}));
}

TEST(Ttml, MalformedXmlNamesTheLine) {
    const std::string text = "<tt xmlns=\"http://www.w3.org/ns/ttml\">\n<body>\n<p begin=\"1s\" end=\"2s\">Hi</span>\n</body></tt>";
    const std::string m = message_of([&] { (void)parse_subtitles(text, SubtitleFormat::Ttml, "bad.ttml"); });
    EXPECT_EQ(m.rfind("bad.ttml:3: malformed XML (mismatched tag)", 0), 0u) << m;
}

TEST(Ttml, BadTimeAndNotTtml) {
    const std::string bad_time = "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body>\n<p begin=\"1 s\" end=\"2s\">Hi</p></body></tt>";
    EXPECT_EQ(message_of([&] { (void)parse_subtitles(bad_time, SubtitleFormat::Ttml, "t.ttml"); })
                  .rfind("t.ttml:2: unrecognised time \"1 s\" in begin", 0),
              0u);
    EXPECT_EQ(message_of([] { (void)parse_subtitles("<html></html>", SubtitleFormat::Ttml, "p.xml"); }),
              "p.xml:1: not a TTML document: the root element is <html>, expected <tt>");
    const std::string entities = "<!DOCTYPE tt [<!ENTITY a \"aaaaaaaa\">]><tt><body/></tt>";
    EXPECT_NE(message_of([&] { (void)parse_subtitles(entities, SubtitleFormat::Ttml, "e.ttml"); }).find("entities"),
              std::string::npos);
}

TEST(Ttml, TimeExpressions) {
    using detail::parse_ttml_time;
    detail::TtmlTiming t;
    t.frame_rate = 30000.0 / 1001.0;
    t.tick_rate = 10'000'000;
    EXPECT_EQ(parse_ttml_time("01:02:03.5", t), 3723500);
    EXPECT_EQ(parse_ttml_time("00:00:01:15", t), 1501);  // 15 frames at 29.97 fps = 500.5 ms, rounded
    EXPECT_EQ(parse_ttml_time("2.25h", t), 8100000);
    EXPECT_EQ(parse_ttml_time("1.5m", t), 90000);
    EXPECT_EQ(parse_ttml_time("250ms", t), 250);
    EXPECT_EQ(parse_ttml_time("20000000t", t), 2000);
    EXPECT_EQ(parse_ttml_time("60f", t), 2002);
    EXPECT_FALSE(parse_ttml_time("1:2:3", t));
    EXPECT_FALSE(parse_ttml_time("10", t));
    EXPECT_FALSE(parse_ttml_time("10sec", t));
    EXPECT_FALSE(parse_ttml_time("", t));
}

TEST(Ttml, WriterEmitsImsc1WithRtl) {
    SubtitleDocument doc;
    doc.events = {event(1, 1000, 2000, {"مرحبا!", "<نعم> & لا"}, "ليلى")};
    WriteOptions options;
    options.language = "ar";
    const std::string text = to_string(doc, SubtitleFormat::Ttml, options);
    for (const char* needle :
         {"xmlns=\"http://www.w3.org/ns/ttml\"", "ttp:contentProfiles=\"http://www.w3.org/ns/ttml/profile/imsc1.1/text\"",
          "xml:lang=\"ar\"", "tts:extent=\"1080px 1920px\"", "tts:displayAlign=\"after\"",
          "begin=\"00:00:01.000\" end=\"00:00:02.000\"", "tts:direction=\"rtl\" tts:unicodeBidi=\"embed\"",
          "مرحبا!<br/>&lt;نعم&gt; &amp; لا"}) {
        EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
    }
    EXPECT_EQ(text.find("\u202B"), std::string::npos) << "TTML states direction in markup, not control characters";
}

TEST(Rtl, PlainTextFormatsWrapEachLine) {
    SubtitleDocument doc;
    doc.events = {event(1, 1000, 2000, {"مرحبا!", "2024 سنة"})};
    WriteOptions options;
    options.language = "ar";
    const std::string srt = to_string(doc, SubtitleFormat::Srt, options);
    EXPECT_NE(srt.find("\n\u202Bمرحبا!\u202C\n\u202B2024 سنة\u202C\n"), std::string::npos) << srt;
    const std::string vtt = to_string(doc, SubtitleFormat::WebVtt, options);
    EXPECT_NE(vtt.find("\n\u202Bمرحبا!\u202C\n"), std::string::npos) << vtt;
    const std::string ass = to_string(doc, SubtitleFormat::Ass, options);
    EXPECT_NE(ass.find(",,\u202Bمرحبا!\u202C\\N\u202B2024 سنة\u202C\n"), std::string::npos) << ass;
    EXPECT_NE(ass.find(",178\n"), std::string::npos) << "Arabic charset in the style";
    options.language = "en";
    EXPECT_EQ(to_string(doc, SubtitleFormat::Srt, options).find("\u202B"), std::string::npos);
}

class Garbage : public testing::TestWithParam<SubtitleFormat> {};

TEST_P(Garbage, TenMegabytesRejectedQuickly) {
    std::mt19937 rng(42);
    std::string noise(10u << 20, '\0');
    for (auto& c : noise) c = static_cast<char>(rng() & 0xFF);
    std::string ascii(10u << 20, 'x');
    for (std::size_t i = 0; i < ascii.size(); ++i) ascii[i] = static_cast<char>(' ' + rng() % 95);
    for (const std::string* input : {&noise, &ascii}) {
        const auto begin = std::chrono::steady_clock::now();
        const std::string m = message_of([&] { (void)parse_subtitles(*input, GetParam(), "junk"); });
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        EXPECT_EQ(m.rfind("junk:", 0), 0u) << m.substr(0, 200);
        EXPECT_EQ(m.find('\n'), std::string::npos);
        EXPECT_LT(m.size(), 300u);
        EXPECT_LT(seconds, 2.0) << "sanity bound only";
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, Garbage,
                         testing::Values(SubtitleFormat::Srt, SubtitleFormat::WebVtt, SubtitleFormat::Ass,
                                         SubtitleFormat::Ttml),
                         format_name);

TEST(Files, WriteAndReadBack) {
    test::TempDir dir;
    const SubtitleDocument doc = sample_document();
    for (const char* name : {"out.srt", "out.vtt", "out.ass", "out.ttml"}) {
        write_subtitles(dir / name, doc);
        const auto back = read_subtitles(dir / name);
        EXPECT_EQ(back.events.size(), doc.events.size()) << name;
    }
    EXPECT_EQ(test::list_files(dir.path()).size(), 4u) << "no temporaries left behind";
}

// An episode without dialogue has no subtitles: every writer must produce a file that
// reads back as zero events (SRT writes 0 bytes, the others their headers).
TEST(Files, NoEventsRoundTripInEveryFormat) {
    test::TempDir dir;
    for (const char* name : {"none.srt", "none.vtt", "none.ass", "none.ttml"}) {
        write_subtitles(dir / name, SubtitleDocument{});
        EXPECT_TRUE(read_subtitles(dir / name).events.empty()) << name;
    }
    EXPECT_EQ(test::read_file(dir / "none.srt"), "");
    EXPECT_THROW((void)read_subtitles(dir / "missing.srt"), InputError);
}
