// `dramaloc localize` on generated episodes, checked with independent tools where one
// exists (ffprobe/ffmpeg for tracks, packets and loudness) and against the sample's
// reference script.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "media/audio.hpp"
#include "media/video_encode.hpp"
#include "media/wav.hpp"
#include "pipeline/stage_graph.hpp"
#include "sample/sample.hpp"
#include "subtitles/format.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One 20-second sample localized en → es, fr with Spanish burned in.
struct Localized {
    std::unique_ptr<TempDir> dir;
    fs::path episode, folder;
    CommandResult first_run;
};

const Localized& localized() {
    static Localized l;
    if (!l.dir) {
        l.dir = std::make_unique<TempDir>();
        l.episode = l.dir->path() / "ep1.mp4";
        sample::SampleOptions options;
        options.seconds = 20;
        options.hardsubs_language = "zh";
        sample::make_sample(l.episode, options);
        l.first_run = run_dramaloc({"localize", l.episode.string(), "--from", "en", "--to", "es,fr", "--burn-in", "es",
                                    "--out", (l.dir->path() / "out").string(), "-q"});
        l.folder = l.dir->path() / "out" / "ep1";
    }
    return l;
}

json ffprobe_streams(const fs::path& file) {
    auto r = run_command({"ffprobe", "-v", "error", "-of", "json", "-show_streams", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["streams"];
}

// MD5 of the video packets as ffmpeg's own demuxer reads them.
std::string video_packets_md5(const fs::path& file) {
    auto r = run_command({"ffmpeg", "-v", "error", "-i", file.string(), "-map", "0:v", "-c", "copy", "-f", "md5", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

double ebur128_integrated(const fs::path& file) {
    auto r = run_command({"ffmpeg", "-hide_banner", "-nostats", "-i", file.string(), "-af", "ebur128", "-f", "null", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    // The summary at the end: "Integrated loudness:\n    I:         -16.0 LUFS"
    const std::string& log = r.err;
    const auto summary = log.rfind("Integrated loudness:");
    EXPECT_NE(summary, std::string::npos) << log;
    const std::string tail = log.substr(summary);
    EXPECT_TRUE(std::regex_search(tail, m, std::regex(R"(I:\s+(-?[0-9.]+) LUFS)"))) << tail;
    return std::stod(m[1].str());
}

}  // namespace

void check_outputs_exist_and_parse(const Localized& l) {
    for (const char* lang : {"en", "es", "fr"}) {
        for (const char* ext : {"srt", "vtt", "ass", "ttml"}) {
            const fs::path p = l.folder / (std::string("ep1.") + lang + "." + ext);
            ASSERT_TRUE(fs::exists(p)) << p;
            const auto doc = subtitles::read_subtitles(p);
            EXPECT_FALSE(doc.events.empty()) << p;
        }
    }
    for (const char* lang : {"es", "fr"}) {
        const auto dub = media::read_wav(l.folder / (std::string("ep1.") + lang + ".dub.wav"));
        EXPECT_EQ(dub.sample_rate, 48000);
        EXPECT_NEAR(static_cast<double>(dub.duration_ms()), 20000, 100);
    }
    EXPECT_TRUE(fs::exists(l.folder / "ep1.localized.mp4"));
    EXPECT_TRUE(fs::exists(l.folder / "ep1.es.burned.mp4"));
    const json manifest = json::parse(read_file(l.folder / "manifest.json"));
    EXPECT_FALSE(manifest["run"]["stages"].empty());
    // The stages of the graph (pipeline/stage_graph.cpp) that a run with burn-in must run.
    std::set<std::string> ran;
    for (const auto& record : manifest["run"]["stages"]) ran.insert(record.at("stage").get<std::string>());
    for (const char* name : {"decode", "speech-regions", "transcribe", "source-script", "translate", "synthesize", "fit", "subtitles", "mix",
                             "encode-dub", "burn-in", "mux"})
        EXPECT_TRUE(ran.count(name) && pipeline::find_stage(name)) << name << " did not run or is not declared";
    const json qc = json::parse(read_file(l.folder / "qc.json"));
    EXPECT_TRUE(qc["languages"].contains("es"));
    EXPECT_TRUE(qc["languages"].contains("fr"));
    // No temporaries anywhere in the output folder.
    for (const auto& f : list_files(l.folder)) EXPECT_EQ(f.find("dramaloc-tmp"), std::string::npos) << f;
}

void check_video_copied_and_tracks_tagged(const Localized& l) {
    const fs::path mp4 = l.folder / "ep1.localized.mp4";
    EXPECT_EQ(video_packets_md5(mp4), video_packets_md5(l.episode));
    std::vector<std::string> audio, subs;
    std::string default_audio;
    for (const auto& s : ffprobe_streams(mp4)) {
        const std::string lang = s["tags"].value("language", "");
        if (s["codec_type"] == "audio") {
            audio.push_back(lang);
            // MP4 keeps a track's title as its handler name, which players show.
            EXPECT_NE(s["tags"].value("handler_name", "").find(lang == "eng" ? "original" : "dub"), std::string::npos) << s.dump();
            if (s["disposition"]["default"] == 1) default_audio += lang;
        }
        if (s["codec_type"] == "subtitle") {
            subs.push_back(lang);
            EXPECT_EQ(s["codec_name"], "mov_text");
        }
    }
    EXPECT_EQ(audio, (std::vector<std::string>{"eng", "spa", "fra"}));
    EXPECT_EQ(subs, (std::vector<std::string>{"eng", "spa", "fra"}));
    EXPECT_EQ(default_audio, "spa") << "the first dub is the default audio";
}

void check_clips_on_their_lines(const Localized& l) {
    const json qc = json::parse(read_file(l.folder / "qc.json"));
    for (const char* lang : {"es", "fr"}) {
        const auto dub = media::mix_to_mono(media::read_wav(l.folder / (std::string("ep1.") + lang + ".dub.wav")));
        const auto& clips = qc["languages"][lang]["clips"];
        ASSERT_FALSE(clips.empty());
        TimeMs previous_end = -1000;
        std::size_t measured = 0;
        for (const auto& c : clips) {
            const TimeMs start = c["start_ms"], end = c["end_ms"], line_start = c["line_start_ms"];
            const bool shifted = c["shifted_ms"].get<TimeMs>() != 0;
            EXPECT_GE(start, previous_end) << lang << " line " << c["line_id"] << " overlaps the previous clip";
            if (!shifted) {
                EXPECT_LE(std::abs(start - line_start), 100) << c.dump();
            }
            // Measured on the written track: the ducking ramp is complete at the clip's start,
            // so just before it only the ducked bed sounds; the voice's onset is the first
            // 10 ms block 15 dB above that bed, and it must be within 100 ms of the line's
            // start. Skipped where the bed would hold the previous clip's tail.
            const bool bed_is_clear = start - 100 >= previous_end;
            previous_end = end;
            if (shifted || !bed_is_clear) continue;
            const double bed = media::rms(media::slice_ms(dub, start - 50, start - 10));
            TimeMs onset = -1;
            for (TimeMs t = start - 50; t < start + 300; t += 10) {
                if (media::rms(media::slice_ms(dub, t, t + 10)) > std::max(bed * 5.62, 0.01)) {
                    onset = t;
                    break;
                }
            }
            ASSERT_GE(onset, 0) << lang << " no voice found near line " << c["line_id"];
            EXPECT_LE(std::abs(onset - line_start), 100) << lang << " " << c.dump();
            ++measured;
        }
        EXPECT_GE(measured * 2, clips.size()) << lang << ": too few clips could be measured on the track";
    }
}

void check_loudness_with_ffmpeg(const Localized& l) {
    for (const char* lang : {"es", "fr"}) {
        const double lufs = ebur128_integrated(l.folder / (std::string("ep1.") + lang + ".dub.wav"));
        EXPECT_NEAR(lufs, -16.0, 1.0) << lang;
    }
}

void check_rerun_reuses_everything(const Localized& l) {
    std::map<std::string, std::string> before;
    for (const auto& f : list_files(l.folder))
        if (f != "manifest.json") before[f] = hash_file_hex(l.folder / f);
    auto r = run_dramaloc({"localize", l.episode.string(), "--from", "en", "--to", "es,fr", "--burn-in", "es", "--out",
                           (l.dir->path() / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("0 stages computed"), std::string::npos) << r.out;
    for (const auto& [f, h] : before) EXPECT_EQ(hash_file_hex(l.folder / f), h) << f;
}

// One 20 s sample localized en → es, fr with Spanish burned in, then every property the
// job promises, checked on the written files. One test, so the episode is made once.
TEST(Localize, SampleEpisodeEndToEnd) {
    const auto& l = localized();
    ASSERT_EQ(l.first_run.exit_code, 0) << l.first_run.err;
    {
        SCOPED_TRACE("outputs exist and parse");
        check_outputs_exist_and_parse(l);
    }
    {
        SCOPED_TRACE("video copied, tracks tagged");
        check_video_copied_and_tracks_tagged(l);
    }
    {
        SCOPED_TRACE("clips on their lines, no overlap");
        check_clips_on_their_lines(l);
    }
    {
        SCOPED_TRACE("loudness by ffmpeg ebur128");
        check_loudness_with_ffmpeg(l);
    }
    {
        SCOPED_TRACE("re-run");
        check_rerun_reuses_everything(l);
    }
}

TEST(Localize, SilentEpisodeGivesValidEmptyOutputs) {
    TempDir dir;
    const fs::path ep = dir / "silent.mp4";
    {
        media::VideoEncodeOptions o;
        o.width = 180;
        o.height = 320;
        o.fps = {30, 1};
        media::Mp4Writer writer(ep, o, true);
        std::vector<std::uint8_t> frame(180 * 320 * 3, 40);
        for (int i = 0; i < 150; ++i) writer.write_rgb_frame(frame.data(), 180 * 3);
        writer.write_audio(media::make_silence(48000, 2, 5000));
        writer.finish();
    }
    auto r = run_dramaloc({"localize", ep.string(), "--to", "es", "--out", (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = subtitles::read_subtitles(dir / "out" / "silent" / "silent.es.srt");
    EXPECT_TRUE(doc.events.empty());
    EXPECT_TRUE(fs::exists(dir / "out" / "silent" / "silent.localized.mp4"));
    EXPECT_EQ(media::read_wav(dir / "out" / "silent" / "silent.es.dub.wav").sample_rate, 48000);
}

TEST(Localize, NoAudioStreamIsAClearErrorAndOtherEpisodesGoOn) {
    TempDir dir;
    const fs::path mute = dir / "mute.mp4";
    sample::SampleOptions o;
    o.seconds = 5;
    o.with_audio = false;
    o.width = 180;
    o.height = 320;
    sample::make_sample(mute, o);
    sample::SampleOptions ok_options = o;
    ok_options.with_audio = true;
    const fs::path good = dir / "good.mp4";
    sample::make_sample(good, ok_options);
    auto r = run_dramaloc({"localize", mute.string(), good.string(), "--to", "es", "--out", (dir / "out").string(), "-q"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("mute.mp4: has no audio stream"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out" / "mute"));
    EXPECT_TRUE(fs::exists(dir / "out" / "good" / "good.localized.mp4")) << "the batch must go on";
}

TEST(Localize, MissingLanguagePairOrVoiceFailsBeforeAnyWork) {
    TempDir dir;
    write_file(dir / "ep.mp4", "never read");
    auto r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--to", "th", "--out", (dir / "out").string()});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("apertium"), std::string::npos) << r.err;
    // Galician translates (en → es → gl) but espeak-ng has no Galician voice.
    r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--to", "gl", "--out", (dir / "out").string()});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("espeak-ng-data"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(Localize, InterruptLeavesNoPartialOutputs) {
    TempDir dir;
    const fs::path ep = dir / "long.mp4";
    sample::SampleOptions o;
    o.seconds = 60;
    o.width = 360;
    o.height = 640;
    sample::make_sample(ep, o);
    const fs::path out = dir / "out";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::execl(dramaloc_binary().c_str(), "dramaloc", "localize", ep.c_str(), "--to", "es,fr", "--out", out.c_str(), "-q", nullptr);
        _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // inside the analysis or synthesis
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    if (fs::exists(out / "long")) {
        for (const auto& f : list_files(out / "long")) ADD_FAILURE() << "left behind: " << f;
    }
    if (fs::exists(out / ".dramaloc-store" / "tmp")) {
        EXPECT_TRUE(list_files(out / ".dramaloc-store" / "tmp").empty());
    }
}
