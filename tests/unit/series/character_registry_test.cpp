// The series' characters between runs: each episode starts from those first heard before it.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipeline/localize.hpp"
#include "series/character_registry.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using namespace dramaloc::series;
namespace fs = std::filesystem;

namespace {

Character character(std::string id, float pitch) {
    Character c;
    c.id = std::move(id);
    c.median_pitch_hz = pitch;
    c.voice_register = pitch < 165 ? VoiceRegister::Low : VoiceRegister::High;
    return c;
}

std::vector<std::string> ids(const std::vector<Character>& cs) {
    std::vector<std::string> out;
    for (const auto& c : cs) out.push_back(c.id);
    return out;
}

}  // namespace

TEST(CharacterRegistry, AnEpisodeKnowsOnlyTheCharactersOfEarlierEpisodes) {
    test::TempDir dir;
    const std::vector<std::string> order = {"ep1", "ep2", "ep3"};
    CharacterRegistry registry(dir / "out");
    registry.record("ep1", order, {character("C1", 90)});
    registry.record("ep2", order, {character("C1", 90), character("C2", 250)});
    EXPECT_TRUE(registry.known_before("ep1", order, {}).empty());  // a re-run of ep1 starts as the first run did
    EXPECT_EQ(ids(registry.known_before("ep2", order, {})), (std::vector<std::string>{"C1"}));
    EXPECT_EQ(ids(registry.known_before("ep3", order, {})), (std::vector<std::string>{"C1", "C2"}));
    // An episode no longer listed counts as earlier: what was learnt there is kept.
    EXPECT_EQ(ids(registry.known_before("ep3", {"ep3"}, {})), (std::vector<std::string>{"C1", "C2"}));
}

TEST(CharacterRegistry, AnEpisodeRecordedAgainReplacesWhatItFoundBefore) {
    test::TempDir dir;
    const std::vector<std::string> order = {"ep1", "ep2"};
    CharacterRegistry registry(dir / "out");
    test::write_file(dir / "store" / "old.wav", "old clip");
    test::write_file(dir / "store" / "new.wav", "new clip");
    Character c1 = character("C1", 95);
    c1.reference_audio = (dir / "store" / "old.wav").string();
    c1.reference_text = "old";
    EXPECT_TRUE(registry.record("ep1", order, {c1, character("C2", 240)}).empty());
    EXPECT_TRUE(registry.record("ep2", order, {c1, character("C2", 240), character("C3", 180)}).empty());  // in order: no warning
    // ep1 again, with a better clip for C1 and without C2 (say, its lines were edited away).
    c1.reference_audio = (dir / "store" / "new.wav").string();
    c1.reference_text = "new";
    EXPECT_TRUE(registry.record("ep1", order, {c1}).empty());
    const auto known = CharacterRegistry(dir / "out").known_before("ep2", order, {});
    EXPECT_EQ(ids(known), (std::vector<std::string>{"C1"}));
    EXPECT_EQ(test::read_file(known[0].reference_audio), "new clip");
    EXPECT_EQ(known[0].reference_text, "new");
    EXPECT_EQ(ids(registry.known_before("ep3", {"ep1", "ep2", "ep3"}, {})), (std::vector<std::string>{"C1", "C3"}));
}

TEST(CharacterRegistry, TheSeriesFileWinsAndLearntFactsFillItsBlanks) {
    test::TempDir dir;
    CharacterRegistry registry(dir / "out");
    Character heard = character("lin", 231);
    heard.name = "Lin Xia";
    heard.voice_per_language["es"] = "es+f2";
    registry.record("ep1", {"ep1", "ep2"}, {heard});
    Character cast;  // the file names her and fixes her Spanish voice, and says nothing of her pitch
    cast.id = "lin";
    cast.name = "Lin";
    cast.voice_per_language["es"] = "es+f4";
    const auto known = registry.known_before("ep2", {"ep1", "ep2"}, {cast});
    ASSERT_EQ(known.size(), 1u);
    EXPECT_EQ(known[0].name, "Lin");
    EXPECT_EQ(known[0].voice_per_language.at("es"), "es+f4");
    EXPECT_FLOAT_EQ(known[0].median_pitch_hz, 231.0f);
    EXPECT_EQ(known[0].voice_register, VoiceRegister::High);
    EXPECT_FLOAT_EQ(registry.known_before("ep1", {"ep1", "ep2"}, {cast})[0].median_pitch_hz, 0.0f);
}

