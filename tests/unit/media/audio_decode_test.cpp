#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "media/audio_decode.hpp"
#include "media/wav.hpp"
#include "media_test_support.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

namespace {
// Frequency from upward zero crossings over the middle of the signal (skips codec edges).
double dominant_frequency(const AudioBuffer& mono) {
    const auto n = mono.samples.size();
    const std::size_t begin = n / 10;
    const std::size_t end = n - n / 10;
    std::size_t first = 0;
    std::size_t last = 0;
    int crossings = 0;
    for (std::size_t i = begin + 1; i < end; ++i) {
        if (mono.samples[i - 1] < 0.0f && mono.samples[i] >= 0.0f) {
            if (crossings == 0) first = i;
            last = i;
            ++crossings;
        }
    }
    if (crossings < 2) return 0.0;
    return (crossings - 1) * static_cast<double>(mono.sample_rate) / static_cast<double>(last - first);
}
}  // namespace

TEST(DecodeAudio, ResamplesStereo48kToMono16k) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 90;  // 3 s
    test::write_test_video(dir / "tone.mp4", spec);
    const AudioBuffer mono = decode_audio(dir / "tone.mp4", 16000, 1);
    EXPECT_EQ(mono.sample_rate, 16000);
    EXPECT_EQ(mono.channels, 1);
    // Length within 1 ms per second of the 3 s written.
    EXPECT_NEAR(static_cast<double>(mono.duration_ms()), 3000.0, 3.0);
    // A 0.5-peak sine has RMS 0.354; AAC at 128 kb/s keeps it within a few percent.
    const AudioBuffer middle = slice_ms(mono, 500, 2500);
    EXPECT_NEAR(rms(middle), 0.5 / std::sqrt(2.0), 0.02);
    EXPECT_NEAR(dominant_frequency(mono), 1000.0, 5.0);
}

TEST(DecodeAudio, StreamingMatchesWholeDecode) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 45;
    spec.tone_hz = 440.0;
    test::write_test_video(dir / "tone.mp4", spec);
    const AudioBuffer whole = decode_audio(dir / "tone.mp4", 22050, 2);
    AudioDecoder decoder(dir / "tone.mp4", 22050, 2);
    std::vector<float> streamed;
    std::vector<float> chunk(2 * 777);  // an odd size, to cross frame boundaries
    SampleCount frames = 0;
    while ((frames = decoder.read(chunk)) > 0) streamed.insert(streamed.end(), chunk.begin(), chunk.begin() + frames * 2);
    EXPECT_EQ(decoder.read(chunk), 0);
    ASSERT_EQ(streamed.size(), whole.samples.size());
    EXPECT_EQ(streamed, whole.samples);
    EXPECT_NEAR(dominant_frequency(mix_to_mono(whole)), 440.0, 3.0);
}

TEST(DecodeAudio, ReadsWavThroughFfmpegToo) {
    test::TempDir dir;
    write_wav(dir / "a.wav", make_sine(500.0, 1000, 44100, 1, 0.25f));
    const AudioBuffer out = decode_audio(dir / "a.wav", 16000, 1);
    EXPECT_NEAR(static_cast<double>(out.duration_ms()), 1000.0, 1.0);
    EXPECT_NEAR(rms(slice_ms(out, 100, 900)), 0.25 / std::sqrt(2.0), 0.005);
}

TEST(DecodeAudio, VideoWithoutAudioIsAClearError) {
    test::TempDir dir;
    test::TestVideoSpec spec;
    spec.frames = 10;
    spec.with_audio = false;
    test::write_test_video(dir / "silent.mp4", spec);
    try {
        decode_audio(dir / "silent.mp4", 16000, 1);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  (dir / "silent.mp4").string() + ": has no audio stream; dramaloc needs the episode's soundtrack");
    }
}
