// `dramaloc deliver` as a user runs it, on a generated series run for real: what is approved
// and current is delivered as the profile asks, judged by tools we did not write (ffprobe,
// ffmpeg's ebur128, sox, sha256sum -c, npm imsc and webvtt-parser); what is not is held back
// and named, with a non-zero exit; a second delivery makes nothing again.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "pipeline/manifest.hpp"
#include "series/review_log.hpp"
#include "store/object_store.hpp"
#include "support/s3_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A two-episode series (en -> es, fr; es burned in; the mix's stems kept; ep2 a 720x1280
// master, which profiles wanting 1080x1920 have encoded), made and run once
// for every test process of this build: ctest runs each test in a process of its own, two at
// a time, so the first one makes it under a lock and the others wait for it.
fs::path shared_series() {
    const fs::path binary = dramaloc_binary();
    const auto stamp = std::to_string(fs::file_size(binary)) + "-" + std::to_string(fs::last_write_time(binary).time_since_epoch().count());
    const TempDir probe;  // only for where the tests' temporary folders go
    const fs::path root = probe.path().parent_path();
    const fs::path dir = root / ("deliver-series-" + stamp);
    const int lock = ::open((root / "deliver-series.lock").c_str(), O_CREAT | O_RDWR, 0644);
    EXPECT_GE(lock, 0);
    ::flock(lock, LOCK_EX);
    if (!fs::exists(dir / "READY")) {
        for (const auto& old : fs::directory_iterator(root))
            if (old.path().filename().string().starts_with("deliver-series-")) fs::remove_all(old.path());
        fs::create_directories(dir);
        for (const char* ep : {"ep1", "ep2"}) {
            std::vector<std::string> args = {"sample", "make", (dir / "episodes" / (std::string(ep) + ".mp4")).string(), "--seconds", "8"};
            if (std::string(ep) == "ep2") args.insert(args.end(), {"--size", "720x1280"});
            const auto r = run_dramaloc(args);
            EXPECT_EQ(r.exit_code, 0) << r.err;
        }
        write_file(dir / "series.toml",
                   "[series]\nfrom = \"en\"\nto = [\"es\", \"fr\"]\nepisodes = [\"episodes/ep*.mp4\"]\nburn_in = [\"es\"]\n\n[mix]\nstems = true\n");
        const auto r = run_dramaloc({"run", (dir / "series.toml").string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        if (r.exit_code == 0) write_file(dir / "READY", "");
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
    return dir;
}

// Each test works on its own copy (cp -a keeps the times the manifests recorded), so it
// approves and edits what it needs.
class DeliverCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const fs::path from = shared_series();
        ASSERT_TRUE(fs::exists(from / "READY")) << "the shared series could not be made";
        const auto r = run_command({"cp", "-a", (from / ".").string(), dir_->path().string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() { delete dir_; }

    static fs::path series() { return dir_->path() / "series.toml"; }
    static fs::path out() { return dir_->path() / "out"; }

    // Approves ep × language at the revisions its lines were rendered at.
    static void approve(const std::string& episode, const std::string& language) {
        series::Review review{episode, language, "approved", "fine", "ana", "2026-12-07T10:00:00Z", {}};
        const auto scripts = pipeline::published_scripts(out() / episode);
        for (const auto& line : scripts.at(language).lines) review.revisions[line.id] = line.revision;
        ASSERT_FALSE(review.revisions.empty());
        ASSERT_TRUE(series::record_review(out(), review).recorded);
    }

    static CommandResult deliver(const std::string& profile, const fs::path& to, std::vector<std::string> more = {}) {
        std::vector<std::string> args = {"deliver", series().string(), "--profile", profile, "--to", to.string()};
        args.insert(args.end(), more.begin(), more.end());
        return run_dramaloc(args);
    }

    static TempDir* dir_;
};
TempDir* DeliverCli::dir_ = nullptr;

json manifest_of(const fs::path& file) { return json::parse(read_file(file)); }

double ebur128(const fs::path& file, const char* what) {
    const auto r = run_command({"ffmpeg", "-hide_banner", "-nostats", "-i", file.string(), "-af", "ebur128=peak=true", "-f", "null", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string tail = r.err.substr(r.err.rfind("Summary:"));
    std::smatch m;
    const std::regex pattern(std::string(what) == "I" ? R"(I:\s+(-?[0-9.]+) LUFS)" : R"(Peak:\s+(-?[0-9.]+) dBFS)");
    EXPECT_TRUE(std::regex_search(tail, m, pattern)) << tail;
    return std::stod(m[1].str());
}

// ffmpeg's ebur128 over the speech only (the script's lines), as `aselect` cuts it out: an
// outside figure for the manifest's speech-gated loudness.
double ebur128_over_speech(const fs::path& file, const json& lines) {
    std::string select;
    for (const auto& l : lines)
        select += (select.empty() ? "" : "+") + std::string("between(t,") + std::to_string(l["start_ms"].get<int>() / 1000.0) + "," +
                  std::to_string(l["end_ms"].get<int>() / 1000.0 - 1e-6) + ")";
    const auto r = run_command({"ffmpeg", "-hide_banner", "-nostats", "-i", file.string(), "-af",
                                "aselect='" + select + "',asetpts=N/SR/TB,ebur128", "-f", "null", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    const std::string tail = r.err.substr(r.err.rfind("Summary:"));
    EXPECT_TRUE(std::regex_search(tail, m, std::regex(R"(I:\s+(-?[0-9.]+) LUFS)"))) << tail;
    return std::stod(m[1].str());
}

// The subtitle files parsed by npm imsc (TTML, as IMSC 1.1 Text) and webvtt-parser (WebVTT):
// no errors, and text shown.
void judge_subtitles(const std::vector<fs::path>& files) {
    std::vector<std::string> argv = {"node", (source_dir() / "tests" / "subjudge" / "judge.mjs").string()};
    for (const auto& f : files) argv.push_back(f.string());
    const auto r = run_command(argv);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    std::istringstream lines(r.out);
    int judged = 0;
    for (std::string line; std::getline(lines, line);) {
        const json j = json::parse(line);
        EXPECT_GT(j["text_cues"].get<int>(), 0) << line;
        ++judged;
    }
    EXPECT_EQ(judged, static_cast<int>(files.size())) << r.out << r.err;
}

json ffprobe(const fs::path& file) {
    const auto r = run_command({"ffprobe", "-v", "error", "-of", "json", "-show_streams", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

// An H.264 picture at the profile's 1080x1920, as long as the 8 s episode, under `max_bps`.
void expect_picture(const json& stream, std::int64_t max_bps) {
    EXPECT_EQ(stream["codec_name"], "h264");
    EXPECT_EQ(stream["width"], 1080);
    EXPECT_EQ(stream["height"], 1920);
    EXPECT_LE(std::stoll(stream["bit_rate"].get<std::string>()), max_bps) << "the profile's ceiling";
    EXPECT_NEAR(std::stod(stream["duration"].get<std::string>()), 8.0, 0.05);
}

// sha256sum's figure for a file.
std::string sha256_of_file(const fs::path& file) {
    const auto r = run_command({"sha256sum", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find(' '));
}

// sha256sum -c over the manifest's files, in the manifest's folder.
void check_sums(const fs::path& manifest) {
    std::string sums;
    const json m = manifest_of(manifest);
    for (const auto& f : m["files"]) sums += f["sha256"].get<std::string>() + "  " + f["name"].get<std::string>() + "\n";
    write_file(manifest.parent_path() / "SHA256SUMS", sums);
    const auto r = run_command({"sh", "-c", "cd '" + manifest.parent_path().string() + "' && sha256sum -c SHA256SUMS"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    fs::remove(manifest.parent_path() / "SHA256SUMS");
}

TEST_F(DeliverCli, PhoneAppDeliversWhatIsApprovedAndHoldsBackTheRestByName) {
    approve("ep1", "es");
    approve("ep1", "fr");
    TempDir to;
    auto r = deliver("phone-app", to.path());
    EXPECT_EQ(r.exit_code, 3) << "ep2 is not approved: " << r.err;
    EXPECT_NE(r.err.find("ep2 es: held (not reviewed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2 delivered, 0 already there, 2 held back"), std::string::npos) << r.err;

    const fs::path manifest = to.path() / "series" / "es" / "series_001_es.manifest.json";
    ASSERT_TRUE(fs::exists(manifest)) << r.err;
    const json m = manifest_of(manifest);
    EXPECT_EQ(m["profile"]["name"], "phone-app");
    EXPECT_EQ(m["approval"]["who"], "ana");
    EXPECT_FALSE(fs::exists(to.path() / "series" / "es" / "series_002_es.mp4")) << "nothing of a held-back version";
    check_sums(manifest);

    const fs::path mp4 = to.path() / "series" / "es" / "series_001_es.mp4";
    const json streams = ffprobe(mp4)["streams"];
    ASSERT_EQ(streams.size(), 2u) << streams.dump();
    expect_picture(streams[0], 8'000'000);
    EXPECT_EQ(streams[1]["codec_name"], "aac");
    EXPECT_EQ(streams[1]["sample_rate"], "48000");
    const double lufs = ebur128(mp4, "I");
    EXPECT_NEAR(lufs, -16.0, 1.0) << "the profile's target";
    EXPECT_NEAR(lufs, m["files"][0]["integrated_lufs"].get<double>(), 0.5) << "the manifest's figure";
    EXPECT_LE(ebur128(mp4, "Peak"), -0.5);
    for (const char* ext : {"srt", "vtt"}) EXPECT_TRUE(fs::exists(to.path() / "series" / "es" / (std::string("series_001_es.") + ext)));
    judge_subtitles({to.path() / "series" / "es" / "series_001_es.vtt", to.path() / "series" / "fr" / "series_001_fr.vtt"});

    // Again: nothing is made again, nothing changes.
    const auto before = fs::last_write_time(mp4);
    r = deliver("phone-app", to.path(), {"-e", "ep1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("0 delivered, 2 already there, 0 held back"), std::string::npos) << r.err;
    EXPECT_EQ(fs::last_write_time(mp4), before);
}

TEST_F(DeliverCli, BroadcastIsA24BitWavAtR128) {
    approve("ep2", "es");
    TempDir to;
    const auto r = deliver("broadcast", to.path(), {"-e", "ep2", "--lang", "es"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path wav = to.path() / "series" / "es" / "series_002_es.wav";
    const json streams = ffprobe(wav)["streams"];
    ASSERT_EQ(streams.size(), 1u);
    EXPECT_EQ(streams[0]["codec_name"], "pcm_s24le");
    EXPECT_EQ(streams[0]["sample_rate"], "48000");
    EXPECT_NEAR(ebur128(wav, "I"), -23.0, 0.5);
    const json picture = ffprobe(to.path() / "series" / "es" / "series_002_es.mp4")["streams"];
    ASSERT_EQ(picture.size(), 1u) << "the picture alone";
    expect_picture(picture[0], 25'000'000);  // the 720x1280 master encoded to the profile's size
    for (const char* ext : {"ttml", "srt"}) EXPECT_TRUE(fs::exists(to.path() / "series" / "es" / (std::string("series_002_es.") + ext)));
    judge_subtitles({to.path() / "series" / "es" / "series_002_es.ttml"});
    check_sums(to.path() / "series" / "es" / "series_002_es.manifest.json");
}

TEST_F(DeliverCli, SocialVerticalEncodesTheBurnedInPictureToItsSizeUnderItsCeilingAt14Lufs) {
    approve("ep2", "es");
    TempDir to;
    const auto r = deliver("social-vertical", to.path(), {"-e", "ep2", "--lang", "es"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path mp4 = to.path() / "series" / "es" / "series_002_es.mp4";
    const json streams = ffprobe(mp4)["streams"];
    ASSERT_EQ(streams.size(), 2u) << streams.dump();
    expect_picture(streams[0], 6'000'000);
    EXPECT_EQ(streams[1]["codec_name"], "aac");
    EXPECT_NEAR(ebur128(mp4, "I"), -14.0, 1.0);
    EXPECT_LE(ebur128(mp4, "Peak"), -1.0) << "the ceiling, measured after AAC encoding";
    EXPECT_EQ(list_files(to.path()), (std::vector<std::string>{"series/es/series_002_es.manifest.json", "series/es/series_002_es.mp4"}))
        << "burned in, no sidecar";
    check_sums(to.path() / "series" / "es" / "series_002_es.manifest.json");
    // The subtitles are inside the profile's safe area: as the burn-in drew them (the
    // manifest), and as ffmpeg sees the delivered picture against the picture without them.
    const json text = manifest_of(to.path() / "series" / "es" / "series_002_es.manifest.json")["burned_text"];
    ASSERT_TRUE(text.is_object()) << text;
    EXPECT_EQ(text["inside"], true);
    EXPECT_LE(text["drawn"]["bottom"].get<double>(), 0.80);
    EXPECT_LE(text["drawn"]["right"].get<double>(), 0.85);
    EXPECT_GE(text["drawn"]["left"].get<double>(), 0.05);
    const auto difference = [&](double from, double to_fraction) {  // the largest luma difference in that band, over every frame
        const auto f = run_command({"ffmpeg", "-v", "error", "-i", mp4.string(), "-i", (out() / "ep2" / "ep2.localized.mp4").string(),
                                    "-filter_complex",
                                    "[1:v]scale=1080:1920,format=yuv420p[b];[0:v]format=yuv420p[a];[a][b]blend=all_mode=difference,crop=iw:ih*" +
                                        std::to_string(to_fraction - from) + ":0:ih*" + std::to_string(from) +
                                        ",signalstats,metadata=print:key=lavfi.signalstats.YMAX:file=-",
                                    "-f", "null", "-"});
        EXPECT_EQ(f.exit_code, 0) << f.err;
        int most = -1;
        const std::regex value("YMAX=([0-9]+)");
        for (auto it = std::sregex_iterator(f.out.begin(), f.out.end(), value); it != std::sregex_iterator(); ++it)
            most = std::max(most, std::stoi((*it)[1].str()));
        return most;
    };
    const int below = difference(0.80, 1.0), text_band = difference(0.55, 0.80);
    EXPECT_GT(text_band, 100) << "the subtitles are drawn above the bottom 20 %";
    EXPECT_LT(below, 60) << "nothing but coding noise in the bottom 20 % the platform covers";
}

TEST_F(DeliverCli, OttIsTheDubAtMinus27OverSpeechWithStemsThatAddUpToIt) {
    approve("ep2", "fr");
    TempDir to;
    const auto r = deliver("ott", to.path(), {"-e", "ep2", "--lang", "fr"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = to.path() / "series" / "002";
    const json m = manifest_of(folder / "series_002_fr.manifest.json");
    EXPECT_EQ(m["loudness"]["method"], "speech-gated");
    const json& mix = m["files"][1];
    ASSERT_EQ(mix["name"], "series_002_fr.wav") << m.dump(2);
    // ffmpeg's figure over the same speech agrees with the manifest's and meets -27 ± 2.
    const json lines = json::parse(read_file(out() / "ep2" / "ep2.fr.script.json"))["lines"];
    const double gated = ebur128_over_speech(folder / "series_002_fr.wav", lines);
    EXPECT_NEAR(gated, mix["speech_gated_lkfs"].get<double>(), 0.5);
    EXPECT_NEAR(gated, -27.0, 2.0);
    EXPECT_LE(ebur128(folder / "series_002_fr.wav", "Peak"), -2.0 + 0.1) << "the profile's true-peak ceiling";
    for (const char* name : {"series_002_fr.wav", "series_002_fr.me.wav", "series_002_fr.dialogue.wav"}) {
        const json streams = ffprobe(folder / name)["streams"];
        ASSERT_EQ(streams.size(), 1u) << name;
        EXPECT_EQ(streams[0]["codec_name"], "pcm_s24le") << name;
        EXPECT_EQ(streams[0]["sample_rate"], "48000") << name;
        EXPECT_NEAR(std::stod(streams[0]["duration"].get<std::string>()), 8.0, 0.05) << name;
    }
    // sox: M&E + dialogue - mix leaves nothing but rounding.
    const fs::path residual = to.path() / "residual.wav";
    auto sox = run_command({"sox", "-m", "-v", "1", (folder / "series_002_fr.me.wav").string(), "-v", "1",
                            (folder / "series_002_fr.dialogue.wav").string(), "-v", "-1", (folder / "series_002_fr.wav").string(),
                            "-b", "24", residual.string()});
    ASSERT_EQ(sox.exit_code, 0) << sox.err;
    sox = run_command({"sox", residual.string(), "-n", "stats"});
    std::smatch peak;
    ASSERT_TRUE(std::regex_search(sox.err, peak, std::regex(R"(Pk lev dB\s+(-?[0-9.inf]+))"))) << sox.err;
    EXPECT_LT(std::stod(peak[1].str()), -90.0) << sox.err;
    EXPECT_GT(ebur128(folder / "series_002_fr.me.wav", "I"), -70.0) << "the M&E stem is not silent";
    judge_subtitles({folder / "series_002_fr.ttml"});
    check_sums(folder / "series_002_fr.manifest.json");
}

TEST_F(DeliverCli, ADeliveryKilledMidwayCompletesWithTheSameFilesWhenStartedAgain) {
    for (const char* episode : {"ep1", "ep2"})
        for (const char* language : {"es", "fr"}) approve(episode, language);
    TempDir whole, killed;
    ASSERT_EQ(deliver("broadcast", whole.path()).exit_code, 0);
    const auto manifests = [](const fs::path& dir) {  // while a delivery makes and removes its workspaces
        std::vector<std::string> out;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().string().ends_with(".manifest.json") && it->path().string().find("/.partial-") == std::string::npos)
                out.push_back(fs::relative(it->path(), dir).string());
        std::sort(out.begin(), out.end());
        return out;
    };
    ASSERT_EQ(manifests(whole.path()).size(), 4u);

    // Killed (SIGKILL: nothing to clean up with) once its first version is delivered.
    const pid_t pid = start_background({dramaloc_binary(), "deliver", series().string(), "--profile", "broadcast", "--to",
                                        killed.path().string()},
                                       dir_->path() / "killed-delivery.log");
    bool finished = false;
    while (manifests(killed.path()).empty() && !finished) {
        finished = ::waitpid(pid, nullptr, WNOHANG) == pid;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_FALSE(finished) << "the delivery ended before it could be killed";
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    const auto done_before = manifests(killed.path()).size();
    ASSERT_LT(done_before, 4u) << "killed midway";

    const auto r = deliver("broadcast", killed.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(std::to_string(4 - done_before) + " delivered, " + std::to_string(done_before) + " already there"), std::string::npos)
        << r.err;
    // The same files, byte for byte, and nothing else (no partial folder left).
    EXPECT_EQ(list_files(killed.path()), list_files(whole.path()));
    for (const auto& name : manifests(whole.path())) {
        const json a = manifest_of(whole.path() / name), b = manifest_of(killed.path() / name);
        EXPECT_EQ(a["files"], b["files"]) << name;
        for (const auto& f : a["files"])
            EXPECT_EQ(sha256_of_file(killed.path() / fs::path(name).parent_path() / f["name"].get<std::string>()), f["sha256"]) << f["name"];
    }
}

TEST_F(DeliverCli, ToS3TheManifestGoesLastAndOnlyAPackageWithOneIsRecordedAsDelivered) {
    approve("ep1", "es");
    approve("ep1", "fr");
    auto& s3 = test::shared_s3();
    s3.export_environment();
    const std::string to = std::string("s3://") + test::S3Server::kBucket + "/deliveries-" + std::to_string(::getpid());
    const auto objects = store::make_s3_object_store(store::s3_location_from_url(to));
    const auto delivered = [&] {
        const auto r = run_dramaloc({"status", series().string(), "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::vector<std::string> out;
        const json status = json::parse(r.out);
        for (const auto& d : status["deliveries"]) {
            EXPECT_EQ(d["destination"], to);
            out.push_back(d["episode"].get<std::string>() + " " + d["language"].get<std::string>() + " " + d["manifest"].get<std::string>());
        }
        return out;
    };
    ASSERT_TRUE(delivered().empty());

    // Killed while it makes its second version (its workspace is a local temporary folder).
    TempDir temp;
    const char* old_tmpdir = std::getenv("TMPDIR");
    ::setenv("TMPDIR", temp.path().c_str(), 1);
    const pid_t pid = start_background({dramaloc_binary(), "deliver", series().string(), "--profile", "phone-app", "--to", to, "-e", "ep1"},
                                       dir_->path() / "s3-delivery.log");
    old_tmpdir ? ::setenv("TMPDIR", old_tmpdir, 1) : ::unsetenv("TMPDIR");
    const auto making_fr = [&] {  // error codes, not exceptions: folders come and go while it looks
        std::error_code ec;
        for (fs::recursive_directory_iterator it(temp.path(), ec), end; !ec && it != end; it.increment(ec))
            if (it->path().filename().string().find("_fr.manifest") != std::string::npos) return true;
        return false;
    };
    bool finished = false;
    while (!making_fr() && !finished) {
        finished = ::waitpid(pid, nullptr, WNOHANG) == pid;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_FALSE(finished) << read_file(dir_->path() / "s3-delivery.log");
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    TempDir got;
    EXPECT_TRUE(objects->get("series/es/series_001_es.manifest.json", got.path() / "es.json"));
    EXPECT_FALSE(objects->get("series/fr/series_001_fr.manifest.json", got.path() / "fr.json")) << "killed before its manifest";
    EXPECT_EQ(delivered(), std::vector<std::string>{"ep1 es " + to + "/series/es/series_001_es.manifest.json"});

    // Started again: es is there already, fr is made; both recorded.
    const auto r = deliver("phone-app", fs::path(to), {"-e", "ep1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("1 delivered, 1 already there, 0 held back"), std::string::npos) << r.err;
    EXPECT_EQ(delivered().size(), 2u);
    // What is on S3 is what the manifest says, by sha256sum.
    ASSERT_TRUE(objects->get("series/fr/series_001_fr.manifest.json", got.path() / "fr.json"));
    const json fr = manifest_of(got.path() / "fr.json");
    for (const auto& f : fr["files"]) {
        const auto name = f["name"].get<std::string>();
        ASSERT_TRUE(objects->get("series/fr/" + name, got.path() / name)) << name;
        EXPECT_EQ(sha256_of_file(got.path() / name), f["sha256"]) << name;
    }
}

TEST_F(DeliverCli, WhatCannotBeMadeOrIsNoLongerApprovedIsHeldBackSayingWhy) {
    approve("ep1", "es");
    approve("ep1", "fr");
    TempDir to;
    // ott asks for stems: a series run without [mix] stems has none, which is said, not faked.
    fs::remove(out() / "ep1" / "ep1.es.me.wav");
    auto r = deliver("ott", to.path(), {"-e", "ep1", "--lang", "es"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("set stems = true under [mix]"), std::string::npos) << r.err;
    EXPECT_TRUE(list_files(to.path()).empty()) << "nothing of it is left";
    // Run again without [mix] stems: the stems an earlier run published are older than the
    // dub, so they are not delivered.
    write_file(series(), "[series]\nfrom = \"en\"\nto = [\"es\", \"fr\"]\nepisodes = [\"episodes/ep*.mp4\"]\nburn_in = [\"es\"]\n");
    r = run_dramaloc({"run", series().string(), "-e", "ep1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(out() / "ep1" / "ep1.fr.me.wav")) << "left by the earlier run";
    r = deliver("ott", to.path(), {"-e", "ep1", "--lang", "fr"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("set stems = true under [mix]"), std::string::npos) << r.err;
    // social-vertical burns the subtitles in: fr has no burned-in version.
    r = deliver("social-vertical", to.path(), {"-e", "ep1", "--lang", "fr"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("burn_in"), std::string::npos) << r.err;
    // A block finding in the report the publish wrote (a model rule's: the packs run again
    // without the model do not find it) holds the version back until it is resolved.
    write_file(out() / "ep1" / "ep1.content-review.json",
               R"({"findings": [{"id": "m1", "severity": "block", "language": "fr", "line": 1, "resolution": null}]})");
    r = deliver("phone-app", to.path(), {"-e", "ep1", "--lang", "fr"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("1 unresolved block finding(s)"), std::string::npos) << r.err;
    fs::remove(out() / "ep1" / "ep1.content-review.json");
    // An edit after the approval withdraws it.
    r = run_dramaloc({"edit", series().string(), "-e", "ep1", "--lang", "es", "--line", "1", "--text", "Hola de nuevo.", "--no-run"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = deliver("phone-app", to.path(), {"-e", "ep1", "--lang", "es"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("edited since ana approved it"), std::string::npos) << r.err;
    r = deliver("nonesuch", to.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("phone-app"), std::string::npos) << "the profiles there are: " << r.err;
}

}  // namespace

// An English episode with Chinese subtitles burned into its picture (the studio's English
// script is the source): a textless profile takes the picture cleaned of them ([series]
// textless), and OCR over the band where they were reads nothing in what is delivered, where
// it reads the source's lines. Without textless, the version is held back saying so.
TEST(DeliverTextless, AnEpisodeWithBurnedInSubtitlesIsDeliveredCleanedOfThem) {
    TempDir dir;
    const fs::path episode = dir.path() / "episodes" / "ep1.mp4";
    auto r = run_dramaloc({"sample", "make", episode.string(), "--seconds", "8", "--hardsubs", "zh", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json reference = json::parse(read_file(fs::path(episode).replace_extension(".json")));
    write_file(dir / "scripts" / "ep1.srt", reference_script_srt(reference));
    const auto series_file = [&](bool textless) {
        write_file(dir / "drama.toml", std::string("[series]\nfrom = \"en\"\nto = [\"es\"]\nepisodes = [\"episodes/ep*.mp4\"]\n") +
                                           "source = \"srt:scripts/{episode}.srt\"\n" + (textless ? "textless = true\n" : ""));
        return (dir / "drama.toml").string();
    };
    r = run_dramaloc({"run", series_file(true), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path out = dir.path() / "out";
    series::Review review{"ep1", "es", "approved", "", "ana", "2026-12-07T10:00:00Z", {}};
    for (const auto& line : pipeline::published_scripts(out / "ep1").at("es").lines) review.revisions[line.id] = line.revision;
    ASSERT_TRUE(series::record_review(out, review).recorded);
    const std::string band = json::parse(read_file(out / "ep1" / "manifest.json"))["source"]["hardsubs"]["band"];

    const fs::path to = dir.path() / "delivered";
    r = run_dramaloc({"deliver", series_file(true), "--profile", "phone-app", "--to", to.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path mp4 = to / "drama" / "es" / "drama_001_es.mp4";
    const json m = manifest_of(to / "drama" / "es" / "drama_001_es.manifest.json");
    EXPECT_EQ(m["textless"]["lines_read"], 0) << m["textless"];
    EXPECT_EQ(m["textless"]["band"], band);
    const json streams = ffprobe(mp4)["streams"];
    ASSERT_EQ(streams.size(), 2u);
    EXPECT_EQ(streams[0]["codec_name"], "h264");
    // The subtitle extractor over the same band: the source's lines, none delivered.
    const auto lines_read = [&](const fs::path& video) {
        const fs::path file = dir.path() / (video.stem().string() + ".read.srt");
        const auto x = run_dramaloc({"subs", "extract", video.string(), file.string(), "--subtitle-band", band, "-q"});
        EXPECT_EQ(x.exit_code, 0) << x.err;
        const std::string text = fs::exists(file) ? read_file(file) : "";
        int events = 0;
        for (std::size_t at = text.find(" --> "); at != std::string::npos; at = text.find(" --> ", at + 1)) ++events;
        return events;
    };
    EXPECT_GE(lines_read(episode), static_cast<int>(reference["hardsubs"].size()) - 1) << "the last one may be cut at the end";
    EXPECT_EQ(lines_read(mp4), 0);

    // Without textless, nothing cleaned is published: held back, saying what to do.
    r = run_dramaloc({"run", series_file(false), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_dramaloc({"deliver", series_file(false), "--profile", "phone-app", "--to", (dir.path() / "again").string()});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("set textless = true under [series]"), std::string::npos) << r.err;
}
