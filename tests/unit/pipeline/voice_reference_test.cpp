// Choosing and cutting a character's voice reference for cloning.
#include <gtest/gtest.h>

#include <cmath>

#include "engines/pitch_speakers/voice_profile.hpp"
#include "engines/tts.hpp"
#include "media/resample.hpp"
#include "media/wav.hpp"
#include "pipeline/voice_reference.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;

namespace {

Line line(int id, TimeMs start, TimeMs end, std::string speaker, std::string text, float confidence = 0.9f) {
    Line l;
    l.id = id;
    l.start = start;
    l.end = end;
    l.speaker = std::move(speaker);
    l.text = std::move(text);
    l.words.push_back({l.text, start, end, confidence});
    return l;
}

// A mono soundtrack at `rate` with a tone at `amplitude` over each span, `floor` elsewhere.
media::AudioBuffer soundtrack(int rate, TimeMs length, const std::vector<std::pair<Line, float>>& spans, float floor) {
    media::AudioBuffer a;
    a.sample_rate = rate;
    a.channels = 1;
    a.samples.assign(static_cast<std::size_t>(length * rate / 1000), 0.0f);
    for (std::size_t i = 0; i < a.samples.size(); ++i)
        a.samples[i] = floor * static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
    for (const auto& [l, amplitude] : spans)
        for (auto i = static_cast<std::size_t>(l.start * rate / 1000); i < static_cast<std::size_t>(l.end * rate / 1000); ++i)
            a.samples[i] += amplitude * static_cast<float>(std::sin(2 * 3.14159265 * 180.0 * static_cast<double>(i) / rate));
    return a;
}

}  // namespace

TEST(VoiceReference, ClarityRisesWithTheVoiceOverTheBackground) {
    const std::vector<Line> lines = {line(1, 1000, 3000, "C1", "a"), line(2, 5000, 7000, "C1", "b")};
    const auto audio = soundtrack(16000, 9000, {{lines[0], 0.5f}, {lines[1], 0.05f}}, 0.01f);
    const auto measures = measure_lines(audio, lines);
    ASSERT_EQ(measures.size(), 2u);
    EXPECT_GT(measures[0].clarity_db, measures[1].clarity_db + 15.0);  // 20 dB louder over the same floor
    EXPECT_GT(measures[1].clarity_db, 5.0);
}

TEST(VoiceReference, MeasuresEachLinesPitchWhenItHasAVoice) {
    // Real speech: espeak-ng's low and high variants, one line each, at 16 kHz.
    auto tts = engines::make_synthesizer("espeak");
    media::AudioBuffer audio = media::make_silence(16000, 1, 500);
    std::vector<Line> lines;
    for (const auto& [voice, pitch] : {std::pair{"en+m3", 25}, std::pair{"en+f2", 70}}) {
        engines::VoiceSpec spec;
        spec.language = "en";
        spec.voice = voice;
        spec.pitch = pitch;
        const auto speech = media::resample(tts->synthesize("Where were you last night? I waited for hours.", spec), 16000);
        lines.push_back(line(static_cast<int>(lines.size()) + 1, audio.duration_ms(), audio.duration_ms() + speech.duration_ms(), "C1", "x"));
        media::append(audio, speech);
        media::append_silence(audio, 500);
    }
    const auto measures = measure_lines(audio, lines);
    ASSERT_EQ(measures.size(), 2u);
    EXPECT_GT(measures[0].pitch_hz, 60.0);
    EXPECT_LT(measures[0].pitch_hz, 160.0);
    EXPECT_GT(measures[1].pitch_hz, 180.0);
    EXPECT_GT(engines::semitones_between(measures[0].pitch_hz, measures[1].pitch_hz), 6.0);
}

TEST(VoiceReference, LeavesOutALineInSomeoneElsesPitch) {
    const std::vector<Line> lines = {line(1, 0, 3000, "C1", "We meet again."), line(2, 4000, 7000, "C1", "Tell me the truth."),
                                     line(3, 8000, 11000, "C1", "I waited for you.")};
    // Line 2 is the clearest, but at 230 Hz it is a woman's line given to a 110 Hz man.
    const std::vector<LineMeasure> measures = {{20, 112}, {40, 230}, {25, 108}};
    const auto choice = choose_reference(lines, measures, "C1", 110.0, "en");
    ASSERT_EQ(choice.lines.size(), 2u);
    EXPECT_EQ(choice.lines[0].id, 1);
    EXPECT_EQ(choice.lines[1].id, 3);
    // Without the character's pitch nothing can be judged: the clearest lines win.
    EXPECT_EQ(choose_reference(lines, measures, "C1", 0.0, "en").lines.size(), 3u);
}

