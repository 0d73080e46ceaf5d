#pragma once
// Opening media inputs the same way everywhere: the same checks, the same bounded probing,
// the same one-line errors naming the file. Internal to media/.
#include <filesystem>
#include <string>

#include "core/time.hpp"
#include "media/av_handles.hpp"

namespace dramaloc::media::detail {

// Opens `path` for demuxing. Checks that it is a readable non-empty file, limits probing so that
// garbage is rejected quickly with bounded memory, accepts only file-based media demuxers (no
// playlists that would open other files), reads stream parameters when `read_stream_info`, and
// rejects MP4s whose index points past the end of the file (truncated downloads).
// Throws InputError: "<file>: not a media file FFmpeg can read (…)", "<file>: truncated or damaged…".
InputFormatPtr open_input(const std::filesystem::path& path, bool read_stream_info = true);

// Index of the best stream of `type`, or -1.
int best_stream(AVFormatContext* input, AVMediaType type);

// Like best_stream but throws InputError ("<file>: has no audio stream; dramaloc needs the
// episode's soundtrack" / "…has no video stream…").
int require_best_stream(AVFormatContext* input, AVMediaType type, const std::filesystem::path& path);

// Reads the next packet into `packet`. False at the end of the file; throws InputError
// (truncated/damaged) on read errors.
bool read_packet(AVFormatContext* input, AVPacket* packet, const std::filesystem::path& path);

[[noreturn]] void throw_damaged(const std::filesystem::path& path, const std::string& reason);

// A decoder for `stream`, opened. `threads` = 0 lets FFmpeg pick (frame + slice threads).
CodecContextPtr open_decoder(const AVStream* stream, const std::filesystem::path& path, int threads);

// Throws EngineError "<what>: <FFmpeg's text>" when `result` < 0; returns it otherwise.
int check_av(int result, const std::string& what);

// Milliseconds of `ts` in `time_base`, measured from `start` (AV_NOPTS_VALUE = 0).
TimeMs to_ms(std::int64_t ts, AVRational time_base, std::int64_t start = AV_NOPTS_VALUE);

}  // namespace dramaloc::media::detail
