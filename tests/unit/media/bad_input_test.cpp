#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "core/error.hpp"
#include "media/audio_decode.hpp"
#include "media/mux.hpp"
#include "media/probe.hpp"
#include "media/video_encode.hpp"
#include "media/video_frames.hpp"
#include "media_test_support.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

namespace {

std::string probe_error(const std::filesystem::path& path) {
    try {
        probe(path);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

class BadInput : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        test::TestVideoSpec spec;
        spec.frames = 60;
        test::write_test_video(good(), spec);
        const std::string bytes = test::read_file(good());
        // Index at the front, media data cut: a download that stopped at 60%.
        test::write_file(*dir_ / "cut_faststart.mp4", bytes.substr(0, bytes.size() * 6 / 10));
        spec.faststart = false;
        test::write_test_video(*dir_ / "moov_last.mp4", spec);
        const std::string late = test::read_file(*dir_ / "moov_last.mp4");
        // Index at the end, file cut before it: the moov box is missing.
        test::write_file(*dir_ / "cut_no_moov.mp4", late.substr(0, late.size() * 8 / 10));
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::filesystem::path good() { return *dir_ / "good.mp4"; }
    static inline test::TempDir* dir_ = nullptr;
};

}  // namespace

TEST_F(BadInput, NotMedia) {
    test::TempDir dir;
    test::write_file(dir / "notes.mp4", "1\n00:00:01,000 --> 00:00:02,000\nthis is a subtitle, not a video\n");
    const std::string e = probe_error(dir / "notes.mp4");
    EXPECT_TRUE(e.starts_with((dir / "notes.mp4").string() + ": not a media file FFmpeg can read (")) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST_F(BadInput, EmptyAndMissing) {
    test::TempDir dir;
    test::write_file(dir / "empty.mp4", "");
    EXPECT_TRUE(contains(probe_error(dir / "empty.mp4"), "empty.mp4: file is empty (0 bytes)"));
    EXPECT_TRUE(contains(probe_error(dir / "nope.mp4"), "nope.mp4: no such file"));
    EXPECT_THROW(decode_audio(dir / "nope.mp4", 16000, 1), InputError);
    EXPECT_THROW(VideoFrameReader(dir.path()), InputError);  // a folder
}

TEST_F(BadInput, TruncatedMp4WithIndexAtTheFront) {
    const auto path = *dir_ / "cut_faststart.mp4";
    const std::string e = probe_error(path);
    EXPECT_TRUE(contains(e, "cut_faststart.mp4: the file is truncated or damaged (")) << e;
    EXPECT_TRUE(contains(e, "re-export or re-download it")) << e;
    EXPECT_THROW(decode_audio(path, 16000, 1), InputError);
    EXPECT_THROW(VideoFrameReader{path}, InputError);
}

TEST_F(BadInput, TruncatedMp4WithoutIndex) {
    const std::string e = probe_error(*dir_ / "cut_no_moov.mp4");
    EXPECT_TRUE(contains(e, "cut_no_moov.mp4: the file is truncated or damaged (its index (moov) is missing")) << e;
    // The uncut non-faststart file is fine.
    EXPECT_EQ(probe(*dir_ / "moov_last.mp4").streams.size(), 2u);
}

TEST_F(BadInput, RandomGarbageIsRejectedQuickly) {
    test::TempDir dir;
    std::mt19937 random(1234);
    std::string garbage(10u << 20, '\0');
    for (auto& c : garbage) c = static_cast<char>(random() & 0xFF);
    test::write_file(dir / "garbage.mp4", garbage);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(probe(dir / "garbage.mp4"), InputError);
    EXPECT_THROW(decode_audio(dir / "garbage.mp4", 16000, 1), InputError);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(BadInput, MuxOfATruncatedInputLeavesNothing) {
    test::TempDir out_dir;
    const AudioBuffer dub = make_sine(500.0, 2000, 48000, 1);
    std::vector<AudioTrackSpec> audio(1);
    audio[0].audio = &dub;
    audio[0].language = "es";
    for (const char* name : {"cut_faststart.mp4", "cut_no_moov.mp4"}) {
        try {
            mux_localized_mp4(*dir_ / name, out_dir / "out.mp4", audio, {});
            ADD_FAILURE() << "expected an error for " << name;
        } catch (const InputError& e) {
            EXPECT_TRUE(contains(e.what(), "truncated or damaged")) << e.what();
        }
        EXPECT_TRUE(test::list_files(out_dir.path()).empty()) << name;
    }
}

TEST_F(BadInput, MuxFailingMidWayLeavesNothing) {
    // The dub file is cut after the output has been opened and packets written.
    test::TempDir out_dir;
    std::vector<AudioTrackSpec> audio(1);
    audio[0].encoded_file = *dir_ / "cut_faststart.mp4";
    audio[0].language = "es";
    EXPECT_THROW(mux_localized_mp4(good(), out_dir / "out.mp4", audio, {}), InputError);
    EXPECT_TRUE(test::list_files(out_dir.path()).empty());
}

TEST_F(BadInput, WriterWithoutFinishLeavesNothing) {
    test::TempDir out_dir;
    {
        VideoEncodeOptions options;
        options.width = 64;
        options.height = 64;
        Mp4Writer writer(out_dir / "partial.mp4", options, true);
        std::vector<std::uint8_t> rgb(64 * 64 * 3, 100);
        for (int i = 0; i < 5; ++i) writer.write_rgb_frame(rgb.data(), 64 * 3);
        writer.write_audio(make_sine(440.0, 200, 48000, 2));
        EXPECT_FALSE(test::list_files(out_dir.path()).empty());  // the temporary exists while writing
    }
    EXPECT_TRUE(test::list_files(out_dir.path()).empty());
    VideoEncodeOptions odd;
    odd.width = 63;
    odd.height = 64;
    EXPECT_THROW(Mp4Writer(out_dir / "odd.mp4", odd, false), ConfigError);
    EXPECT_TRUE(test::list_files(out_dir.path()).empty());
}
