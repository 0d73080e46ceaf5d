#include "sample/sample.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>

#include "core/error.hpp"
#include "core/text_codec.hpp"
#include "media/audio_decode.hpp"
#include "media/probe.hpp"
#include "media/video_frames.hpp"
#include "support/test_support.hpp"

namespace dramaloc::sample {
namespace {

// Counts near-white pixels in a gray frame.
int bright_pixels(const media::VideoFrame& frame) {
    int n = 0;
    for (const std::uint8_t v : frame.pixels) n += v > 220;
    return n;
}

// Gray frames of `roi` whose presentation time is closest to each of `times`.
std::vector<media::VideoFrame> frames_at(const std::filesystem::path& video, media::Rect roi,
                                         const std::vector<TimeMs>& times) {
    media::VideoFrameReader reader(video, media::VideoReadOptions{roi, 1, media::PixelKind::Gray, 0});
    std::vector<media::VideoFrame> picked(times.size());
    std::vector<TimeMs> best(times.size(), 1'000'000);
    media::VideoFrame frame;
    while (reader.next(frame)) {
        for (std::size_t i = 0; i < times.size(); ++i) {
            if (std::abs(frame.pts - times[i]) < best[i]) {
                best[i] = std::abs(frame.pts - times[i]);
                picked[i] = frame;
            }
        }
    }
    return picked;
}

double rms_between(const media::AudioBuffer& mono, TimeMs from, TimeMs to) {
    return media::rms(media::slice_ms(mono, from, to));
}

TEST(SampleEpisode, SixSecondsWithChineseHardsubsMatchesItsReference) {
    test::TempDir dir;
    SampleOptions options;
    options.seconds = 6;
    options.hardsubs_language = "zh";
    std::vector<double> progress;
    options.on_progress = [&](double f) { progress.push_back(f); };
    const SampleResult result = make_sample(dir / "ep.mp4", options);

    // The container.
    const media::MediaInfo info = media::probe(result.video);
    ASSERT_NE(info.best_video(), nullptr);
    EXPECT_EQ(info.best_video()->width, 1080);
    EXPECT_EQ(info.best_video()->height, 1920);
    EXPECT_EQ(info.best_video()->frame_rate.num * 1, 30 * info.best_video()->frame_rate.den);
    ASSERT_NE(info.best_audio(), nullptr);
    EXPECT_NEAR(static_cast<double>(info.duration_ms), 6000.0, 100.0);
    ASSERT_FALSE(progress.empty());
    EXPECT_DOUBLE_EQ(progress.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));

    // The reference on disk is what make_sample returned.
    EXPECT_EQ(result.reference, dir / "ep.json");
    const SampleReference ref = read_sample_reference(result.reference);
    EXPECT_EQ(ref.script, result.contents.script);
    EXPECT_EQ(ref.hardsubs, result.contents.hardsubs);
    EXPECT_EQ(ref.duration_ms, 6000);
    EXPECT_EQ(ref.frames, 180);
    ASSERT_GE(ref.script.lines.size(), 2u);
    std::set<std::string> speakers;
    TimeMs previous_end = 0;
    for (const Line& line : ref.script.lines) {
        EXPECT_GE(line.start, previous_end + 300) << line.id;  // ordered, with a pause between
        EXPECT_GT(line.end, line.start) << line.id;
        EXPECT_LE(line.end, ref.duration_ms) << line.id;
        EXPECT_FALSE(line.words.empty()) << line.id;
        for (const Word& w : line.words) {
            EXPECT_GE(w.start, line.start);
            EXPECT_LE(w.end, line.end);
        }
        speakers.insert(line.speaker);
        previous_end = line.end;
    }
    EXPECT_GE(speakers.size(), 2u);
    ASSERT_EQ(ref.hardsubs.size(), ref.script.lines.size());
    for (std::size_t i = 0; i < ref.hardsubs.size(); ++i) {
        EXPECT_EQ(ref.hardsubs[i].start, ref.script.lines[i].start);
        EXPECT_EQ(ref.hardsubs[i].end, ref.script.lines[i].end);
        ASSERT_EQ(ref.hardsubs[i].lines.size(), 1u);
    }
    EXPECT_EQ(ref.hardsubs[0].lines[0], "你为什么回来？");