TEST(VoiceReference, PicksTheClearestSoloLinesUpToTheTargetInTimeOrder) {
    const std::vector<Line> lines = {
        line(1, 0, 2500, "C1", "We meet again."),
        line(2, 2700, 5000, "C2", "Not by choice."),         // another speaker: never in C1's clip
        line(3, 5100, 8000, "C1", "You owe me an answer."),  // starts 100 ms after C2 ends: not alone
        line(4, 10000, 13000, "C1", "Tell me the truth."),
        line(5, 15000, 15400, "C1", "No."),                  // too short to carry a voice
        line(6, 18000, 21000, "C1", "I waited for you."),
        line(7, 24000, 27000, "C1", "Then leave.", 0.2f),    // recognised with low confidence
    };
    const std::vector<LineMeasure> measures = {{30, 110}, {30, 230}, {30, 110}, {25, 110}, {30, 110}, {28, 110}, {30, 110}};
    ReferenceOptions o;  // 3-10 s, target 8 s
    const auto choice = choose_reference(lines, measures, "C1", 110.0, "en", o);
    ASSERT_EQ(choice.lines.size(), 3u) << choice.reason;
    EXPECT_EQ(choice.lines[0].id, 1);  // best first, but handed back in time order
    EXPECT_EQ(choice.lines[1].id, 4);
    EXPECT_EQ(choice.lines[2].id, 6);
    EXPECT_EQ(choice.text, "We meet again. Tell me the truth. I waited for you.");
    EXPECT_NEAR(choice.seconds, 2.5 + 3 + 3 + 2 * 0.25, 1e-9);
    EXPECT_LE(choice.seconds, o.max_s);
    EXPECT_GE(choice.seconds, o.min_s);
}

TEST(VoiceReference, JoinsChineseWithoutSpacesAndGivesAReasonWhenThereIsTooLittle) {
    const std::vector<Line> lines = {line(1, 0, 2000, "lin", "你好。"), line(2, 3000, 5000, "lin", "我回来了。"),
                                     line(3, 6000, 7500, "chen", "嗯。")};
    const std::vector<LineMeasure> measures = {{30, 220}, {30, 225}, {30, 95}};
    const auto lin = choose_reference(lines, measures, "lin", 222.0, "zh");
    ASSERT_FALSE(lin.lines.empty());
    EXPECT_EQ(lin.text, "你好。我回来了。");
    const auto chen = choose_reference(lines, measures, "chen", 95.0, "zh");
    EXPECT_TRUE(chen.lines.empty());
    EXPECT_NE(chen.reason.find("1.5 s"), std::string::npos) << chen.reason;
    EXPECT_TRUE(choose_reference(lines, measures, "nobody", 0.0, "zh").lines.empty());
}

TEST(VoiceReference, CutsTheChosenLinesFromTheOriginalWithGapsAndFades) {
    test::TempDir dir;
    const std::vector<Line> chosen = {line(1, 500, 1500, "C1", "a"), line(2, 3000, 4500, "C1", "b")};
    // A stereo original: the cut is mixed to mono at the original's rate.
    auto mono = soundtrack(48000, 5000, {{chosen[0], 0.5f}, {chosen[1], 0.5f}}, 0.0f);
    media::AudioBuffer stereo;
    stereo.sample_rate = 48000;
    stereo.channels = 2;
    for (float s : mono.samples) stereo.samples.insert(stereo.samples.end(), {s, s});
    media::write_wav(dir / "original.wav", stereo, media::WavSampleFormat::Float32);

    const auto clip = cut_reference(dir / "original.wav", chosen, 250);
    EXPECT_EQ(clip.sample_rate, 48000);
    EXPECT_EQ(clip.channels, 1);
    EXPECT_EQ(clip.frames(), (1000 + 250 + 1500) * 48);
    EXPECT_FLOAT_EQ(clip.samples.front(), 0.0f);  // faded in
    // The gap is silent and the lines keep their level.
    const auto gap = media::slice_ms(clip, 1050, 1200);
    EXPECT_LT(media::rms(gap), 1e-6);
    EXPECT_NEAR(media::rms(media::slice_ms(clip, 1400, 2600)), 0.5 / std::sqrt(2.0), 0.02);
}
