// Characters are series-wide: the cast of the config names them and fixes their voices, and
// one `dramaloc localize` over several episodes gives the same voice the same character in
// every episode.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "core/script_json.hpp"
#include "sample/sample.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;


TEST(SeriesCast, TheCastNamesCharactersAndEveryEpisodeKeepsThem) {
    TempDir dir;
    std::vector<sample::SampleResult> episodes;
    for (int seed : {1, 2}) {
        sample::SampleOptions o;
        o.seconds = 12;
        o.seed = static_cast<std::uint64_t>(seed);
        episodes.push_back(sample::make_sample(dir / ("ep" + std::to_string(seed) + ".mp4"), o));
    }
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
        std::string key;
        for (const auto& stage : manifest["run"]["stages"])
            if (stage["stage"] == "source-script") key = stage["key"];
        const auto script = read_script_json(dir / "out" / ".dramaloc-store" / key.substr(0, 2) / key / "script.json");
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
    for (int seed : {3, 4}) {
        sample::SampleOptions o;
        o.seconds = 10;
        o.seed = static_cast<std::uint64_t>(seed);
        videos.push_back(sample::make_sample(dir / ("e" + std::to_string(seed) + ".mp4"), o).video);
    }
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
