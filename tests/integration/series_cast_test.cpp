// Characters are series-wide: the cast of the config names them and fixes their voices, and
// one `dramaloc localize` over several episodes gives the same voice the same character in
// every episode.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "core/script_json.hpp"
#include "sample/sample.hpp"
#include "support/sample_episode.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;


TEST(SeriesCast, TheCastNamesCharactersAndEveryEpisodeKeepsThem) {
    TempDir dir;
    std::vector<sample::SampleResult> episodes;
    for (int seed : {1, 2}) episodes.push_back(sample_episode(dir / ("ep" + std::to_string(seed) + ".mp4"), 12, seed));
    // Median pitches as the pitch identifier measures the sample's two main voices.
    write_file(dir / "series.toml",
               "[cast.lin]\nname = \"Lin Xia\"\npitch_hz = 225\nvoices.es = \"es+f4\"\n\n"
               "[cast.chen]\nname = \"Chen Mo\"\npitch_hz = 91\n");
    const auto r = run_dramaloc({"localize", episodes[0].video.string(), episodes[1].video.string(), "--from", "en", "--to",
                                 "es", "--config", (dir / "series.toml").string(), "--out", (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* name : {"ep1", "ep2"}) {
        SCOPED_TRACE(name);
        const auto manifest = json::parse(read_file(dir / "out" / name / "manifest.json"));
        std::map<std::string, json> characters;
        for (const auto& c : manifest["characters"]) characters[c["id"].get<std::string>()] = c;
        ASSERT_TRUE(characters.count("lin")) << manifest["characters"];
        ASSERT_TRUE(characters.count("chen")) << manifest["characters"];
        EXPECT_EQ(characters["lin"]["name"], "Lin Xia");
        EXPECT_EQ(characters["lin"]["voices"]["es"], "es+f4");
        EXPECT_EQ(characters["chen"]["register"], "low");
    }
    // Lines are attributed to the cast's ids, and mostly to the right one: each reference line
    // against the recognised line overlapping it most.
    int right = 0, total = 0;
    for (std::size_t e = 0; e < episodes.size(); ++e) {
        const auto manifest = json::parse(read_file(dir / "out" / ("ep" + std::to_string(e + 1)) / "manifest.json"));
        const auto script = read_script_json(stage_artifact(dir / "out" / ".dramaloc-store", manifest, "source-script") / "script.json");
        for (const auto& want : episodes[e].contents.script.lines) {
            if (want.speaker != "lin" && want.speaker != "chen") continue;
            const Line* best = nullptr;
            TimeMs most = 0;
            for (const auto& got : script.lines) {
                const TimeMs o = std::min(want.end, got.end) - std::max(want.start, got.start);
                if (o > most) most = o, best = &got;
            }
            ++total;
            right += best && best->speaker == want.speaker;
        }
    }
    ASSERT_GT(total, 4);
    EXPECT_GE(static_cast<double>(right) / total, 0.6) << right << "/" << total;
}

TEST(SeriesCast, WithoutACastTheSecondEpisodeReusesTheFirstOnesCharacters) {
    TempDir dir;
    std::vector<fs::path> videos;
    for (int seed : {3, 4}) videos.push_back(sample_episode(dir / ("e" + std::to_string(seed) + ".mp4"), 10, seed).video);
    const auto r = run_dramaloc({"localize", videos[0].string(), videos[1].string(), "--from", "en", "--to", "es", "--out",
                                 (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, float> first;
    const json e3 = json::parse(read_file(dir / "out" / "e3" / "manifest.json"));
    const json e4 = json::parse(read_file(dir / "out" / "e4" / "manifest.json"));
    for (const auto& c : e3["characters"]) first[c["id"].get<std::string>()] = c["median_pitch_hz"].get<float>();
    ASSERT_FALSE(first.empty());
    for (const auto& c : e4["characters"]) {
        const std::string id = c["id"];
        ASSERT_TRUE(first.count(id)) << id << " is new in the second episode, though the same voices speak";
        EXPECT_EQ(c["median_pitch_hz"].get<float>(), first[id]) << "a known character keeps its profile";
    }
}

TEST(SeriesRun, ASeriesFileRunsEveryEpisodeAndALaterRunKnowsTheCharactersOfAnEarlierOne) {
    TempDir dir;
    for (int seed : {3, 4}) sample_episode(dir / "episodes" / ("ep" + std::to_string(seed - 2) + ".mp4"), 10, seed);
    write_file(dir / "episodes" / "ep3.mp4", "not a video");  // one bad episode must not stop the others
    write_file(dir / "series.toml", "[series]\ntitle = \"Test series\"\nfrom = \"en\"\nto = [\"es\"]\n"
                                    "episodes = [\"episodes/ep*.mp4\"]\nout = \"localized\"\n");

    // First only episode 1: its characters are kept with the series.
    auto r = run_dramaloc({"run", (dir / "series.toml").string(), "--episode", "ep1", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path out = dir / "localized";
    ASSERT_TRUE(fs::exists(out / "characters.json"));
    const json registry = json::parse(read_file(out / "characters.json"));
    std::map<std::string, float> first;
    for (const auto& c : registry["characters"]) {
        EXPECT_EQ(c["first_episode"], "ep1");
        first[c["id"].get<std::string>()] = c["median_pitch_hz"].get<float>();
    }
    ASSERT_FALSE(first.empty());
    EXPECT_FALSE(fs::exists(out / "ep2"));

    // Then the whole series, in another process: episode 1 is reused as it was, episode 2 hears
    // the same voices and gives them episode 1's ids, episode 3 fails alone.
    r = run_dramaloc({"run", (dir / "series.toml").string(), "-q"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("ep3.mp4"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 of 3 episodes failed"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("ep1.mp4: 0 stages computed"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(out / "ep2" / "ep2.localized.mp4"));
    EXPECT_FALSE(fs::exists(out / "ep3" / "ep3.localized.mp4"));
    const json ep2 = json::parse(read_file(out / "ep2" / "manifest.json"));
    ASSERT_FALSE(ep2["characters"].empty());
    for (const auto& c : ep2["characters"]) {
        const std::string id = c["id"];
        ASSERT_TRUE(first.count(id)) << id << " is new in episode 2, though the same voices speak";
        EXPECT_EQ(c["median_pitch_hz"].get<float>(), first[id]);
    }
    // An episode the series does not have is a usage error, before any work.
    r = run_dramaloc({"run", (dir / "series.toml").string(), "-e", "ep9", "-q"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("ep9: the series has no such episode"), std::string::npos) << r.err;
    // And a third run changes nothing.
    r = run_dramaloc({"run", (dir / "series.toml").string(), "-e", "ep1", "-e", "ep2", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("ep2.mp4: 0 stages computed"), std::string::npos) << r.out;
}
