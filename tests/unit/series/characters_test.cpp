#include <gtest/gtest.h>

#include "engines/pitch_speakers/pitch_speakers.hpp"
#include "pipeline/localize.hpp"
#include "series/characters.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using namespace dramaloc::series;

namespace {

Character voice(std::string id, float pitch) {
    Character c;
    c.id = std::move(id);
    c.median_pitch_hz = pitch;
    return c;
}

TEST(SeriesCharacters, VoicesAreMatchedAcrossEpisodesInSeriesOrder) {
    engines::PitchSpeakerIdentifier speakers;
    Character lin = voice("lin", 0);  // in the cast, pitch not known yet
    lin.name = "Lin Xia";
    // ep1 heard the cast's Lin (matched in phase 1 by its id) and a new low voice; ep2 heard
    // the same two voices in the other order of appearance, and a third, new one.
    const std::vector<std::pair<std::string, std::vector<Character>>> heard = {
        {"ep1", {voice("lin", 220), voice("C1", 90)}},
        {"ep2", {voice("C1", 91), voice("C2", 150), voice("C3", 222)}},
    };
    const auto r = resolve_series_characters({lin}, heard, speakers);
    EXPECT_EQ(r.speaker_maps.at("ep1").at("lin"), "lin");
    EXPECT_EQ(r.speaker_maps.at("ep1").at("C1"), "C1");
    EXPECT_EQ(r.speaker_maps.at("ep2").at("C1"), "C1");   // the same low voice
    EXPECT_EQ(r.speaker_maps.at("ep2").at("C3"), "lin");  // Lin's voice, now that her pitch is known
    EXPECT_EQ(r.speaker_maps.at("ep2").at("C2"), "C2");   // new to the series: the next id
    ASSERT_EQ(r.characters.size(), 3u);
    EXPECT_EQ(r.characters[0].name, "Lin Xia");
    EXPECT_FLOAT_EQ(r.characters[0].median_pitch_hz, 220);  // learnt in ep1, the cast's name kept
    EXPECT_EQ(r.first_episode.at("C2"), "ep2");
    // Deterministic: the same input, the same answer.
    EXPECT_EQ(resolve_series_characters({lin}, heard, speakers).speaker_maps, r.speaker_maps);
}

TEST(SeriesCharacters, TwoVoicesOfOneEpisodeNeverBecomeOneCharacter) {
    engines::PitchSpeakerIdentifier speakers;
    const std::vector<std::pair<std::string, std::vector<Character>>> heard = {
        {"ep1", {voice("C1", 200)}},
        {"ep2", {voice("C1", 201), voice("C2", 202)}},  // both near ep1's C1: only one can be it
    };
    const auto r = resolve_series_characters({}, heard, speakers);
    EXPECT_NE(r.speaker_maps.at("ep2").at("C1"), r.speaker_maps.at("ep2").at("C2"));
    EXPECT_EQ(r.characters.size(), 2u);
}

}  // namespace
