#include "engines/speakers.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "core/error.hpp"
#include "recognition_fixture.hpp"

namespace dramaloc::engines {
namespace {

using test::kFemaleVoice;
using test::kMaleVoice;

// Ten lines alternating irregularly between a man and a woman, music underneath.
const std::vector<test::SpokenLine> kScene = {
    {"Where were you last night?", kMaleVoice, 800},
    {"I was at my sister's house.", kFemaleVoice, 700},
    {"Your sister called me at midnight.", kMaleVoice, 600},
    {"Then she lied to you.", kFemaleVoice, 700},
    {"Why would she lie?", kMaleVoice, 500},
    {"Because she never liked you.", kFemaleVoice, 600},
    {"That is not an answer.", kFemaleVoice, 500},
    {"Tell me the truth, please.", kMaleVoice, 700},
    {"I already did.", kFemaleVoice, 600},
    {"Then we are finished.", kMaleVoice, 800},
};

std::vector<Line> lines_of(const test::GeneratedEpisode& episode) {
    std::vector<Line> lines;
    for (std::size_t i = 0; i < episode.lines.size(); ++i) {
        Line line;
        line.id = static_cast<int>(i + 1);
        line.start = episode.lines[i].start;
        line.end = episode.lines[i].end;
        line.text = episode.lines[i].text;
        lines.push_back(line);
    }
    return lines;
}

// Share of lines whose id agrees with the majority id of their true speaker.
double consistency(const test::GeneratedEpisode& episode, const std::vector<std::string>& ids) {
    std::map<bool, std::map<std::string, int>> votes;
    for (std::size_t i = 0; i < ids.size(); ++i) ++votes[episode.lines[i].male][ids[i]];
    int agree = 0;
    for (const auto& [male, counts] : votes) {
        int best = 0;
        for (const auto& [id, n] : counts) best = std::max(best, id.empty() ? 0 : n);
        agree += best;
    }
    return static_cast<double>(agree) / static_cast<double>(ids.size());
}

const Character* find(const std::vector<Character>& characters, const std::string& id) {
    for (const Character& c : characters) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

TEST(PitchSpeakers, TwoVoicesBecomeTwoCharactersWithTheRightRegister) {
    const test::GeneratedEpisode episode = test::make_episode(kScene, -30.0);
    const SpeakerAssignment result = make_speaker_identifier("pitch")->identify(episode.audio, lines_of(episode), {});
    ASSERT_EQ(result.line_speakers.size(), kScene.size());
    ASSERT_EQ(result.characters.size(), 2u);
    EXPECT_EQ(result.characters[0].id, "C1");  // the first line's voice comes first
    EXPECT_EQ(result.characters[1].id, "C2");
    EXPECT_EQ(result.line_speakers[0], "C1");
    const double agreement = consistency(episode, result.line_speakers);
    std::cout << "[ measured ] speaker consistency " << agreement << "; median pitch "
              << result.characters[0].median_pitch_hz << " / " << result.characters[1].median_pitch_hz << " Hz\n";
    RecordProperty("consistency", std::to_string(agreement));
    EXPECT_GE(agreement, 0.9);
    // The two voices are different characters.
    EXPECT_NE(result.line_speakers[0], result.line_speakers[1]);
    const Character* man = find(result.characters, result.line_speakers[0]);
    const Character* woman = find(result.characters, result.line_speakers[1]);
    ASSERT_TRUE(man && woman);
    EXPECT_EQ(man->voice_register, VoiceRegister::Low);
    EXPECT_EQ(woman->voice_register, VoiceRegister::High);
    EXPECT_LT(man->median_pitch_hz, 165.0f);
    EXPECT_GT(woman->median_pitch_hz, 165.0f);
}

TEST(PitchSpeakers, KnownCharactersKeepTheirIdsInTheNextEpisode) {
    auto identifier = make_speaker_identifier("pitch");
    const test::GeneratedEpisode first = test::make_episode(kScene, -30.0);
    const SpeakerAssignment one = identifier->identify(first.audio, lines_of(first), {});
    ASSERT_EQ(one.characters.size(), 2u);
    std::vector<Character> cast = one.characters;
    cast[0].name = "Wei";
    cast[1].name = "Lin";
    cast.insert(cast.begin(), Character{"narrator", "Narrator", VoiceRegister::Low, 90.0f, {}, {}, {}});

    // Next episode: the woman speaks first, with other sentences.
    const test::GeneratedEpisode next = test::make_episode(
        {{"You came back.", kFemaleVoice, 600},
         {"I forgot my keys.", kMaleVoice, 700},
         {"They are on the table, where you left them.", kFemaleVoice, 600},
         {"Thank you.", kMaleVoice, 500}},
        -30.0);
    const SpeakerAssignment two = identifier->identify(next.audio, lines_of(next), cast);
    const std::string man_id = one.line_speakers[0];
    const std::string woman_id = one.line_speakers[1];
    EXPECT_EQ(two.line_speakers, (std::vector<std::string>{woman_id, man_id, woman_id, man_id}));
    ASSERT_EQ(two.characters.size(), 2u);  // the narrator did not speak; nobody new did
    EXPECT_EQ(two.characters[0].name, "Wei");  // known ones in `known` order, as given
    EXPECT_EQ(two.characters[1].name, "Lin");

    // A voice unlike every known character gets the C-number after the highest known one.
    const std::vector<Character> without_woman = {cast[0], cast[1], Character{"C7", "Child", VoiceRegister::High, 400.0f, {}, {}, {}}};
    const SpeakerAssignment three = identifier->identify(next.audio, lines_of(next), without_woman);
    EXPECT_EQ(three.line_speakers[1], man_id);
    EXPECT_EQ(three.line_speakers[0], "C8");
    ASSERT_EQ(three.characters.size(), 2u);
    EXPECT_EQ(three.characters[0].id, man_id);
    EXPECT_EQ(three.characters[1].id, "C8");
    EXPECT_EQ(three.characters[1].voice_register, VoiceRegister::High);
}

TEST(PitchSpeakers, LinesWithoutVoiceStayUnknownAndResultsAreDeterministic) {
    // No music here: a melody alone can pass for a voice (pitch that moves, harmonics).
    test::GeneratedEpisode episode = test::make_episode(kScene, -200.0);
    std::vector<Line> lines = lines_of(episode);
    Line silent;
    silent.id = 99;
    silent.start = episode.audio.duration_ms() - 900;  // the silent tail
    silent.end = episode.audio.duration_ms() - 100;
    lines.push_back(silent);
    Line outside;
    outside.id = 100;
    outside.start = episode.audio.duration_ms() + 1000;
    outside.end = episode.audio.duration_ms() + 2000;
    lines.push_back(outside);
    auto identifier = make_speaker_identifier("pitch");
    const SpeakerAssignment a = identifier->identify(episode.audio, lines, {});
    ASSERT_EQ(a.line_speakers.size(), lines.size());
    EXPECT_EQ(a.line_speakers[lines.size() - 2], "");
    EXPECT_EQ(a.line_speakers[lines.size() - 1], "");
    const SpeakerAssignment b = make_speaker_identifier("pitch")->identify(episode.audio, lines, {});
    EXPECT_EQ(a.line_speakers, b.line_speakers);
    EXPECT_EQ(a.characters, b.characters);
    EXPECT_TRUE(identifier->identify(episode.audio, {}, {}).characters.empty());
}

TEST(PitchSpeakers, AnotherVoiceInsideALineIsATurnAtItsFirstWord) {
    // A woman's line and a man's run together with 150 ms between them (no pause a VAD or a
    // recogniser would split at); words are spread evenly over each line, as a recogniser
    // might place them.
    const test::GeneratedEpisode episode = test::make_episode(
        {{"That is not a good reason.", kFemaleVoice, 500}, {"I know that, I am sorry.", kMaleVoice, 150}}, -40.0);
    ASSERT_EQ(episode.lines.size(), 2u);
    Line line;
    line.start = episode.lines[0].start;
    line.end = episode.lines[1].end;
    for (const auto& truth : episode.lines) {
        const TimeMs step = (truth.end - truth.start) / 4;
        for (int k = 0; k < 4; ++k) line.words.push_back({"w", truth.start + k * step, truth.start + (k + 1) * step - 20, 0.9f});
    }
    auto speakers = make_speaker_identifier("pitch");
    const auto turns = speakers->voice_turns(episode.audio, line);
    ASSERT_EQ(turns.size(), 1u);
    EXPECT_EQ(turns[0].word, 4u);
    // The pause found is the one between the voices.
    EXPECT_NEAR(turns[0].previous_ends, episode.lines[0].end, 120);
    EXPECT_NEAR(turns[0].starts, episode.lines[1].start, 120);
    // One voice alone has no turn.
    Line one = line;
    one.end = episode.lines[0].end;
    one.words.resize(4);
    EXPECT_TRUE(speakers->voice_turns(episode.audio, one).empty());
}

TEST(PitchSpeakers, RejectsAudioThatIsNotMono16kAndUnknownBackends) {
    EXPECT_THROW(make_speaker_identifier("pitch")->identify(media::make_silence(44100, 2, 100), {}, {}), InputError);
    try {
        make_speaker_identifier("x-vector");
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find("pitch"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace dramaloc::engines
