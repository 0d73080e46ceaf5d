#include "engines/vad.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "core/error.hpp"
#include "recognition_fixture.hpp"

namespace dramaloc::engines {
namespace {

using test::kFemaleVoice;
using test::kMaleVoice;

const std::vector<test::SpokenLine> kDialogue = {
    {"Where are you going tonight?", kMaleVoice, 1500},
    {"I am going home. My mother is waiting for me.", kFemaleVoice, 1200},
    {"Then let me drive you.", kMaleVoice, 1000},
    {"No.", kFemaleVoice, 1400},
    {"Please, it is late and the roads are dark.", kMaleVoice, 1100},
};

// Regions overlapping [start, end).
std::vector<SpeechRegion> overlapping(const std::vector<SpeechRegion>& regions, TimeMs start, TimeMs end) {
    std::vector<SpeechRegion> out;
    for (const SpeechRegion& r : regions) {
        if (r.start < end && r.end > start) out.push_back(r);
    }
    return out;
}

void expect_finds_each_line(const test::GeneratedEpisode& episode, const std::vector<SpeechRegion>& regions) {
    TimeMs worst_start = 0;
    TimeMs worst_end = 0;
    for (const test::TruthLine& line : episode.lines) {
        const std::vector<SpeechRegion> hits = overlapping(regions, line.start, line.end);
        // One region, or two where a line holds two sentences and the pause between them
        // is longer than the bridge.
        ASSERT_GE(hits.size(), 1u) << "\"" << line.text << "\" at " << line.start << "–" << line.end << " ms";
        EXPECT_LE(hits.size(), 2u) << line.text;
        EXPECT_NEAR(hits.front().start, line.start, 150) << line.text;
        EXPECT_NEAR(hits.back().end, line.end, 250) << line.text;
        worst_start = std::max(worst_start, std::abs(hits.front().start - line.start));
        worst_end = std::max(worst_end, std::abs(hits.back().end - line.end));
    }
    // No region inside the pauses (all ≥ 1 s), apart from the edges of the lines themselves.
    for (std::size_t i = 0; i + 1 < episode.lines.size(); ++i) {
        const TimeMs gap_start = episode.lines[i].end + 200;
        const TimeMs gap_end = episode.lines[i + 1].start - 200;
        EXPECT_TRUE(overlapping(regions, gap_start, gap_end).empty())
            << "speech found in the pause " << gap_start << "–" << gap_end << " ms";
    }
    EXPECT_LE(regions.size(), episode.lines.size() + 1);
    ::testing::Test::RecordProperty("worst_start_error_ms", std::to_string(worst_start));
    ::testing::Test::RecordProperty("worst_end_error_ms", std::to_string(worst_end));
    std::cout << "[ measured ] worst start error " << worst_start << " ms, worst end error " << worst_end << " ms\n";
}

void expect_sorted_and_disjoint(const std::vector<SpeechRegion>& regions) {
    for (std::size_t i = 0; i < regions.size(); ++i) {
        EXPECT_LT(regions[i].start, regions[i].end);
        if (i > 0) {
            EXPECT_LT(regions[i - 1].end, regions[i].start);
        }
    }
}

TEST(SpectralVad, FindsEachLineInCleanDialogue) {
    const test::GeneratedEpisode episode = test::make_episode(kDialogue, -200.0);
    const std::vector<SpeechRegion> regions = make_voice_activity_detector("spectral")->detect(episode.audio);
    expect_sorted_and_disjoint(regions);
    expect_finds_each_line(episode, regions);
}

TEST(SpectralVad, FindsEachLineOverQuietMusicAndNothingInTheMusicAlone) {
    const test::GeneratedEpisode episode = test::make_episode(kDialogue, -30.0, 3000);
    const std::vector<SpeechRegion> regions = make_voice_activity_detector("spectral")->detect(episode.audio);
    expect_sorted_and_disjoint(regions);
    expect_finds_each_line(episode, regions);
    EXPECT_TRUE(overlapping(regions, episode.lines.back().end + 300, episode.audio.duration_ms()).empty());
}

TEST(SpectralVad, MusicOrSilenceAloneHasNoSpeech) {
    auto vad = make_voice_activity_detector("spectral");
    EXPECT_TRUE(vad->detect(media::make_silence(16000, 1, 5000)).empty());
    EXPECT_TRUE(vad->detect(media::make_silence(16000, 1, 0)).empty());
    EXPECT_TRUE(vad->detect(test::make_music_16k(8000, -30.0)).empty());
    EXPECT_TRUE(vad->detect(test::make_music_16k(8000, -18.0)).empty());  // even when loud
}

TEST(SpectralVad, BridgesShortPausesInsideAnUtterance) {
    const test::GeneratedEpisode episode = test::make_episode(
        {{"I waited for you.", kMaleVoice, 800}, {"All night.", kMaleVoice, 200}}, -30.0);
    const std::vector<SpeechRegion> regions = make_voice_activity_detector("spectral")->detect(episode.audio);
    ASSERT_EQ(regions.size(), 1u);
    EXPECT_NEAR(regions[0].start, episode.lines[0].start, 150);
    EXPECT_NEAR(regions[0].end, episode.lines[1].end, 250);
}

TEST(SpectralVad, APauseBetweenTwoLinesHoldsUpUnderMusic) {
    // Speech at -20 dBFS, music 20 dB under it playing on through 400 ms pauses: each line is
    // a region of its own, starting with its voice.
    const std::vector<test::SpokenLine> lines = {{"That is not a good reason.", kFemaleVoice, 800},
                                                 {"I know. I am sorry.", kMaleVoice, 400},
                                                 {"Miss Lin, the car is ready.", kMaleVoice, 400}};
    const test::GeneratedEpisode episode = test::make_episode(lines, -40.0);
    const std::vector<SpeechRegion> regions = make_voice_activity_detector("spectral")->detect(episode.audio);
    expect_sorted_and_disjoint(regions);
    for (std::size_t i = 0; i < episode.lines.size(); ++i) {
        const auto& line = episode.lines[i];
        const auto hits = overlapping(regions, line.start, line.end);
        ASSERT_FALSE(hits.empty()) << line.text;
        EXPECT_NEAR(hits.front().start, line.start, 150) << line.text;
        if (i + 1 < episode.lines.size()) {  // nothing runs on into the next line
            EXPECT_LT(hits.back().end, episode.lines[i + 1].start) << line.text;
        }
    }
}

TEST(SpectralVad, IsDeterministicAndNamesItsSettings) {
    const test::GeneratedEpisode episode = test::make_episode(kDialogue, -30.0);
    auto vad = make_voice_activity_detector("spectral");
    EXPECT_EQ(vad->detect(episode.audio), make_voice_activity_detector("spectral")->detect(episode.audio));
    EXPECT_EQ(vad->name(), "spectral");
    EXPECT_NE(vad->version().find("spectral-vad"), std::string::npos);
}

TEST(SpectralVad, RejectsAudioThatIsNotMono16k) {
    auto vad = make_voice_activity_detector("spectral");
    try {
        vad->detect(media::make_sine(440.0, 500, 48000, 2));
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("mono 16 kHz"), std::string::npos) << e.what();
    }
}

TEST(VadRegistry, ListsBackendsAndRejectsUnknownNames) {
    EXPECT_EQ(voice_activity_backends(), std::vector<std::string>{"spectral"});
    try {
        make_voice_activity_detector("webrtc");
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("\"webrtc\""), std::string::npos) << what;
        EXPECT_NE(what.find("spectral"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace dramaloc::engines
