#pragma once
// Decoding the soundtrack of a media file to float PCM at a chosen rate and channel count
// (libavcodec + libswresample, in-process). Only the best audio stream is read; other streams
// are discarded at the demuxer, so video bytes are never decoded. Downmixing averages the
// channels (never above full scale). For MP4 the output stops at the track's recorded length,
// which drops the AAC encoder's padding of the last frame.
#include <filesystem>
#include <memory>
#include <span>

#include "media/audio.hpp"

namespace dramaloc::media {

// Streaming decoder with bounded memory, for long files.
// One object is used by one thread at a time. Checks core cancellation between packets.
class AudioDecoder {
public:
    AudioDecoder();
    // Same as open().
    AudioDecoder(const std::filesystem::path& path, int sample_rate, int channels);
    ~AudioDecoder();
    AudioDecoder(AudioDecoder&&) noexcept;
    AudioDecoder& operator=(AudioDecoder&&) noexcept;

    // Opens `path`, selecting its best audio stream, output `channels` (1 or 2) at `sample_rate`.
    // Throws InputError for unreadable/non-media/damaged files and for a file without audio
    // ("…: has no audio stream; dramaloc needs the episode's soundtrack").
    void open(const std::filesystem::path& path, int sample_rate, int channels);

    // Fills `out` (interleaved; size should be a multiple of channels()) and returns the number
    // of sample FRAMES written; fewer than requested only at the end of the stream, 0 after it.
    SampleCount read(std::span<float> out);

    int sample_rate() const;
    int channels() const;
    // Container's duration estimate of the stream (0 when unknown).
    TimeMs duration_ms() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Decodes the whole best audio stream of `path` into memory. Same errors as AudioDecoder::open.
AudioBuffer decode_audio(const std::filesystem::path& path, int sample_rate, int channels);

}  // namespace dramaloc::media