TEST(CharacterRegistry, SurvivesTheProcessWithItsVoiceReferencesKeptBesideIt) {
    test::TempDir dir;
    test::write_file(dir / "store" / "reference-1.wav", "RIFF-clip-of-C1");
    Character c1 = character("C1", 95);
    c1.reference_audio = (dir / "store" / "reference-1.wav").string();
    c1.reference_text = "We meet again.";
    {
        CharacterRegistry registry(dir / "out");
        registry.record("ep1", {"ep1", "ep2"}, {c1});
    }
    fs::remove_all(dir / "store");  // the artifact store may be cleared; the series keeps its voices
    const CharacterRegistry again(dir / "out");
    ASSERT_EQ(again.entries().size(), 1u);
    const auto known = again.known_before("ep2", {"ep1", "ep2"}, {});
    ASSERT_EQ(known.size(), 1u);
    EXPECT_EQ(fs::path(known[0].reference_audio).parent_path(), dir / "out" / "characters");
    EXPECT_EQ(test::read_file(known[0].reference_audio), "RIFF-clip-of-C1");
    EXPECT_EQ(known[0].reference_text, "We meet again.");
    EXPECT_FLOAT_EQ(known[0].median_pitch_hz, 95.0f);
}

TEST(CharacterRegistry, AFileItDidNotWriteIsRefusedWithTheWayOut) {
    test::TempDir dir;
    test::write_file(dir / "out" / "characters.json", "{\"characters\": 3}");
    try {
        CharacterRegistry registry(dir / "out");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("characters.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("delete it"), std::string::npos) << e.what();
    }
    test::write_file(dir / "out" / "characters.json", "not json");
    EXPECT_THROW(CharacterRegistry{dir / "out"}, InputError);
}

TEST(CharacterRegistry, EveryCharacterKeepsItsOwnClipWhateverItsId) {
    test::TempDir dir;
    std::vector<Character> met;
    for (const char* id : {"林小姐", "王先生", "a b", "a_b"}) {  // same length in bytes; same once made safe
        Character c = character(id, 200);
        c.reference_audio = (dir / "store" / (std::to_string(met.size()) + ".wav")).string();
        c.reference_text = id;
        test::write_file(c.reference_audio, std::string("clip of ") + id);
        met.push_back(c);
    }
    CharacterRegistry registry(dir / "out");
    registry.record("ep1", {"ep1", "ep2"}, met);
    const auto known = CharacterRegistry(dir / "out").known_before("ep2", {"ep1", "ep2"}, {});
    ASSERT_EQ(known.size(), 4u);
    for (const auto& c : known) EXPECT_EQ(test::read_file(c.reference_audio), "clip of " + c.id);
}

TEST(CharacterRegistry, AClipDeletedByHandIsCutAgain) {
    test::TempDir dir;
    Character c1 = character("C1", 95);
    c1.reference_audio = (dir / "store" / "r.wav").string();
    c1.reference_text = "We meet again.";
    test::write_file(c1.reference_audio, "RIFF");
    CharacterRegistry(dir / "out").record("ep1", {"ep1", "ep2"}, {c1});
    const auto kept = CharacterRegistry(dir / "out").known_before("ep2", {"ep1", "ep2"}, {})[0].reference_audio;
    fs::remove(kept);
    const auto known = CharacterRegistry(dir / "out").known_before("ep2", {"ep1", "ep2"}, {});
    ASSERT_EQ(known.size(), 1u);
    EXPECT_TRUE(known[0].reference_audio.empty());  // so the next episode cuts a new one
    EXPECT_TRUE(known[0].reference_text.empty());
}

TEST(CharacterRegistry, AnEarlierEpisodeRunAfterALaterOneTakesTheIdAndSaysWhatToRunAgain) {
    test::TempDir dir;
    const std::vector<std::string> order = {"ep1", "ep2"};
    CharacterRegistry registry(dir / "out");
    EXPECT_TRUE(registry.record("ep2", order, {character("C1", 230)}).empty());
    // ep1 knew nobody and numbered its own voices from C1 too: the same voice merges quietly…
    EXPECT_TRUE(registry.record("ep1", order, {character("C1", 225)}).empty());
    EXPECT_EQ(registry.entries().at(0).first_episode, "ep1");
    EXPECT_FLOAT_EQ(registry.entries().at(0).character.median_pitch_hz, 225.0f);
    // …a different one takes the id and names the episode whose C1 must be made again.
    CharacterRegistry other(dir / "other");
    other.record("ep2", order, {character("C1", 230)});
    const auto warnings = other.record("ep1", order, {character("C1", 95)});
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("-e ep2"), std::string::npos) << warnings[0];
    EXPECT_EQ(other.entries().at(0).first_episode, "ep1");
    EXPECT_FLOAT_EQ(other.entries().at(0).character.median_pitch_hz, 95.0f);
    // Run again, ep2 knows ep1's C1 and its own voice no longer matches it.
    EXPECT_EQ(ids(other.known_before("ep2", order, {})), (std::vector<std::string>{"C1"}));
}
