#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "media/audio_decode.hpp"
#include "media/mux.hpp"
#include "media/probe.hpp"
#include "media/wav.hpp"
#include "media_test_support.hpp"
#include "support/subtitle_event.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

namespace {

using test::event;

class Mux : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        test::TestVideoSpec spec;
        spec.frames = 90;
        spec.preset = "veryfast";  // B-frames: pts and dts differ, as in real episodes
        spec.rotation_degrees = 90;
        test::write_test_video(episode(), spec);
        test::TestVideoSpec dub;
        dub.frames = 90;
        dub.tone_hz = 440.0;
        dub.audio_language = "fr";
        test::write_test_video(*dir_ / "dub_fr.mp4", dub);
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::filesystem::path episode() { return *dir_ / "episode.mp4"; }
    static inline test::TempDir* dir_ = nullptr;
};

}  // namespace

TEST_F(Mux, CopiesVideoAndAddsTaggedTracks) {
    test::TempDir out_dir;
    const std::filesystem::path out = out_dir / "localized.mp4";
    const AudioBuffer spanish = make_sine(660.0, 3000, 44100, 1, 0.4f);
    std::vector<AudioTrackSpec> audio(2);
    audio[0].audio = &spanish;
    audio[0].language = "es";
    audio[0].title = "Español";
    audio[0].is_default = true;
    audio[1].encoded_file = *dir_ / "dub_fr.mp4";
    audio[1].language = "fr";
    audio[1].title = "Français";
    std::vector<SubtitleTrackSpec> subs(2);
    subs[0].language = "es";
    subs[0].title = "Español";
    subs[0].events = {event(1, 200, 1200, {"¿Dónde estabas?", "Te busqué {toda} la noche."}),
                      event(2, 1500, 2400, {"En casa."})};
    subs[1].language = "zh-Hans";
    subs[1].title = "中文";
    subs[1].events = {event(1, 0, 900, {"你去哪儿了？"})};
    mux_localized_mp4(episode(), out, audio, subs);
    EXPECT_EQ(test::list_files(out_dir.path()), std::vector<std::string>{"localized.mp4"});

    // Our own demuxer: the video packets are the same bytes at the same times.
    const MediaInfo in_info = probe(episode());
    const MediaInfo out_info = probe(out);
    const auto in_packets = test::read_stream_packets(episode(), in_info.best_video_index);
    const auto out_packets = test::read_stream_packets(out, out_info.best_video_index);
    ASSERT_EQ(in_packets.size(), 90u);
    EXPECT_EQ(in_packets, out_packets);
    bool has_b_frames = false;
    for (const auto& p : in_packets) has_b_frames = has_b_frames || p.pts != p.dts;
    EXPECT_TRUE(has_b_frames) << "fixture should exercise pts != dts";
    EXPECT_EQ(out_info.best_video()->rotation_degrees, 90);

    ASSERT_EQ(out_info.streams.size(), 6u);
    const std::vector<std::string> languages = {"", "zho", "spa", "fra", "spa", "zho"};
    const std::vector<std::string> codecs = {"h264", "aac", "aac", "aac", "mov_text", "mov_text"};
    const std::vector<std::string> titles = {"", "Original", "Español", "Français", "Español", "中文"};
    // FFmpeg's MP4 muxer marks the first track of each kind "enabled", which reads back as
    // default even though mux_localized_mp4 does not ask for it (see mux.hpp).
    const std::vector<bool> defaults = {true, false, true, false, true, false};
    for (std::size_t i = 1; i < 6; ++i) {
        EXPECT_EQ(out_info.streams[i].language, languages[i]) << i;
        EXPECT_EQ(out_info.streams[i].codec, codecs[i]) << i;
        EXPECT_EQ(out_info.streams[i].title, titles[i]) << i;
        EXPECT_EQ(out_info.streams[i].is_default, defaults[i]) << i;
    }
    EXPECT_EQ(out_info.streams[2].sample_rate, 44100);
    EXPECT_EQ(out_info.streams[2].channels, 1);
    EXPECT_NEAR(static_cast<double>(out_info.duration_ms), 3000.0, 40.0);

    // Subtitles read back exactly, gaps not reported as cues.
    const auto spanish_cues = read_mov_text_events(out, 4);
    ASSERT_EQ(spanish_cues.size(), 2u);
    EXPECT_EQ(spanish_cues[0].start, 200);
    EXPECT_EQ(spanish_cues[0].end, 1200);
    EXPECT_EQ(spanish_cues[0].lines, (std::vector<std::string>{"¿Dónde estabas?", "Te busqué {toda} la noche."}));
    EXPECT_EQ(spanish_cues[1].start, 1500);
    EXPECT_EQ(spanish_cues[1].end, 2400);
    const auto chinese_cues = read_mov_text_events(out, 5);
    ASSERT_EQ(chinese_cues.size(), 1u);
    EXPECT_EQ(chinese_cues[0].lines, std::vector<std::string>{"你去哪儿了？"});
    EXPECT_THROW(read_mov_text_events(out, 0), InputError);
}

