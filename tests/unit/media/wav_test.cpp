#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/wav.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

namespace {
std::string le(std::uint32_t v, int bytes) {
    std::string s;
    for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return s;
}
// A WAVE_FORMAT_EXTENSIBLE header for 24-bit PCM around `data`.
std::string extensible_24bit(int channels, int rate, const std::string& data) {
    std::string fmt = le(0xFFFE, 2) + le(static_cast<std::uint32_t>(channels), 2) + le(static_cast<std::uint32_t>(rate), 4) +
                      le(static_cast<std::uint32_t>(rate * channels * 3), 4) + le(static_cast<std::uint32_t>(channels * 3), 2) +
                      le(24, 2) + le(22, 2) + le(24, 2) + le(3, 4) + le(1, 2) +
                      std::string("\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 14);
    std::string body = "WAVE" + std::string("fmt ") + le(static_cast<std::uint32_t>(fmt.size()), 4) + fmt +
                       "LIST" + le(4, 4) + "INFO" + "data" + le(static_cast<std::uint32_t>(data.size()), 4) + data;
    return "RIFF" + le(static_cast<std::uint32_t>(body.size()), 4) + body;
}
}  // namespace

TEST(Wav, Pcm16StereoRoundTrip) {
    test::TempDir dir;
    const AudioBuffer tone = make_sine(440.0, 250, 44100, 2, 0.8f);
    write_wav(dir / "a.wav", tone);
    const AudioBuffer back = read_wav(dir / "a.wav");
    EXPECT_EQ(back.sample_rate, 44100);
    EXPECT_EQ(back.channels, 2);
    ASSERT_EQ(back.samples.size(), tone.samples.size());
    for (std::size_t i = 0; i < tone.samples.size(); ++i) ASSERT_NEAR(back.samples[i], tone.samples[i], 2.0 / 32768);
    EXPECT_EQ(std::filesystem::file_size(dir / "a.wav"), 44u + tone.samples.size() * 2);
    EXPECT_EQ(test::list_files(dir.path()), std::vector<std::string>{"a.wav"});  // no temporary left
}

TEST(Wav, Pcm24KeepsTwoHundredFiftySixTimesTheDetailOf16Bit) {
    test::TempDir dir;
    AudioBuffer tone = make_sine(997.0, 100, 48000, 1, 0.5f);
    tone.samples.push_back(1.5f);  // clipped, as 16-bit is
    tone.samples.push_back(-1.0f);
    write_wav(dir / "a.wav", tone, WavSampleFormat::Pcm24);
    EXPECT_EQ(std::filesystem::file_size(dir / "a.wav"), 44u + tone.samples.size() * 3);
    const std::string bytes = test::read_file(dir / "a.wav");
    EXPECT_EQ(static_cast<unsigned char>(bytes[34]), 24u) << "bits per sample";
    const AudioBuffer back = read_wav(dir / "a.wav");
    ASSERT_EQ(back.samples.size(), tone.samples.size());
    for (std::size_t i = 0; i + 2 < tone.samples.size(); ++i) ASSERT_NEAR(back.samples[i], tone.samples[i], 1.0 / 8388607 + 1e-7);
    EXPECT_NEAR(back.samples[tone.samples.size() - 2], 1.0f, 1e-6);
    EXPECT_NEAR(back.samples.back(), -1.0f, 1e-6);
}

TEST(Wav, FloatRoundTripIsExact) {
    test::TempDir dir;
    AudioBuffer audio = make_sine(1000.0, 100, 16000, 1, 0.3f);
    audio.samples[3] = 1.5f;  // float WAV keeps values beyond full scale
    write_wav(dir / "f.wav", audio, WavSampleFormat::Float32);
    const AudioBuffer back = read_wav(dir / "f.wav");
    EXPECT_EQ(back.sample_rate, 16000);
    EXPECT_EQ(back.channels, 1);
    EXPECT_EQ(back.samples, audio.samples);
}

TEST(Wav, ReadsExtensible24BitMultichannel) {
    test::TempDir dir;
    // Three channels, two frames: max positive, min negative, zero, half, ...
    const std::string data = std::string("\xFF\xFF\x7F", 3) + std::string("\x00\x00\x80", 3) + std::string("\x00\x00\x00", 3) +
                             std::string("\x00\x00\x40", 3) + std::string("\x00\x00\xC0", 3) + std::string("\x01\x00\x00", 3);
    test::write_file(dir / "x.wav", extensible_24bit(3, 48000, data));
    const AudioBuffer a = read_wav(dir / "x.wav");
    EXPECT_EQ(a.channels, 3);
    EXPECT_EQ(a.sample_rate, 48000);
    ASSERT_EQ(a.frames(), 2);
    EXPECT_NEAR(a.samples[0], 1.0f, 1e-6);
    EXPECT_EQ(a.samples[1], -1.0f);
    EXPECT_EQ(a.samples[2], 0.0f);
    EXPECT_EQ(a.samples[3], 0.5f);
    EXPECT_EQ(a.samples[4], -0.5f);
    EXPECT_EQ(a.samples[5], 1.0f / 8388608.0f);
}

TEST(Wav, CorruptFilesNameTheFileAndTheProblem) {
    test::TempDir dir;
    auto message = [&](const std::string& name) -> std::string {
        try {
            read_wav(dir / name);
        } catch (const InputError& e) {
            return e.what();
        }
        return "no error";
    };
    test::write_file(dir / "text.wav", "this is not audio at all, just text");
    EXPECT_EQ(message("text.wav"), (dir / "text.wav").string() +
                                       ": not a usable WAV file (no RIFF/WAVE header); export it again as PCM or float WAV");
    write_wav(dir / "good.wav", make_sine(440.0, 500, 16000, 1));
    const std::string good = test::read_file(dir / "good.wav");
    test::write_file(dir / "cut.wav", good.substr(0, good.size() / 2));
    EXPECT_NE(message("cut.wav").find("cut.wav: not a usable WAV file (truncated"), std::string::npos) << message("cut.wav");
    test::write_file(dir / "header.wav", good.substr(0, 20));
    EXPECT_NE(message("header.wav").find("truncated"), std::string::npos) << message("header.wav");
    test::write_file(dir / "empty.wav", "");
    EXPECT_NE(message("empty.wav").find("empty"), std::string::npos);
    EXPECT_NE(message("missing.wav").find("no such file"), std::string::npos);
    std::string adpcm = good;
    adpcm[20] = 2;  // format tag: MS ADPCM
    test::write_file(dir / "adpcm.wav", adpcm);
    EXPECT_NE(message("adpcm.wav").find("compressed"), std::string::npos) << message("adpcm.wav");
}

TEST(Wav, StreamingWriterAndReaderMatchTheWholeFileFunctions) {
    dramaloc::test::TempDir dir;
    media::AudioBuffer audio = media::make_sine(330, 1500, 48000, 2, 0.5f);
    media::write_wav(dir / "whole.wav", audio, media::WavSampleFormat::Pcm16);
    {
        media::WavWriter writer(dir / "blocks.wav", 48000, 2, media::WavSampleFormat::Pcm16);
        for (std::size_t at = 0; at < audio.samples.size(); at += 2 * 1000)
            writer.write(std::span<const float>(audio.samples.data() + at, std::min<std::size_t>(2000, audio.samples.size() - at)));
        EXPECT_FALSE(std::filesystem::exists(dir / "blocks.wav"));  // not before finish()
        writer.finish();
        EXPECT_EQ(writer.frames_written(), audio.frames());
    }
    EXPECT_EQ(dramaloc::test::read_file(dir / "blocks.wav"), dramaloc::test::read_file(dir / "whole.wav"));

    media::WavReader reader(dir / "blocks.wav");
    EXPECT_EQ(reader.frames(), audio.frames());
    EXPECT_EQ(reader.channels(), 2);
    std::vector<float> block(2 * 777), all;
    while (const auto n = reader.read(block)) all.insert(all.end(), block.begin(), block.begin() + 2 * n);
    EXPECT_EQ(all, media::read_wav(dir / "whole.wav").samples);
    EXPECT_EQ(reader.read(block), 0);
}

TEST(Wav, AnUnfinishedStreamingWriterLeavesNothing) {
    dramaloc::test::TempDir dir;
    {
        media::WavWriter writer(dir / "part.wav", 16000, 1, media::WavSampleFormat::Float32);
        const std::vector<float> some(1000, 0.25f);
        writer.write(some);
    }  // destroyed without finish(): an exception or Ctrl-C on the way
    EXPECT_TRUE(dramaloc::test::list_files(dir.path()).empty());
}
