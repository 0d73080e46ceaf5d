// The CLI as a user runs it: exit codes, one-line errors, outputs that parse, and
// nothing partial left behind. Media are generated with `dramaloc sample make`.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <fstream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One short sample shared by the tests of this file (generated once).
const fs::path& shared_sample() {
    static std::unique_ptr<TempDir> dir;  // removed at exit
    static fs::path mp4;
    if (!dir) {
        dir = std::make_unique<TempDir>();
        mp4 = dir->path() / "ep1.mp4";
        auto r = run_dramaloc({"sample", "make", mp4.string(), "--seconds", "8", "--hardsubs", "zh"});
        if (r.exit_code != 0) ADD_FAILURE() << "sample make failed: " << r.err;
    }
    return mp4;
}

}  // namespace

TEST(Cli, HelpAndVersion) {
    auto r = run_dramaloc({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* cmd : {"probe", "subs", "sample", "demo"}) EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
    r = run_dramaloc({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("dramaloc"), std::string::npos);
}

// `dramaloc stages` prints the declared graph: as JSON every stage reads only stages listed
// before it, and the dot form has the same edges.
TEST(Cli, StagesPrintsTheGraphAsJsonAndDot) {
    auto r = run_dramaloc({"stages", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json graph = json::parse(r.out);
    std::set<std::string> seen;
    for (const auto& s : graph.at("stages")) seen.insert(s.at("name").get<std::string>());
    std::set<std::string> before;
    int edges = 0;
    for (const auto& s : graph.at("stages")) {
        for (const auto& input : s.at("reads"))
            if (seen.count(input.get<std::string>())) {
                EXPECT_TRUE(before.count(input.get<std::string>())) << s.dump();
                ++edges;
            }
        before.insert(s.at("name").get<std::string>());
    }
    EXPECT_EQ(graph.at("stages").back().at("job"), "episode");
    r = run_dramaloc({"stages", "--format", "dot"});
    ASSERT_EQ(r.exit_code, 0);
    std::size_t arrows = 0;
    for (std::size_t at = r.out.find("->"); at != std::string::npos; at = r.out.find("->", at + 2)) ++arrows;
    EXPECT_EQ(arrows, static_cast<std::size_t>(edges));
    EXPECT_NE(r.out.find("\"fit\" -> \"shorten\""), std::string::npos);
    EXPECT_EQ(run_dramaloc({"stages", "--format", "yaml"}).exit_code, 2);
}

TEST(Cli, UnknownCommandIsAUsageError) {
    auto r = run_dramaloc({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, ABadOptionValueIsAUsageErrorInEveryCommand) {
    // Whatever the command, a value that cannot be used exits 2 (like an unknown option),
    // in one line that names the option, before any output is written.
    TempDir dir;
    write_file(dir / "x.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello.\n");
    write_file(dir / "s.toml", "[series]\nepisodes = \".\"\nfrom = \"zh\"\nto = [\"es\"]\n");
    const std::string srt = (dir / "x.srt").string(), out = (dir / "out").string(), mp4 = (dir / "ep.mp4").string();
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"sample", "make", mp4, "--background", "sparkly"}, "--background"},
        {{"sample", "make", mp4, "--lines", "long"}, "--lines"},
        {{"sample", "make", mp4, "--music", "loud"}, "--music"},
        {{"sample", "make", mp4, "--seconds", "2"}, "5..3600"},
        {{"demo", "--out", out, "--seconds", "2"}, "5..3600"},
        {{"subs", "convert", srt, (dir / "x.vtt").string(), "--fps", "0"}, "--fps"},
        {{"subs", "convert", srt, (dir / "x.vtt").string(), "--lang", "qq"}, "qq"},
        {{"subs", "check", srt, "--lang", "qq"}, "qq"},
        {{"localize", srt, "--out", out, "--source", "radio"}, "radio"},
        {{"localize", srt, "--out", out, "--to", "qq"}, "qq"},
        {{"localize", srt, "--out", out, "--subtitle-band", "top"}, "top"},
        {{"localize", srt, "--out", out, "--to", "es", "--burn-in", "fr"}, "--burn-in"},
        {{"localize", srt, "--out", out, "--jobs", "-3"}, "--jobs"},
        {{"run", (dir / "s.toml").string(), "--jobs", "-3"}, "--jobs"},
    };
    for (const auto& [args, named] : cases) {
        const auto r = run_dramaloc(args);
        std::string line;
        for (const auto& a : args) line += a + " ";
        EXPECT_EQ(r.exit_code, 2) << line << "\n" << r.err;
        EXPECT_EQ(count_lines(r.err), 1) << line << "\n" << r.err;
        EXPECT_NE(r.err.find(named), std::string::npos) << line << "\n" << r.err;
    }
    EXPECT_EQ(list_files(dir.path()), (std::vector<std::string>{"s.toml", "x.srt"}));
}

TEST(Cli, SampleMakeWritesVideoAndReference) {
    const auto& mp4 = shared_sample();
    ASSERT_TRUE(fs::exists(mp4));
    const fs::path ref = fs::path(mp4).replace_extension(".json");
    ASSERT_TRUE(fs::exists(ref));
    const auto j = json::parse(read_file(ref));
    ASSERT_TRUE(j.contains("script"));
    EXPECT_GE(j["script"]["lines"].size(), 2u);
    ASSERT_TRUE(j.contains("hardsubs"));
    EXPECT_FALSE(j["hardsubs"].is_null());
}

TEST(Cli, ProbeHumanAndJson) {
    const auto& mp4 = shared_sample();
    auto r = run_dramaloc({"probe", mp4.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1080x1920"), std::string::npos) << r.out;
    r = run_dramaloc({"probe", mp4.string(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = json::parse(r.out);
    EXPECT_NEAR(j["duration_ms"].get<double>(), 8000, 200);
    bool video = false, audio = false;
    for (const auto& s : j["streams"]) {
        if (s["type"] == "video") {
            video = true;
            EXPECT_EQ(s["width"], 1080);
            EXPECT_EQ(s["height"], 1920);
            EXPECT_EQ(s["frame_rate"]["num"].get<int>() / s["frame_rate"]["den"].get<int>(), 30);
        }
        audio = audio || s["type"] == "audio";
    }
    EXPECT_TRUE(video);
    EXPECT_TRUE(audio);
}

TEST(Cli, ProbeErrorsAreOneActionableLine) {
    TempDir dir;
    write_file(dir / "notes.mp4", std::string("this is a shopping list, not a video\n"));
    write_file(dir / "empty.mp4", "");
    struct Case {
        fs::path path;
        const char* expect;
    } cases[] = {{dir / "notes.mp4", "not a media file"}, {dir / "empty.mp4", "empty"}, {dir / "missing.mp4", "no such file"}};
    for (const auto& c : cases) {
        auto r = run_dramaloc({"probe", c.path.string()});
        EXPECT_EQ(r.exit_code, 3) << c.path;
        EXPECT_EQ(count_lines(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(c.path.filename().string()), std::string::npos) << r.err;
    }
}

// A file the user may not read. Root reads everything, so as root the command runs in a
// child that has dropped to the unprivileged "nobody" user first.
TEST(Cli, UnreadableFileIsAnInputError) {
    TempDir dir;
    const fs::path file = dir / "locked.mp4";
    write_file(file, "whatever");
    fs::permissions(file, fs::perms::none);
    fs::permissions(dir.path(), fs::perms::all);  // the folder itself stays reachable
    int out_pipe[2];
    ASSERT_EQ(::pipe(out_pipe), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::dup2(out_pipe[1], 2);
        ::close(out_pipe[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) _exit(126);
        ::execl(dramaloc_binary().c_str(), "dramaloc", "probe", file.c_str(), nullptr);
        _exit(127);
    }
    ::close(out_pipe[1]);
    std::string err;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_pipe[0], buf, sizeof buf)) > 0) err.append(buf, static_cast<std::size_t>(n));
    ::close(out_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 126) << "could not drop privileges to test permissions";
    EXPECT_EQ(WEXITSTATUS(status), 3) << err;
    EXPECT_EQ(count_lines(err), 1) << err;
    EXPECT_NE(err.find("cannot read"), std::string::npos) << err;
    EXPECT_NE(err.find("locked.mp4"), std::string::npos) << err;
}

TEST(Cli, SubsConvertAllFormatsRoundTrip) {
    TempDir dir;
    write_file(dir / "ep.en.srt",
               "1\r\n00:00:01,000 --> 00:00:03,000\r\nHello there.\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,500\r\n"
               "Where are you going?\r\nHome.\r\n");
    for (const char* ext : {"vtt", "ass", "ttml"}) {
        const fs::path out = dir / (std::string("ep.en.") + ext);
        auto r = run_dramaloc({"subs", "convert", (dir / "ep.en.srt").string(), out.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const fs::path back = dir / (std::string("back-") + ext + ".en.srt");
        r = run_dramaloc({"subs", "convert", out.string(), back.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const std::string text = read_file(back);
        EXPECT_NE(text.find("00:00:04,000 --> 00:00:06,500"), std::string::npos) << ext << "\n" << text;
        EXPECT_NE(text.find("Where are you going?\nHome."), std::string::npos) << ext << "\n" << text;
    }
}

TEST(Cli, SubsConvertBrokenTimestampNamesTheLine) {
    TempDir dir;
    write_file(dir / "bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:0x,000 --> 00:00:04,000\nbad\n");
    auto r = run_dramaloc({"subs", "convert", (dir / "bad.srt").string(), (dir / "out.vtt").string()});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("bad.srt:6"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out.vtt"));
    EXPECT_EQ(list_files(dir.path()), std::vector<std::string>{"bad.srt"});
}

TEST(Cli, SubsCheckReportsViolationsAndExitsOne) {
    TempDir dir;
    // Event 2 overlaps event 1; event 3 has a 60-character line and lasts 300 ms.
    write_file(dir / "x.srt",
               "1\n00:00:01,000 --> 00:00:04,000\nFirst line.\n\n"
               "2\n00:00:03,500 --> 00:00:05,000\nOverlapping.\n\n"
               "3\n00:00:06,000 --> 00:00:06,300\nThis line is far too long to fit on a single subtitle row ok\n");
    auto r = run_dramaloc({"subs", "check", (dir / "x.srt").string(), "--lang", "en", "--json"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto j = json::parse(r.out);
    std::set<std::pair<int, std::string>> found;
    for (const auto& v : j["violations"]) found.insert({v["event_id"].get<int>(), v["rule"].get<std::string>()});
    EXPECT_TRUE(found.count({2, "overlap"})) << r.out;
    EXPECT_TRUE(found.count({3, "max_chars_per_line"})) << r.out;
    EXPECT_TRUE(found.count({3, "min_duration"})) << r.out;

    write_file(dir / "good.srt", "1\n00:00:01,000 --> 00:00:03,000\nFine.\n");
    r = run_dramaloc({"subs", "check", (dir / "good.srt").string(), "--lang", "en"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(Cli, SubsCheckHonoursConfigOverrides) {
    TempDir dir;
    write_file(dir / "x.srt", "1\n00:00:01,000 --> 00:00:04,000\nA line of exactly thirty chars\n");
    write_file(dir / "rules.toml", "[subtitles.rules.en]\nmax_chars_per_line = 20\n");
    auto r = run_dramaloc({"subs", "check", (dir / "x.srt").string(), "--lang", "en"});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = run_dramaloc({"subs", "check", (dir / "x.srt").string(), "--lang", "en", "--config", (dir / "rules.toml").string()});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("max_chars_per_line"), std::string::npos);
}

TEST(Cli, SampleMakeRejectsBadOptions) {
    TempDir dir;
    auto r = run_dramaloc({"sample", "make", (dir / "x.mp4").string(), "--seconds", "1"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    r = run_dramaloc({"sample", "make", (dir / "x.mp4").string(), "--hardsubs", "tlh"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(list_files(dir.path()).empty());
}

TEST(Cli, InterruptLeavesNoPartialOutputs) {
    TempDir dir;
    const fs::path out = dir / "long.mp4";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::execl(dramaloc_binary().c_str(), "dramaloc", "sample", "make", out.c_str(), "--seconds", "600", nullptr);
        _exit(127);
    }
    // Wait until it has started writing (a temporary appears), then press Ctrl-C.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (list_files(dir.path()).empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_FALSE(list_files(dir.path()).empty()) << "sample make never started writing";
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    EXPECT_TRUE(list_files(dir.path()).empty()) << "left behind: " << list_files(dir.path()).front();
}

TEST(Cli, DemoLocalizesASampleIntoSpanishAndFrench) {
    TempDir dir;
    auto r = run_dramaloc({"demo", "--out", (dir / "demo").string(), "--seconds", "8", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir / "demo" / "sample.mp4"));
    EXPECT_TRUE(fs::exists(dir / "demo" / "sample.json"));
    for (const char* name : {"sample.en.srt", "sample.es.srt", "sample.fr.vtt", "sample.es.dub.wav", "sample.fr.dub.wav",
                             "sample.localized.mp4", "qc.json", "manifest.json"}) {
        const fs::path p = dir / "demo" / "sample" / name;
        EXPECT_TRUE(fs::exists(p)) << name;
        EXPECT_NE(r.out.find(p.string()), std::string::npos) << "demo should print the path of " << name;
    }
    // It localized the studio's script it was given, line for line...
    EXPECT_TRUE(fs::exists(dir / "demo" / "sample.script.srt"));
    const auto qc = nlohmann::json::parse(read_file(dir / "demo" / "sample" / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "import");
    const auto reference = nlohmann::json::parse(read_file(dir / "demo" / "sample.json"));
    const auto english = read_file(dir / "demo" / "sample" / "sample.en.srt");
    for (const auto& line : reference["script"]["lines"]) EXPECT_NE(english.find(line["text"].get<std::string>()), std::string::npos) << line["text"];
    // ... and says what it did: the languages' QC, what to open first, and apart, how well the
    // embedded recogniser hears the same episode.
    EXPECT_NE(r.out.find("word error rate"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("QC es: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("QC fr: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Open first:"), std::string::npos) << r.out;
    // (How well it hears is a figure of bench/: asr_voices_bench and the localize benchmark.)
    // The subtitles it wrote obey the rules.
    for (const char* lang : {"en", "es", "fr"}) {
        r = run_dramaloc({"subs", "check", (dir / "demo" / "sample" / (std::string("sample.") + lang + ".srt")).string(), "--lang", lang});
        EXPECT_EQ(r.exit_code, 0) << lang << "\n" << r.out;
    }
}