    // Speech is loud where lines are; between them only the quiet music plays.
    const media::AudioBuffer audio = media::decode_audio(result.video, 48000, 1);
    double loudest_gap = 0.0;
    std::vector<double> line_rms;
    for (std::size_t i = 0; i < ref.script.lines.size(); ++i) {
        const Line& line = ref.script.lines[i];
        line_rms.push_back(rms_between(audio, line.start + 100, line.end - 100));
        const TimeMs gap_start = line.end + 100;
        const TimeMs gap_end = i + 1 < ref.script.lines.size() ? ref.script.lines[i + 1].start - 100 : ref.duration_ms - 50;
        if (gap_end - gap_start >= 100) loudest_gap = std::max(loudest_gap, rms_between(audio, gap_start, gap_end));
    }
    const double music_only = rms_between(audio, 0, ref.script.lines[0].start - 50);
    std::sort(line_rms.begin(), line_rms.end());
    EXPECT_GT(line_rms.front(), 2.0 * loudest_gap) << line_rms.front() << " vs " << loudest_gap;  // every line: +6 dB
    EXPECT_GT(line_rms[line_rms.size() / 2], 3.0 * loudest_gap);                                 // typical line: +9.5 dB
    EXPECT_GT(music_only, 0.004);  // about -30 dBFS of music, not silence
    EXPECT_LT(music_only, 0.08);

    // Burned-in text: bright pixels in the lower third during each subtitle, none between.
    const media::Rect lower_third{0, 1280, 1080, 640};
    std::vector<TimeMs> during, between;
    for (std::size_t i = 0; i < ref.hardsubs.size(); ++i) {
        during.push_back((ref.hardsubs[i].start + ref.hardsubs[i].end) / 2);
        if (i + 1 < ref.hardsubs.size()) between.push_back((ref.hardsubs[i].end + ref.hardsubs[i + 1].start) / 2);
    }
    between.push_back(ref.hardsubs[0].start / 2);
    for (const media::VideoFrame& f : frames_at(result.video, lower_third, during)) {
        EXPECT_GT(bright_pixels(f), 2000) << "at " << f.pts << " ms";
    }
    for (const media::VideoFrame& f : frames_at(result.video, lower_third, between)) {
        EXPECT_EQ(bright_pixels(f), 0) << "at " << f.pts << " ms";
    }

