#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.hpp"
#include "media/video_frames.hpp"
#include "media_test_support.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

namespace {
class VideoFrames : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        spec_.frames = 60;
        test::write_test_video(video(), spec_);
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::filesystem::path video() { return *dir_ / "band.mp4"; }
    static inline test::TempDir* dir_ = nullptr;
    static inline test::TestVideoSpec spec_;
};

int at(const VideoFrame& f, int x, int y, int channel = 0) {
    const int bytes_per_pixel = f.stride / f.width;
    return f.pixels[static_cast<std::size_t>(y * f.stride + x * bytes_per_pixel + channel)];
}
}  // namespace

TEST_F(VideoFrames, BandInRgbEveryNthFrame) {
    VideoReadOptions options;
    options.roi = {0, spec_.band_y, spec_.width, spec_.band_height};
    options.frame_step = 7;
    options.kind = PixelKind::Rgb24;
    VideoFrameReader reader(video(), options);
    EXPECT_EQ(reader.source_width(), 180);
    EXPECT_EQ(reader.source_height(), 320);
    EXPECT_EQ(reader.frame_rate().num, 30);
    VideoFrame frame;
    std::vector<std::int64_t> indices;
    while (reader.next(frame)) {
        indices.push_back(frame.index);
        ASSERT_EQ(frame.width, 180);
        ASSERT_EQ(frame.height, 40);
        ASSERT_EQ(frame.stride, 540);
        EXPECT_EQ(frame.pts, (frame.index * 1000 + 15) / 30) << frame.index;  // nearest ms
        // The band's colour, within H.264 + 4:2:0 tolerance, away from the band's edges.
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(at(frame, 90, 20, c), spec_.band_rgb[c], 12) << "channel " << c;
    }
    EXPECT_EQ(indices.size(), 9u);  // ceil(60 / 7)
    EXPECT_EQ(indices.front(), 0);
    EXPECT_EQ(indices.back(), 56);
}

TEST_F(VideoFrames, FullFrameGrayEveryFrame) {
    VideoFrameReader reader(video());
    VideoFrame frame;
    int count = 0;
    while (reader.next(frame)) {
        ++count;
        ASSERT_EQ(frame.width, 180);
        ASSERT_EQ(frame.height, 320);
        ASSERT_EQ(frame.stride, 180);
        // Full-range BT.601 luma: gray 128 stays 128; (230, 40, 40) is about 97.
        EXPECT_NEAR(at(frame, 90, 150), 128, 4);
        EXPECT_NEAR(at(frame, 90, 260), 97, 6);
    }
    EXPECT_EQ(count, 60);
}

TEST_F(VideoFrames, ScaledBandKeepsAspect) {
    VideoReadOptions options;
    options.roi = {0, spec_.band_y, spec_.width, spec_.band_height};
    options.output_width = 90;
    VideoFrameReader reader(video(), options);
    VideoFrame frame;
    ASSERT_TRUE(reader.next(frame));
    EXPECT_EQ(frame.width, 90);
    EXPECT_EQ(frame.height, 20);
    EXPECT_NEAR(at(frame, 45, 10), 97, 6);
}

TEST_F(VideoFrames, BandOutsideTheFrameIsAClearError) {
    VideoReadOptions options;
    options.roi = {0, 300, 180, 40};
    try {
        VideoFrameReader reader(video(), options);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), video().string() +
                                             ": band y300:340 x0:180 is outside the 180x320 frame; choose a band "
                                             "inside the picture");
    }
    options.roi = {};
    options.frame_step = 0;
    EXPECT_THROW(VideoFrameReader(video(), options), ConfigError);
}

TEST_F(VideoFrames, AgreesWithFfmpegOnFrameCount) {
    if (!test::have_ffprobe()) GTEST_SKIP() << "ffprobe not installed";
    const auto r = test::run_command({"ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                      "stream=nb_read_frames", "-of", "csv=p=0", video().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::atoi(r.out.c_str()), 60);
}

TEST(VideoFramesSkipping, FramesNoOtherFrameRefersToAreSkippedAndIndicesKeepTheirPlace) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 90;
    spec.preset = "veryfast";  // B-frames, most of which nothing refers to
    test::write_test_video(dir / "b.mp4", spec);
    VideoReadOptions options;
    options.skip_non_reference = true;
    VideoFrameReader reader(dir / "b.mp4", options);
    VideoFrame frame;
    std::vector<std::int64_t> indices;
    while (reader.next(frame)) {
        indices.push_back(frame.index);
        EXPECT_EQ(frame.pts, (frame.index * 1000 + 15) / 30) << frame.index;
    }
    EXPECT_EQ(reader.frames_in_stream(), 90);  // every frame counted, decoded or not
    ASSERT_GT(indices.size(), 10u);
    EXPECT_LT(indices.size(), 80u);
    EXPECT_EQ(indices.front(), 0);
    EXPECT_TRUE(std::is_sorted(indices.begin(), indices.end()));
    EXPECT_EQ(std::adjacent_find(indices.begin(), indices.end()), indices.end());  // no index twice
    EXPECT_LE(indices.back(), 89);
}

TEST_F(VideoFrames, Yuv420PlanesAreTheCodedValues) {
    VideoReadOptions options;
    options.kind = PixelKind::Yuv420;
    VideoFrameReader reader(video(), options);
    VideoFrame frame;
    ASSERT_TRUE(reader.next(frame));
    ASSERT_EQ(frame.width, 180);
    ASSERT_EQ(frame.height, 320);
    ASSERT_EQ(frame.pixels.size(), 180u * 320u * 3 / 2);
    const auto luma = [&](int x, int y) { return frame.pixels[static_cast<std::size_t>(y * 180 + x)]; };
    const auto v = [&](int x, int y) { return frame.pixels[180u * 320u * 5 / 4 + static_cast<std::size_t>(y * 90 + x)]; };
    // Limited range BT.601: gray 128 is Y 126; the band's red (230, 40, 40) is Y 99, V 211.
    EXPECT_NEAR(luma(90, 100), 126, 4);
    EXPECT_NEAR(luma(90, 260), 99, 6);
    EXPECT_NEAR(v(45, 130), 211, 8);
    EXPECT_NEAR(v(45, 50), 128, 4);
    // Whole frames only: a region or a scale is refused.
    options.roi = {0, 0, 90, 90};
    EXPECT_THROW(VideoFrameReader(video(), options), ConfigError);
}
