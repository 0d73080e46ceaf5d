// Stage decode: the soundtrack decoded once, for the mix (48 kHz, the episode's channels) and
// resampled for speech (16 kHz mono).
#include <span>

#include "media/audio_decode.hpp"
#include "media/resample.hpp"
#include "media/wav.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

namespace {
constexpr int kSpeechRate = 16000;
constexpr int kMixRate = 48000;
}  // namespace

DecodedAudio::DecodedAudio(std::string key, fs::path original_wav, fs::path speech_wav, TimeMs duration_ms)
    : key_(std::move(key)), original_wav_(std::move(original_wav)), speech_wav_(std::move(speech_wav)), duration_ms_(duration_ms) {}

const media::AudioBuffer& DecodedAudio::speech() const {
    std::call_once(speech_->once, [&] {
        if (!speech_wav_.empty()) speech_->audio = media::read_wav(speech_wav_);
    });
    return speech_->audio;
}

DecodedAudio decode_audio(StageContext& context, const fs::path& episode, const std::string& input_key, int channels) {
    context.announce("decode audio");
    const std::string key = stage_key(StageId::Decode, "ffmpeg", {input_key}, std::to_string(channels));
    const fs::path dir = run_stage(context, {StageId::Decode, "episode", "ffmpeg", key}, [&](const fs::path& d) {
        // One decode: the 48 kHz original for the mix, and from it what analysis listens to,
        // 16 kHz mono (a fraction of the size). A second at a time: memory does not grow
        // with the episode.
        media::AudioDecoder decoder(episode, kMixRate, channels);
        media::StreamResampler to_speech(kMixRate, channels, kSpeechRate, 1);
        media::WavWriter original(d / "original.wav", kMixRate, channels, media::WavSampleFormat::Float32);
        media::WavWriter speech_wav(d / "speech.wav", kSpeechRate, 1, media::WavSampleFormat::Float32);
        std::vector<float> block(static_cast<std::size_t>(kMixRate) * static_cast<std::size_t>(channels));
        while (const SampleCount n = decoder.read(block)) {
            const std::span<const float> read(block.data(), static_cast<std::size_t>(n) * static_cast<std::size_t>(channels));
            original.write(read);
            speech_wav.write(to_speech.push(read));
        }
        speech_wav.write(to_speech.flush());
        original.finish();
        speech_wav.finish();
    });
    const media::WavReader original(dir / "original.wav");
    return {key, dir / "original.wav", dir / "speech.wav", samples_to_ms(original.frames(), original.sample_rate())};
}

}  // namespace dramaloc::pipeline
