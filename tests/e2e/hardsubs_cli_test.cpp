// `dramaloc localize` with burned-in Chinese subtitles, as a user runs it: the source script
// read off the picture, the fallbacks and errors of --source, --subtitle-band and zh → X,
// removal before burn-in, and importing a script.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Episode {
    std::unique_ptr<TempDir> dir;
    fs::path mp4;
    json reference;
};

// Generated once per test process: 10 s, two characters, Chinese burned in (or not).
const Episode& episode(bool hardsubs) {
    static Episode with, without;
    Episode& e = hardsubs ? with : without;
    if (!e.dir) {
        e.dir = std::make_unique<TempDir>();
        e.mp4 = e.dir->path() / (hardsubs ? "zh.mp4" : "plain.mp4");
        std::vector<std::string> args = {"sample", "make", e.mp4.string(), "--seconds", "10", "-q"};
        if (hardsubs) args.insert(args.end(), {"--hardsubs", "zh"});
        const auto r = run_dramaloc(args);
        if (r.exit_code != 0) ADD_FAILURE() << r.err;
        e.reference = json::parse(read_file(fs::path(e.mp4).replace_extension(".json")));
    }
    return e;
}

struct SrtEvent {
    long start = 0, end = 0;  // ms
    std::string text;
};

// The events of an SRT file as dramaloc writes them (one text line each here).
std::vector<SrtEvent> srt_events(const fs::path& srt) {
    std::vector<SrtEvent> out;
    const std::string text = read_file(srt);
    const auto ms = [](const std::string& t) { return ((std::stol(t.substr(0, 2)) * 60 + std::stol(t.substr(3, 2))) * 60 + std::stol(t.substr(6, 2))) * 1000 + std::stol(t.substr(9, 3)); };
    for (std::size_t at = text.find(" --> "); at != std::string::npos; at = text.find(" --> ", at + 1)) {
        const std::size_t line_end = text.find('\n', at);
        const std::size_t text_end = text.find('\n', line_end + 1);
        out.push_back({ms(text.substr(at - 12, 12)), ms(text.substr(at + 5, 12)), text.substr(line_end + 1, text_end - line_end - 1)});
        if (!out.back().text.empty() && out.back().text.back() == '\r') out.back().text.pop_back();
    }
    return out;
}

int count_srt_events(const fs::path& srt) {
    const std::string text = read_file(srt);
    int n = 0;
    for (std::size_t at = text.find(" --> "); at != std::string::npos; at = text.find(" --> ", at + 1)) ++n;
    return n;
}

}  // namespace

