#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>

#include "core/error.hpp"

#include "media/probe.hpp"
#include "media/video_encode.hpp"
#include "media/video_frames.hpp"
#include "media_test_support.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

TEST(Transcode, PaintsEveryFrameAndCopiesAudio) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 30;
    spec.rotation_degrees = 270;
    test::write_test_video(dir / "in.mp4", spec);
    std::vector<TimeMs> seen;
    transcode_video(dir / "in.mp4", dir / "out.mp4", [&](VideoFrameRgb& frame, TimeMs pts) {
        seen.push_back(pts);
        // A black box over the top-left quarter, like a hardsub mask.
        for (int y = 0; y < frame.height / 2; ++y)
            for (int x = 0; x < frame.width / 2; ++x)
                for (int c = 0; c < 3; ++c) frame.pixels[y * frame.stride + x * 3 + c] = 0;
    });
    ASSERT_EQ(seen.size(), 30u);
    EXPECT_EQ(seen[0], 0);
    EXPECT_EQ(seen[29], 967);
    const MediaInfo in = probe(dir / "in.mp4");
    const MediaInfo out = probe(dir / "out.mp4");
    ASSERT_EQ(out.streams.size(), 2u);
    EXPECT_EQ(out.best_video()->rotation_degrees, 270);
    EXPECT_EQ(out.best_video()->width, 180);
    EXPECT_EQ(out.best_audio()->language, "zho");
    EXPECT_EQ(test::read_stream_packets(dir / "in.mp4", in.best_audio_index),
              test::read_stream_packets(dir / "out.mp4", out.best_audio_index));
    VideoReadOptions options;
    options.roi = {10, 40, 20, 20};
    VideoFrameReader reader(dir / "out.mp4", options);
    VideoFrame frame;
    int frames = 0;
    while (reader.next(frame)) {
        ++frames;
        EXPECT_LT(frame.pixels[10 * frame.stride + 10], 25);  // painted black (gray was 128)
    }
    EXPECT_EQ(frames, 30);
    EXPECT_EQ(test::list_files(dir.path()), (std::vector<std::string>{"in.mp4", "out.mp4"}));
}

TEST(Transcode, ScalesToTheAskedSizeUnderABitrateCeilingWithTheSameTimes) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 60;
    test::write_test_video(dir / "in.mp4", spec);  // 180x320, mid gray
    // Noise over the top half of every frame, which costs bits; the ceiling has to hold it.
    std::uint32_t seed = 12345;
    int painted_width = 0;
    const auto noise = [&](VideoFrameRgb& frame, TimeMs) {
        painted_width = frame.width;
        for (int y = 0; y < frame.height / 2; ++y)
            for (int x = 0; x < frame.width * 3; ++x) frame.pixels[y * frame.stride + x] = static_cast<std::uint8_t>((seed = seed * 1664525u + 1013904223u) >> 24);
    };
    VideoTranscodeOptions free;
    free.width = 360;
    free.height = 640;
    transcode_video(dir / "in.mp4", dir / "free.mp4", noise, free);
    VideoTranscodeOptions capped = free;
    capped.max_bitrate_kbps = 300;
    transcode_video(dir / "in.mp4", dir / "out.mp4", noise, capped);
    EXPECT_EQ(painted_width, 180) << "painted at the coded size, scaled after";
    const MediaInfo in = probe(dir / "in.mp4");
    const MediaInfo out = probe(dir / "out.mp4");
    ASSERT_NE(out.best_video(), nullptr);
    EXPECT_EQ(out.best_video()->width, 360);
    EXPECT_EQ(out.best_video()->height, 640);
    EXPECT_EQ(out.best_video()->duration_ms, in.best_video()->duration_ms);
    EXPECT_GT(probe(dir / "free.mp4").best_video()->bit_rate, 600'000) << "the noise costs more than the ceiling";
    EXPECT_LE(out.best_video()->bit_rate, 300'000) << "under the ceiling, even over 2 s";
    // The gray of the lower half survives the scaling (rows 170-230 of the input, away from its band).
    VideoReadOptions read;
    read.roi = {100, 380, 20, 20};
    VideoFrameReader reader(dir / "out.mp4", read);
    VideoFrame frame;
    ASSERT_TRUE(reader.next(frame));
    EXPECT_NEAR(frame.pixels[0], 128, 12);
}

TEST(Transcode, ABitrateCeilingBelowZeroIsRefused) {
    test::TempDir dir;
    test::write_test_video(dir / "in.mp4", test::TestVideoSpec{});
    VideoTranscodeOptions options;
    options.max_bitrate_kbps = -1;
    EXPECT_THROW(transcode_video(dir / "in.mp4", dir / "out.mp4", [](VideoFrameRgb&, TimeMs) {}, options), ConfigError);
    EXPECT_FALSE(std::filesystem::exists(dir / "out.mp4"));
}
