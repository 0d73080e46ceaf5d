#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/probe.hpp"
#include "media_test_support.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

TEST(Probe, DescribesAWrittenMp4) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 75;  // 2.5 s at 30 fps
    test::write_test_video(dir / "ep.mp4", spec);
    const MediaInfo info = probe(dir / "ep.mp4");
    EXPECT_NE(info.format.find("mp4"), std::string::npos);
    EXPECT_NEAR(static_cast<double>(info.duration_ms), 2500.0, 34.0);  // within a frame
    ASSERT_NE(info.best_video(), nullptr);
    ASSERT_NE(info.best_audio(), nullptr);
    const StreamInfo& v = *info.best_video();
    EXPECT_EQ(v.codec, "h264");
    EXPECT_EQ(v.width, 180);
    EXPECT_EQ(v.height, 320);
    EXPECT_EQ(v.frame_rate.num, 30);
    EXPECT_EQ(v.frame_rate.den, 1);
    EXPECT_EQ(v.rotation_degrees, 0);
    EXPECT_NEAR(static_cast<double>(v.duration_ms), 2500.0, 34.0);
    const StreamInfo& a = *info.best_audio();
    EXPECT_EQ(a.codec, "aac");
    EXPECT_EQ(a.sample_rate, 48000);
    EXPECT_EQ(a.channels, 2);
    EXPECT_EQ(a.channel_layout, "stereo");
    EXPECT_EQ(a.language, "zho");
    EXPECT_EQ(a.title, "Mandarin");
    EXPECT_NEAR(static_cast<double>(a.duration_ms), 2500.0, 30.0);

    const nlohmann::json j = to_json(info);
    EXPECT_EQ(j["streams"][v.index]["type"], "video");
    EXPECT_EQ(j["streams"][v.index]["frame_rate"]["num"], 30);
    EXPECT_EQ(j["streams"][a.index]["channel_layout"], "stereo");
    EXPECT_EQ(j["best_audio_index"], a.index);
}

TEST(Probe, ReportsRotationAndMono) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 10;
    spec.rotation_degrees = 90;
    spec.audio_channels = 1;
    spec.audio_sample_rate = 44100;
    test::write_test_video(dir / "rot.mp4", spec);
    const MediaInfo info = probe(dir / "rot.mp4");
    ASSERT_NE(info.best_video(), nullptr);
    EXPECT_EQ(info.best_video()->rotation_degrees, 90);
    ASSERT_NE(info.best_audio(), nullptr);
    EXPECT_EQ(info.best_audio()->channels, 1);
    EXPECT_EQ(info.best_audio()->sample_rate, 44100);
    EXPECT_EQ(info.best_audio()->channel_layout, "mono");
}
