#pragma once
// Writing MP4 containers through a core AtomicFile: the muxer writes the temporary (which keeps
// the .mp4 extension), finish_output() renames it into place. Internal to media/.
#include <filesystem>
#include <string>

#include "core/atomic_file.hpp"
#include "media/av_handles.hpp"

namespace dramaloc::media::detail {

// An MP4 muxer writing to `file.temp_path()`. Streams are added by the caller.
OutputFormatPtr create_mp4_output(const AtomicFile& file);

// Opens the temporary and writes the header. `faststart` moves the index to the front at the end.
void open_and_write_header(AVFormatContext* output, const AtomicFile& file, bool faststart);

// Writes one packet (timestamps already in the output stream's time base). Throws IoError.
void write_packet(AVFormatContext* output, AVPacket* packet, const AtomicFile& file);

// Writes the trailer, closes the temporary and renames it into place. Throws IoError.
void finish_output(AVFormatContext* output, AtomicFile& file);

// Sets "language" (ISO 639-2/T from a BCP-47 tag; InputError for an unknown tag), "title"
// and "handler_name" on a stream. Empty values are left unset.
void tag_stream(AVStream* stream, const std::string& bcp47_language, const std::string& title);

// Sets the display matrix of `stream` to a clockwise rotation of `rotation_degrees`; 0 sets nothing.
void set_rotation(AVStream* stream, int rotation_degrees);

}  // namespace dramaloc::media::detail
