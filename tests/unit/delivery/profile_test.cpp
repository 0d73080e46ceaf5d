// Delivery profiles (delivery/profile.hpp): the built-in ones say what the issue asks of them,
// a profile file is checked whole with its file and line, and a series' own profile replaces
// a built-in one of its name.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "delivery/deliver.hpp"
#include "delivery/profile.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::delivery;

namespace {

const Profile& builtin(const std::string& name) {
    const auto& all = builtin_profiles();
    const auto it = std::find_if(all.begin(), all.end(), [&](const Profile& p) { return p.name == name; });
    if (it == all.end()) throw std::runtime_error("no built-in profile " + name);
    return *it;
}

std::string problem_of(const std::string& text) {
    try {
        parse_profile(text, "p.toml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(Profiles, TheFourBuiltInOnesSayWhatThePlatformsAsk) {
    ASSERT_EQ(builtin_profiles().size(), 4u);
    const Profile& phone = builtin("phone-app");
    EXPECT_EQ(phone.audio.format, "aac");
    EXPECT_EQ(phone.audio.loudness.target, -16);
    EXPECT_EQ(phone.subtitles.formats, (std::vector<std::string>{"srt", "vtt"}));
    EXPECT_FALSE(phone.subtitles.burned);
    EXPECT_EQ(phone.origin, "built-in");

    const Profile& social = builtin("social-vertical");
    EXPECT_TRUE(social.subtitles.burned);
    EXPECT_EQ(social.picture.text, "burned");
    EXPECT_EQ(social.audio.loudness.target, -14);
    EXPECT_GT(social.picture.safe_area.bottom, 0.1) << "the caption and buttons cover the bottom";
    EXPECT_GT(social.picture.safe_area.right, 0.1) << "the action column covers the right edge";

    const Profile& ott = builtin("ott");
    EXPECT_EQ(ott.picture.text, "textless");
    EXPECT_EQ(ott.audio.layout, "stems");
    EXPECT_EQ(ott.audio.format, "wav");
    EXPECT_EQ(ott.audio.sample_rate, 48000);
    EXPECT_EQ(ott.audio.bit_depth, 24);
    EXPECT_EQ(ott.audio.loudness.method, "speech-gated");
    EXPECT_EQ(ott.audio.loudness.target, -27);
    EXPECT_EQ(ott.audio.loudness.tolerance, 2);
    EXPECT_EQ(ott.audio.loudness.true_peak_max, -2);
    EXPECT_EQ(ott.subtitles.formats, (std::vector<std::string>{"ttml", "srt"}));

    const Profile& tv = builtin("broadcast");
    EXPECT_EQ(tv.audio.loudness.method, "integrated");
    EXPECT_EQ(tv.audio.loudness.target, -23);
    EXPECT_EQ(tv.audio.loudness.tolerance, 0.5);
}

TEST(Profiles, AFileIsCheckedWholeWithItsLine) {
    const std::string good = "[profile]\nname = \"mine\"\n";
    const Profile p = parse_profile(good, "mine.toml");
    EXPECT_EQ(p.name, "mine");
    EXPECT_EQ(p.version, 1);
    EXPECT_EQ(p.naming.pattern, "{series}_{episode:03}_{lang}.{ext}");

    std::string why = problem_of(good + "[audio]\nloudnes = \"integrated\"\n");
    EXPECT_NE(why.find("p.toml:4"), std::string::npos) << why;
    EXPECT_NE(why.find("loudness"), std::string::npos) << "the nearest name is suggested: " << why;
    why = problem_of(good + "[audio]\ntarget = -60\n");
    EXPECT_NE(why.find("target"), std::string::npos) << why;
    why = problem_of(good + "[subtitles]\nformats = [\"stl\"]\n");
    EXPECT_NE(why.find("stl"), std::string::npos) << why;
    why = problem_of(good + "[picture]\ntext = \"textless\"\n[subtitles]\nburned = true\n");
    EXPECT_NE(why.find("textless"), std::string::npos) << why;
    why = problem_of(good + "[audio]\nlayout = \"stems\"\n");
    EXPECT_NE(why.find("WAV"), std::string::npos) << "stems are files: " << why;
    why = problem_of(good + "[naming]\npattern = \"{series}_{episode}.{ext}\"\nfolder = \"{series}\"\n");
    EXPECT_NE(why.find("{lang}"), std::string::npos) << "languages would overwrite each other: " << why;
    why = problem_of(good + "[naming]\npattern = \"{series}_{ep}_{lang}.{ext}\"\n");
    EXPECT_NE(why.find("{ep}"), std::string::npos) << why;
    why = problem_of(good + "[naming]\nfolder = \"../{lang}\"\n");
    EXPECT_NE(why.find("climb"), std::string::npos) << why;
    why = problem_of("[profile]\nname = \"two words\"\n");
    EXPECT_NE(why.find("name"), std::string::npos) << why;
    why = problem_of(good + "[languages.xx-nonsense]\nmax_lines = 1\n");
    EXPECT_FALSE(why.empty()) << "a language tag dramaloc does not know is refused";
}

TEST(Profiles, ALanguageTableOverridesTheSubtitleRulesForThatLanguage) {
    const Profile p = parse_profile(
        "[profile]\nname = \"mine\"\n[subtitles]\nformats = [\"srt\"]\nmax_chars_per_line = 42\n"
        "[languages.ar]\nmax_chars_per_line = 36\n[languages.zh]\nmax_cps = 9\n",
        "mine.toml");
    EXPECT_EQ(p.subtitles_for("en").max_chars_per_line, 42);
    EXPECT_EQ(p.subtitles_for("ar").max_chars_per_line, 36);
    EXPECT_EQ(p.subtitles_for("zh-Hant").max_cps, 9) << "a region tag falls back to its language's table";
    EXPECT_EQ(p.subtitles_for("zh").max_chars_per_line, 42) << "what a language does not say is the profile's";
    EXPECT_EQ(p.to_json()["subtitles"]["languages"]["ar"]["max_chars_per_line"], 36);
}

TEST(Profiles, NamesExpandWithTheEpisodesNumberZeroPadded) {
    const NameFields f{"heiress", "ep7", "pt-BR", "mp4", "ott", 7};
    EXPECT_EQ(expand_name("{series}_{episode:03}_{lang}.{ext}", f), "heiress_007_pt-BR.mp4");
    EXPECT_EQ(expand_name("{profile}/{series}/{episode}", f), "ott/heiress/ep7");
    EXPECT_EQ(expand_name("{episode:05}", f), "00007");
    EXPECT_THROW(expand_name("{series", f), ConfigError);
}

TEST(Profiles, ASeriesOwnProfileReplacesTheBuiltInOneOfItsName) {
    test::TempDir dir;
    test::write_file(dir / "profiles" / "ott.toml", "[profile]\nname = \"ott\"\nversion = 7\n[audio]\nformat = \"wav\"\n");
    test::write_file(dir / "profiles" / "festival.toml", "[profile]\nname = \"festival\"\ndescription = \"For the jury\"\n");
    const auto all = available_profiles(dir.path());
    EXPECT_EQ(all.size(), 5u);
    const Profile ott = find_profile("ott", dir.path());
    EXPECT_EQ(ott.version, 7);
    EXPECT_NE(ott.origin.find("ott.toml"), std::string::npos);
    EXPECT_EQ(find_profile("festival", dir.path()).description, "For the jury");
    EXPECT_EQ(find_profile("ott", "").version, 1) << "elsewhere the built-in one";
    try {
        find_profile("tiktok", dir.path());
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("phone-app"), std::string::npos) << "the names there are: " << e.what();
    }
    EXPECT_EQ(find_profile((dir / "profiles" / "festival.toml").string(), "").name, "festival");
}

}  // namespace

TEST(SafeArea, BurnedTextOutsideItIsNamedByTheEdgeItCrosses) {
    using nlohmann::json;
    const delivery::SafeArea safe{0.10, 0.20, 0.05, 0.15};
    const auto area = [](int x, int y, int w, int h) {
        return json{{"x", x}, {"y", y}, {"width", w}, {"height", h}, {"frame_width", 1000}, {"frame_height", 2000}};
    };
    EXPECT_EQ(delivery::outside_safe_area(area(60, 1300, 780, 300), safe), "");  // 6 %-84 % across, 65 %-80 % down
    EXPECT_NE(delivery::outside_safe_area(area(60, 1300, 780, 460), safe).find("reach down to 88 % of the height, into the bottom 20 %"),
              std::string::npos);
    EXPECT_NE(delivery::outside_safe_area(area(60, 100, 780, 300), safe).find("into the top 10 %"), std::string::npos);
    EXPECT_NE(delivery::outside_safe_area(area(60, 1300, 900, 300), safe).find("right to 96 % of the width"), std::string::npos);
    EXPECT_NE(delivery::outside_safe_area(area(10, 1300, 780, 300), safe).find("into the left 5 %"), std::string::npos);
    EXPECT_EQ(delivery::outside_safe_area(area(0, 0, 1000, 2000), delivery::SafeArea{}), "") << "no safe area: anything goes";
}