TEST_F(Mux, IndependentReaderAgrees) {
    if (!test::have_ffprobe()) GTEST_SKIP() << "ffprobe not installed";
    test::TempDir out_dir;
    const std::filesystem::path out = out_dir / "loc.mp4";
    const AudioBuffer dub = make_sine(500.0, 2900, 48000, 2, 0.3f);
    std::vector<AudioTrackSpec> audio(1);
    audio[0].audio = &dub;
    audio[0].language = "pt-BR";
    audio[0].title = "Português";
    std::vector<SubtitleTrackSpec> subs(1);
    subs[0].language = "fr";
    subs[0].title = "Français";
    subs[0].events = {event(1, 500, 1500, {"Bonjour,", "toi."})};
    mux_localized_mp4(episode(), out, audio, subs, MuxOptions{.keep_original_audio = false});

    auto packets = [](const std::filesystem::path& file) {
        const auto r = test::run_command({"ffprobe", "-v", "error", "-select_streams", "v", "-show_packets",
                                          "-show_entries", "packet=pts,dts,duration,size,flags", "-show_data_hash",
                                          "MD5", "-of", "csv", file.string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    };
    const std::string in_listing = packets(episode());
    EXPECT_FALSE(in_listing.empty());
    EXPECT_EQ(packets(out), in_listing);

    const auto r = test::run_command({"ffprobe", "-v", "error", "-of", "json", "-show_streams", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto streams = nlohmann::json::parse(r.out)["streams"];
    ASSERT_EQ(streams.size(), 3u);
    EXPECT_EQ(streams[1]["codec_name"], "aac");
    EXPECT_EQ(streams[1]["tags"]["language"], "por");
    EXPECT_EQ(streams[1]["tags"]["handler_name"], "Português");
    EXPECT_EQ(streams[1]["disposition"]["default"], 1);
    EXPECT_EQ(streams[2]["codec_name"], "mov_text");
    EXPECT_EQ(streams[2]["tags"]["language"], "fra");

    const auto srt = test::run_command({"ffmpeg", "-v", "error", "-i", out.string(), "-map", "0:s:0", "-f", "srt", "-"});
    ASSERT_EQ(srt.exit_code, 0) << srt.err;
    // FFmpeg's reader adds <font> tags for the sample entry's font; the timing and text are ours.
    EXPECT_NE(srt.out.find("00:00:00,500 --> 00:00:01,500\n"), std::string::npos) << srt.out;
    const auto first_line = srt.out.find("Bonjour,");
    ASSERT_NE(first_line, std::string::npos) << srt.out;
    EXPECT_EQ(srt.out.find("toi.", first_line), first_line + std::string("Bonjour,").size() + 2)  // CR LF between
        << srt.out;

    // The dub decodes back to the tone that went in.
    const AudioBuffer back = decode_audio(out, 48000, 1);
    EXPECT_NEAR(static_cast<double>(back.duration_ms()), 2900.0, 3.0);
    EXPECT_NEAR(rms(slice_ms(back, 500, 2500)), 0.3 / std::sqrt(2.0), 0.02);
}

TEST_F(Mux, BadSpecsFailBeforeWritingAnything) {
    test::TempDir out_dir;
    const AudioBuffer dub = make_sine(500.0, 1000, 48000, 1);
    std::vector<AudioTrackSpec> audio(1);
    audio[0].language = "es";  // neither source
    EXPECT_THROW(mux_localized_mp4(episode(), out_dir / "a.mp4", audio, {}), InputError);
    audio[0].audio = &dub;
    audio[0].language = "klingon-ish";
    EXPECT_THROW(mux_localized_mp4(episode(), out_dir / "a.mp4", audio, {}), InputError);
    audio[0].language = "es";
    audio[0].audio = nullptr;
    audio[0].encoded_file = out_dir / "missing.m4a";
    EXPECT_THROW(mux_localized_mp4(episode(), out_dir / "a.mp4", audio, {}), InputError);
    EXPECT_TRUE(test::list_files(out_dir.path()).empty());
}

// A dub encoded once (encode_audio_m4a) and copied into the video is the same audio, packet
// for packet, as the dub encoded inside the mux: the factory encodes each language once.
TEST_F(Mux, ADubEncodedOnceIsCopiedPacketForPacket) {
    test::TempDir out_dir;
    const AudioBuffer dub = make_sine(330.0, 2500, 48000, 2, 0.3f);
    write_wav(out_dir / "dub.wav", dub, WavSampleFormat::Float32);
    encode_audio_m4a(out_dir / "dub.wav", out_dir / "dub.m4a", "es");
    EXPECT_EQ(probe(out_dir / "dub.m4a").streams.size(), 1u);
    EXPECT_EQ(probe(out_dir / "dub.m4a").streams[0].language, "spa");

    std::vector<AudioTrackSpec> encoded(1), copied(1);
    encoded[0].wav_file = out_dir / "dub.wav";
    copied[0].encoded_file = out_dir / "dub.m4a";
    for (auto* t : {&encoded[0], &copied[0]}) t->language = "es", t->title = "Español";
    MuxOptions o;
    o.keep_original_audio = false;
    mux_localized_mp4(episode(), out_dir / "encoded.mp4", encoded, {}, o);
    mux_localized_mp4(episode(), out_dir / "copied.mp4", copied, {}, o);
    const int a = probe(out_dir / "encoded.mp4").best_audio_index, b = probe(out_dir / "copied.mp4").best_audio_index;
    ASSERT_GE(a, 0);
    ASSERT_GE(b, 0);
    const auto want = test::read_stream_packets(out_dir / "encoded.mp4", a);
    ASSERT_GT(want.size(), 100u);
    EXPECT_EQ(test::read_stream_packets(out_dir / "copied.mp4", b), want);
    EXPECT_EQ(probe(out_dir / "copied.mp4").streams[static_cast<std::size_t>(b)].duration_ms,
              probe(out_dir / "encoded.mp4").streams[static_cast<std::size_t>(a)].duration_ms);

    // A WAV with no samples is refused, and nothing is left behind.
    write_wav(out_dir / "empty.wav", AudioBuffer{48000, 2, {}}, WavSampleFormat::Float32);
    EXPECT_THROW(encode_audio_m4a(out_dir / "empty.wav", out_dir / "empty.m4a", "es"), InputError);
    EXPECT_FALSE(std::filesystem::exists(out_dir / "empty.m4a"));
}