TEST(HardsubsCli, WithoutTargetsWritesTheChineseScriptReadOffThePicture) {
    const auto& e = episode(true);
    TempDir out;
    const auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--out", out.path().string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = out.path() / "zh";
    for (const char* ext : {"srt", "vtt", "ass", "ttml"}) EXPECT_TRUE(fs::exists(folder / (std::string("zh.zh.") + ext))) << ext;
    EXPECT_FALSE(fs::exists(folder / "zh.localized.mp4"));  // nothing to dub without --to
    const auto qc = json::parse(read_file(folder / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "both");  // auto found the band and there is a soundtrack
    EXPECT_EQ(qc["source"]["lines"].get<std::size_t>(), e.reference["hardsubs"]["events"].size());
    // OCR once per subtitle, and again for a reading the engine was not sure of: never per frame.
    EXPECT_GE(qc["source"]["hardsubs"]["ocr_calls"].get<std::size_t>(), e.reference["hardsubs"]["events"].size());
    EXPECT_LE(qc["source"]["hardsubs"]["ocr_calls"].get<std::size_t>(), 2 * e.reference["hardsubs"]["events"].size());
    // The SRT holds the Chinese text (the first line, as burned in).
    const std::string first = e.reference["hardsubs"]["events"][0]["lines"][0];
    EXPECT_NE(read_file(folder / "zh.zh.srt").find(first), std::string::npos) << read_file(folder / "zh.zh.srt");
    EXPECT_GE(count_srt_events(folder / "zh.zh.srt"), static_cast<int>(e.reference["hardsubs"]["events"].size()));
}

TEST(HardsubsCli, SubsExtractWritesTheSubtitlesAndSaysWhatItDidInJson) {
    const auto& e = episode(true);
    TempDir out;
    const auto r = run_dramaloc({"subs", "extract", e.mp4.string(), (out / "zh.srt").string(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = json::parse(r.out);
    const auto& events = e.reference["hardsubs"]["events"];
    ASSERT_EQ(report["subtitles"].size(), events.size()) << report;
    EXPECT_EQ(report["language"], "zh");
    EXPECT_EQ(count_srt_events(out / "zh.srt"), static_cast<int>(events.size()));
    EXPECT_EQ(report["subtitles"][0]["text"], events[0]["lines"][0]);

    // A folder that is not there is said before the episode is decoded, and nothing is written.
    const auto missing = run_dramaloc({"subs", "extract", e.mp4.string(), (out / "no" / "zh.srt").string(), "-q"});
    EXPECT_EQ(missing.exit_code, 3);
    EXPECT_EQ(count_lines(missing.err), 1) << missing.err;
    EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
    EXPECT_FALSE(fs::exists(out / "no"));
}

TEST(HardsubsCli, OcrWithoutSubtitlesSaysSoAndBothFallsBackToSpeech) {
    const auto& e = episode(false);
    TempDir out;
    auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "en", "--source", "ocr", "--out", out.path().string(), "-q"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("no burned-in subtitles were found"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--source asr"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out.path() / "plain" / "plain.en.srt"));

    r = run_dramaloc({"localize", e.mp4.string(), "--from", "en", "--source", "both", "--out", out.path().string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto qc = json::parse(read_file(out.path() / "plain" / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "asr");
    EXPECT_NE(qc["source"]["note"].get<std::string>().find("no burned-in subtitles"), std::string::npos);
    EXPECT_GT(count_srt_events(out.path() / "plain" / "plain.en.srt"), 0);
}

TEST(HardsubsCli, SubtitlesInAnotherLanguageThanTheSpeechAreNotTakenForTheScript) {
    // The sample speaks English under Chinese subtitles: auto must notice and use the speech.
    const auto& e = episode(true);
    TempDir out;
    const auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "en", "--out", out.path().string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto qc = json::parse(read_file(out.path() / "zh" / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "asr");
    EXPECT_NE(qc["source"]["note"].get<std::string>().find("do not read as en"), std::string::npos) << qc["source"];
}

TEST(HardsubsCli, ABandOutsideTheFrameIsAClearError) {
    const auto& e = episode(true);
    TempDir out;
    auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--subtitle-band", "1800:2100", "--out",
                           out.path().string(), "-q"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("outside the 1080x1920 frame"), std::string::npos) << r.err;
    r = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--subtitle-band", "low", "--out", out.path().string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("y0:y1"), std::string::npos) << r.err;
    EXPECT_TRUE(list_files(out.path()).empty()) << "something was written";
}

TEST(HardsubsCli, ChineseToAnotherLanguageFailsEarlyNamingTheEngineToConfigure) {
    const auto& e = episode(true);
    TempDir out;
    const auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--to", "es", "--out", out.path().string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("[engines.translate]"), std::string::npos) << r.err;
    EXPECT_TRUE(list_files(out.path()).empty()) << "work started before the check";
}

TEST(HardsubsCli, RemovalBeforeBurnInReportsItsMethod) {
    const auto& e = episode(true);
    TempDir out;
    const auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--burn-in", "zh", "--remove-hardsubs", "--out",
                                 out.path().string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = out.path() / "zh";
    EXPECT_TRUE(fs::exists(folder / "zh.zh.burned.mp4"));
    const auto qc = json::parse(read_file(folder / "qc.json"));
    const auto& removal = qc["source"]["hardsub_removal"]["zh"];
    EXPECT_TRUE(removal["method"] == "inpaint" || removal["method"] == "blur" || removal["method"] == "inpaint then blur")
        << removal;
    EXPECT_GT(removal["frames_cleaned"].get<int>(), 0);
    EXPECT_LT(removal["frames_cleaned"].get<int>(), removal["frames"].get<int>());

    const auto without = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--remove-hardsubs", "--out", out.path().string()});
    EXPECT_NE(without.exit_code, 0);
    EXPECT_NE(without.err.find("--burn-in"), std::string::npos) << without.err;
}

TEST(HardsubsCli, AScriptInTheSpokenLanguageStillLetsTheBurnedInSubtitlesBeRemoved) {
    // An English episode with Chinese burned in, and the studio's English script: the Chinese
    // subtitles are not the script's words (nothing to compare), but they are found and removed.
    const auto& e = episode(true);
    TempDir out;
    write_file(out / "en.srt", reference_script_srt(e.reference));
    const auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "en", "--script", (out / "en.srt").string(), "--burn-in", "en",
                                 "--remove-hardsubs", "--out", (out.path() / "o").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = out.path() / "o" / "zh";
    EXPECT_TRUE(fs::exists(folder / "zh.en.burned.mp4"));
    const auto qc = json::parse(read_file(folder / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "import");
    EXPECT_NE(qc["source"]["note"].get<std::string>().find("not compared with the script"), std::string::npos) << qc["source"];
    EXPECT_FALSE(qc["source"].contains("script_disagreements")) << qc["source"];
    EXPECT_GT(qc["source"]["hardsub_removal"]["en"]["frames_cleaned"].get<int>(), 0) << qc["source"];
}

TEST(HardsubsCli, AnImportedScriptIsTheSource) {
    const auto& e = episode(false);
    TempDir out;
    const fs::path srt = out / "script.srt";
    write_file(srt, "1\r\n00:00:00,500 --> 00:00:02,000\r\nWhere are you going?\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,500\r\nI am going home.\r\n");
    auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "en", "--source", "srt:" + srt.string(), "--out",
                           (out.path() / "o").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count_srt_events(out.path() / "o" / "plain" / "plain.en.srt"), 2);
    EXPECT_NE(read_file(out.path() / "o" / "plain" / "plain.en.srt").find("I am going home."), std::string::npos);

    write_file(out / "bad.srt", "1\n00:00:01,000 --> 00:0x:02,000\nHello\n");
    r = run_dramaloc({"localize", e.mp4.string(), "--from", "en", "--source", "srt:" + (out / "bad.srt").string(), "--out",
                      (out.path() / "o2").string(), "-q"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("bad.srt:2:"), std::string::npos) << r.err;  // file:line
    EXPECT_TRUE(!fs::exists(out.path() / "o2") || list_files(out.path() / "o2").empty()) << "work started before the check";
}

TEST(HardsubsCli, AStudiosScriptIsTheSourceTimedByThePictureAndComparedWithIt) {
    // The studio's script of the Chinese episode, one subtitle a line, no times, one line
    // rewritten since the episode was burned.
    const auto& e = episode(true);
    TempDir out;
    const auto& events = e.reference["hardsubs"]["events"];
    ASSERT_GE(events.size(), 3u);
    std::string script;
    for (std::size_t i = 0; i < events.size(); ++i)
        script += (i == 1 ? std::string("这不是理由。") : events[i]["lines"][0].get<std::string>()) + "\n";
    write_file(out / "zh.txt", script);
    const auto r = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--script", (out / "zh.txt").string(), "--out",
                                 (out.path() / "o").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = out.path() / "o" / "zh";
    const auto qc = json::parse(read_file(folder / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "import");
    // The script's text, at the burned-in lines' times (within two frames).
    const auto subtitles = srt_events(folder / "zh.zh.srt");
    ASSERT_EQ(subtitles.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(subtitles[i].text, i == 1 ? std::string("这不是理由。") : events[i]["lines"][0].get<std::string>());
        EXPECT_NEAR(static_cast<double>(subtitles[i].start), events[i]["start_ms"].get<double>(), 67) << i;
        EXPECT_NEAR(static_cast<double>(subtitles[i].end), events[i]["end_ms"].get<double>(), 67) << i;
    }
    // The rewritten line is where the script and the picture disagree, and the only one.
    const auto& disagreements = qc["source"]["script_disagreements"];
    ASSERT_EQ(disagreements.size(), 1u) << disagreements;
    EXPECT_EQ(disagreements[0]["line"], 2);
    EXPECT_EQ(disagreements[0]["script"], "这不是理由。");
    EXPECT_EQ(disagreements[0]["picture"], events[1]["lines"][0]);

    // A malformed script stops the command before any work, naming its file and line.
    write_file(out / "bad.txt", "好\n不\x01好\n");
    const auto bad = run_dramaloc({"localize", e.mp4.string(), "--from", "zh", "--script", (out / "bad.txt").string(), "--out",
                                   (out.path() / "o2").string(), "-q"});
    EXPECT_EQ(bad.exit_code, 3);
    EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
    EXPECT_NE(bad.err.find("bad.txt:2:"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(out.path() / "o2"));
}