    // The logo never changes.
    const media::Rect logo{ref.logo.x, ref.logo.y, ref.logo.width, ref.logo.height};
    const std::vector<media::VideoFrame> logos = frames_at(result.video, logo, {0, 1500, 3000, 5900});
    for (const media::VideoFrame& f : logos) {
        ASSERT_EQ(f.pixels.size(), logos[0].pixels.size());
        double diff = 0;
        for (std::size_t i = 0; i < f.pixels.size(); ++i) diff += std::abs(int(f.pixels[i]) - int(logos[0].pixels[i]));
        EXPECT_LT(diff / static_cast<double>(f.pixels.size()), 2.0) << "at " << f.pts << " ms";
    }
    EXPECT_GT(bright_pixels(logos[0]), 0);  // its text is there
}

TEST(SampleEpisode, SameOptionsGiveIdenticalFiles) {
    test::TempDir dir;
    SampleOptions options;
    options.seconds = 5;
    options.background = Background::Busy;
    options.hardsubs_language = "zh";
    options.seed = 7;
    make_sample(dir / "a.mp4", options);
    make_sample(dir / "b.mp4", options);
    EXPECT_TRUE(test::read_file(dir / "a.mp4") == test::read_file(dir / "b.mp4"));
    EXPECT_EQ(test::read_file(dir / "a.json"), test::read_file(dir / "b.json"));
}

TEST(SampleEpisode, SilentSmallSampleHasNoAudioStream) {
    test::TempDir dir;
    SampleOptions options;
    options.seconds = 5;
    options.width = 360;
    options.height = 640;
    options.background = Background::Striped;
    options.with_audio = false;
    const SampleResult result = make_sample(dir / "silent.mp4", options);
    const media::MediaInfo info = media::probe(result.video);
    EXPECT_EQ(info.best_audio(), nullptr);
    ASSERT_NE(info.best_video(), nullptr);
    EXPECT_EQ(info.best_video()->width, 360);
    EXPECT_FALSE(result.contents.has_audio);
    EXPECT_FALSE(result.contents.script.lines.empty());  // the script still says when lines would be
    EXPECT_FALSE(result.contents.hardsubs_language.has_value());
}

TEST(SampleEpisode, BadOptionsSayWhatIsAllowed) {
    test::TempDir dir;
    auto message_for = [&](const SampleOptions& o) -> std::string {
        try {
            make_sample(dir / "x.mp4", o);
        } catch (const InputError& e) {
            return e.what();
        }
        return "no error";
    };
    SampleOptions too_short;
    too_short.seconds = 4;
    EXPECT_NE(message_for(too_short).find("5..3600 seconds"), std::string::npos);
    SampleOptions too_long;
    too_long.seconds = 3601;
    EXPECT_NE(message_for(too_long).find("5..3600 seconds"), std::string::npos);
    SampleOptions french;
    french.hardsubs_language = "fr";
    EXPECT_NE(message_for(french).find("available in: zh"), std::string::npos);
    // A font that is not installed is refused (libass would quietly use another).
    SampleOptions no_such_font;
    no_such_font.hardsubs_language = "zh";
    no_such_font.look.font = "Comic Sans CJK";
    EXPECT_NE(message_for(no_such_font).find("font \"Comic Sans CJK\" is not installed"), std::string::npos);
    SampleOptions upscaled_beyond;
    upscaled_beyond.source_width = 2160, upscaled_beyond.source_height = 3840;
    EXPECT_NE(message_for(upscaled_beyond).find("at most the output size"), std::string::npos);
    SampleOptions missing_photo;
    missing_photo.background_files = {dir / "nothing.jpg"};
    EXPECT_NE(message_for(missing_photo).find("nothing.jpg: no such file"), std::string::npos);
    EXPECT_TRUE(test::list_files(dir.path()).empty());
}

TEST(SampleEpisode, ShortLinesSparseKeyFramesAndNoMusic) {
    test::TempDir dir;
    SampleOptions options;
    options.seconds = 24;
    options.width = 360;
    options.height = 640;
    options.hardsubs_language = "zh";
    options.scene = Scene::Short;
    options.keyframe_interval_s = 10;
    options.music_db.reset();
    const SampleResult result = make_sample(dir / "short.mp4", options);
    const auto& ref = result.contents;
    ASSERT_GE(ref.hardsubs.size(), 8u);
    for (const auto& e : ref.hardsubs) {
        // 3-8 Chinese characters, punctuation not counted.
        int han = 0;
        for (const char32_t c : code_points(e.lines[0]))
            han += c >= 0x4E00 && c <= 0x9FFF;
        EXPECT_GE(han, 3) << e.lines[0];
        EXPECT_LE(han, 8) << e.lines[0];
    }
    EXPECT_EQ(ref.scene, "short");
    EXPECT_EQ(ref.keyframe_interval_s, 10);
    EXPECT_FALSE(ref.music_db.has_value());
    // Key frames at 0, 10 and 20 s only (no scene-cut key frames).
    const auto reread = read_sample_reference(result.reference);
    EXPECT_EQ(reread.scene, "short");
    EXPECT_FALSE(reread.music_db.has_value());
    const auto r = test::run_command({"ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries",
                                      "frame=pts_time", "-of", "csv=p=0", result.video.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    int keyframes = 0;  // one time per line (the first frame's side data adds an empty line)
    for (std::size_t at = 0; at < r.out.size(); at = r.out.find('\n', at) + 1) {
        keyframes += std::isdigit(static_cast<unsigned char>(r.out[at])) != 0;
        if (r.out.find('\n', at) == std::string::npos) break;
    }
    EXPECT_EQ(keyframes, 3) << r.out;
    // Without music, the pauses between lines are silent.
    const auto mono = media::decode_audio(result.video, 16000, 1);
    const auto& lines = ref.script.lines;
    ASSERT_GE(lines.size(), 2u);
    EXPECT_LT(rms_between(mono, lines[0].end + 60, lines[1].start - 60), 1e-3);
}

TEST(SampleEpisode, APhotographFilmedByAMovingCameraWithCutsAndTheLookAsked) {
    test::TempDir dir;
    SampleOptions options;
    options.seconds = 8;
    options.width = 360;
    options.height = 640;
    options.source_width = 240, options.source_height = 428;  // drawn small, scaled up on encoding
    options.hardsubs_language = "zh";
    options.with_audio = false;
    options.look.font = "AR PL UKai CN";
    options.look.colour = *colour_from_string("yellow");
    options.look.position = TextPosition::Top;
    options.caption = Caption::Cyrillic;
    options.background_files = {"/usr/share/backgrounds/mate/nature/Storm.jpg", "/usr/share/backgrounds/mate/nature/YellowFlower.jpg"};
    const SampleResult result = make_sample(dir / "photo.mp4", options);
    const auto& ref = read_sample_reference(result.reference);
    EXPECT_EQ(ref.background, "files:Storm.jpg,YellowFlower.jpg");
    ASSERT_TRUE(ref.look);
    EXPECT_EQ(ref.look->font, "AR PL UKai CN");
    EXPECT_EQ(ref.look->colour, 0xFFE400u);
    EXPECT_EQ(ref.caption, "cyrillic");
    EXPECT_EQ(ref.source_width, 240);
    EXPECT_EQ(media::probe(result.video).best_video()->width, 360);
    // Subtitles at the top: their area lies in the upper part of the output frame.
    ASSERT_TRUE(ref.hardsubs_area);
    EXPECT_LT(ref.hardsubs_area->y + ref.hardsubs_area->height, ref.height / 3);
    // The picture moves from frame to frame (a panning camera) and cuts within 3-6 s: the
    // mean colour of the frame changes a little every frame and a lot at the cut.
    media::VideoFrameReader reader(result.video, media::VideoReadOptions{{0, 320, 360, 320}, 1, media::PixelKind::Gray, 0});
    media::VideoFrame frame;
    std::vector<double> means;
    std::vector<std::uint8_t> previous;
    int moved = 0;
    while (reader.next(frame)) {
        double sum = 0;
        for (const auto v : frame.pixels) sum += v;
        means.push_back(sum / static_cast<double>(frame.pixels.size()));
        if (!previous.empty() && previous != frame.pixels) ++moved;
        previous = frame.pixels;
    }
    EXPECT_GT(moved, static_cast<int>(means.size()) * 9 / 10);
    double biggest = 0;
    for (std::size_t i = 1; i < means.size(); ++i) biggest = std::max(biggest, std::abs(means[i] - means[i - 1]));
    EXPECT_GT(biggest, 20.0);  // the storm's grey to the flower's yellow
}

TEST(SampleEpisode, LooksParseTheirNames) {
    EXPECT_EQ(colour_from_string("white"), 0xFFFFFFu);
    EXPECT_EQ(colour_from_string("#8fd8ff"), 0x8FD8FFu);
    EXPECT_FALSE(colour_from_string("mauve"));
    EXPECT_EQ(colour_to_string(0xFFE400), "#FFE400");
    EXPECT_EQ(text_position_from_string("lower-third"), TextPosition::LowerThird);
    EXPECT_EQ(caption_from_string("latin"), Caption::Latin);
    EXPECT_EQ(scene_from_string("varied"), Scene::Varied);
    EXPECT_NO_THROW(require_font("WenQuanYi Zen Hei"));
}

TEST(SampleEpisode, BackgroundNamesRoundTrip) {
    for (const Background b : {Background::Plain, Background::Striped, Background::Busy}) {
        EXPECT_EQ(background_from_string(to_string(b)), b);
    }
    EXPECT_FALSE(background_from_string("noisy").has_value());
}

}  // namespace
}  // namespace dramaloc::sample
