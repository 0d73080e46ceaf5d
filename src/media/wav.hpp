#pragma once
// WAV (RIFF) reading and writing, without FFmpeg: the format is small and its errors
// deserve precise messages. Stateless functions; safe to call from any thread.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>

#include "core/atomic_file.hpp"
#include "media/audio.hpp"

namespace dramaloc::media {

enum class WavSampleFormat { Pcm16, Pcm24, Float32 };  // Pcm24: deliveries that ask for 24-bit

// Reads a WAV file a block at a time (memory does not grow with the file). Same formats and
// errors as read_wav. One object per thread.
class WavReader {
public:
    explicit WavReader(const std::filesystem::path& path);
    ~WavReader();
    WavReader(WavReader&&) noexcept;
    WavReader& operator=(WavReader&&) noexcept;

    int sample_rate() const;
    int channels() const;
    SampleCount frames() const;  // in the file
    SampleCount position() const;
    // Fills `out` (interleaved, a multiple of channels()) and returns the frames read; fewer
    // than asked only at the end, 0 after it.
    SampleCount read(std::span<float> out);

private:
    struct Impl;
    explicit WavReader(std::unique_ptr<Impl> impl);
    friend AudioBuffer decode_wav(std::string bytes, const std::string& source_name);
    std::unique_ptr<Impl> impl_;
};

// A whole WAV file given as bytes (a server's answer); errors name `source_name`.
AudioBuffer decode_wav(std::string bytes, const std::string& source_name);

// Writes a WAV file a block at a time, atomically: the file appears at `path` only when
// finish() succeeds; destroyed without it, nothing is left. Pcm16 clips to [-1, 1].
class WavWriter {
public:
    WavWriter(const std::filesystem::path& path, int sample_rate, int channels, WavSampleFormat format);
    ~WavWriter();
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    void write(std::span<const float> interleaved);  // whole frames; throws IoError
    void finish();                                   // header sizes, fsync, rename
    SampleCount frames_written() const { return frames_; }

private:
    std::filesystem::path path_;
    AtomicFile file_;
    std::ofstream out_;
    int channels_;
    int sample_rate_ = 0;
    WavSampleFormat format_;
    SampleCount frames_ = 0;
    std::string buffer_;
};

// Reads PCM 8/16/24/32-bit integer or 32/64-bit float WAV, any channel count, including
// WAVE_FORMAT_EXTENSIBLE. Throws InputError naming the file when it is missing, not a WAV,
// truncated, or uses an encoding other than PCM/float.
AudioBuffer read_wav(const std::filesystem::path& path);

// The bytes of a WAV file holding `audio` (for sending audio to a server).
std::string encode_wav(const AudioBuffer& audio, WavSampleFormat format = WavSampleFormat::Pcm16);

// Writes `audio` atomically (temporary name, renamed when complete; core AtomicFile).
// Pcm16 clips samples to [-1, 1]. Throws IoError on write failure.
void write_wav(const std::filesystem::path& path, const AudioBuffer& audio,
               WavSampleFormat format = WavSampleFormat::Pcm16);

}  // namespace dramaloc::media
