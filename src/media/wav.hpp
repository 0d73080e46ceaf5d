#pragma once
// WAV (RIFF) reading and writing, without FFmpeg: the format is small and its errors
// deserve precise messages. Stateless functions; safe to call from any thread.
#include <filesystem>

#include "media/audio.hpp"

namespace dramaloc::media {

enum class WavSampleFormat { Pcm16, Float32 };

// Reads PCM 8/16/24/32-bit integer or 32/64-bit float WAV, any channel count, including
// WAVE_FORMAT_EXTENSIBLE. Throws InputError naming the file when it is missing, not a WAV,
// truncated, or uses an encoding other than PCM/float.
AudioBuffer read_wav(const std::filesystem::path& path);

// Writes `audio` atomically (temporary name, renamed when complete; core AtomicFile).
// Pcm16 clips samples to [-1, 1]. Throws IoError on write failure.
void write_wav(const std::filesystem::path& path, const AudioBuffer& audio,
               WavSampleFormat format = WavSampleFormat::Pcm16);

}  // namespace dramaloc::media
