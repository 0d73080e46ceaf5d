// `dramaloc deliver` as a user runs it, on a generated series run for real: what is approved
// and current is delivered as the profile asks, judged by tools we did not write (ffprobe,
// ffmpeg's ebur128, sha256sum -c); what is not is held back and named, with a non-zero exit;
// a second delivery makes nothing again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "pipeline/manifest.hpp"
#include "series/review_log.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A two-episode series (en -> es, fr; es burned in), run once for the suite in each test
// process (ctest runs each test alone), so each test approves what it needs.
class DeliverCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        for (const char* ep : {"ep1", "ep2"}) {
            const auto r = run_dramaloc({"sample", "make", (dir_->path() / "episodes" / (std::string(ep) + ".mp4")).string(), "--seconds", "8"});
            ASSERT_EQ(r.exit_code, 0) << r.err;
        }
        write_file(series(), "[series]\nfrom = \"en\"\nto = [\"es\", \"fr\"]\nepisodes = [\"episodes/ep*.mp4\"]\nburn_in = [\"es\"]\n");
        const auto r = run_dramaloc({"run", series().string()});
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

json ffprobe(const fs::path& file) {
    const auto r = run_command({"ffprobe", "-v", "error", "-of", "json", "-show_streams", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
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
    EXPECT_EQ(streams[0]["codec_name"], "h264");
    EXPECT_EQ(streams[0]["width"], 1080);
    EXPECT_EQ(streams[0]["height"], 1920);
    EXPECT_EQ(streams[1]["codec_name"], "aac");
    EXPECT_EQ(streams[1]["sample_rate"], "48000");
    EXPECT_NEAR(std::stod(streams[0]["duration"].get<std::string>()), 8.0, 0.05);
    const double lufs = ebur128(mp4, "I");
    EXPECT_NEAR(lufs, -16.0, 1.0) << "the profile's target";
    EXPECT_NEAR(lufs, m["files"][0]["integrated_lufs"].get<double>(), 0.5) << "the manifest's figure";
    EXPECT_LE(ebur128(mp4, "Peak"), -0.5);
    for (const char* ext : {"srt", "vtt"}) EXPECT_TRUE(fs::exists(to.path() / "series" / "es" / (std::string("series_001_es.") + ext)));

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
    EXPECT_EQ(ffprobe(to.path() / "series" / "es" / "series_002_es.mp4")["streams"].size(), 1u) << "the picture alone";
    for (const char* ext : {"ttml", "srt"}) EXPECT_TRUE(fs::exists(to.path() / "series" / "es" / (std::string("series_002_es.") + ext)));
    check_sums(to.path() / "series" / "es" / "series_002_es.manifest.json");
}

TEST_F(DeliverCli, WhatCannotBeMadeOrIsNoLongerApprovedIsHeldBackSayingWhy) {
    approve("ep1", "es");
    approve("ep1", "fr");
    TempDir to;
    // ott asks for stems, which deliver does not make yet: said, not faked.
    auto r = deliver("ott", to.path(), {"-e", "ep1", "--lang", "es"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("stems"), std::string::npos) << r.err;
    EXPECT_TRUE(list_files(to.path()).empty()) << "nothing of it is left";
    // social-vertical burns the subtitles in: fr has no burned-in version.
    r = deliver("social-vertical", to.path(), {"-e", "ep1", "--lang", "fr"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("burn_in"), std::string::npos) << r.err;
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
