#include <gtest/gtest.h>

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
