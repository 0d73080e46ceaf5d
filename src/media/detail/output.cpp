#include "media/detail/output.hpp"

#include <cstring>

extern "C" {
#include <libavutil/display.h>
}

#include "core/error.hpp"
#include "core/language.hpp"

namespace dramaloc::media::detail {

namespace {
[[noreturn]] void throw_write_error(const AtomicFile& file, int rc) {
    std::string hint;
    if (rc == AVERROR(ENOSPC)) hint = " — free some disk space or choose another output folder";
    throw IoError("cannot write " + file.destination().string() + ": " + av_error_string(rc) + hint);
}
}  // namespace

OutputFormatPtr create_mp4_output(const AtomicFile& file) {
    AVFormatContext* raw = nullptr;
    const int rc = avformat_alloc_output_context2(&raw, nullptr, "mp4", file.temp_path().c_str());
    if (rc < 0 || !raw) throw EngineError("FFmpeg cannot create an MP4 muxer: " + av_error_string(rc));
    return OutputFormatPtr(raw);
}

void open_and_write_header(AVFormatContext* output, const AtomicFile& file, bool faststart) {
    int rc = avio_open(&output->pb, file.temp_path().c_str(), AVIO_FLAG_WRITE);
    if (rc < 0)
        throw IoError("cannot create " + file.destination().string() + ": " + av_error_string(rc) +
                      "; check that the folder is writable");
    AVDictionary* options = nullptr;
    if (faststart) av_dict_set(&options, "movflags", "+faststart", 0);
    rc = avformat_write_header(output, &options);
    av_dict_free(&options);
    if (rc < 0) throw_write_error(file, rc);
}

void write_packet(AVFormatContext* output, AVPacket* packet, const AtomicFile& file) {
    const int rc = av_interleaved_write_frame(output, packet);
    if (rc < 0) throw_write_error(file, rc);
}

void finish_output(AVFormatContext* output, AtomicFile& file) {
    int rc = av_write_trailer(output);
    if (rc < 0) throw_write_error(file, rc);
    if (output->pb && output->pb->error < 0) throw_write_error(file, output->pb->error);
    rc = avio_closep(&output->pb);
    if (rc < 0) throw_write_error(file, rc);
    file.commit();
}

void tag_stream(AVStream* stream, const std::string& bcp47_language, const std::string& title) {
    if (!bcp47_language.empty()) {
        const std::string code = language_or_throw(bcp47_language).iso639_2;
        av_dict_set(&stream->metadata, "language", code.c_str(), 0);
    }
    if (!title.empty()) {
        av_dict_set(&stream->metadata, "title", title.c_str(), 0);
        av_dict_set(&stream->metadata, "handler_name", title.c_str(), 0);
    }
}

void set_rotation(AVStream* stream, int rotation_degrees) {
    if (rotation_degrees % 360 == 0) return;
    auto* matrix = reinterpret_cast<std::int32_t*>(
        av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(std::int32_t)));
    if (!matrix) throw std::bad_alloc();
    av_display_rotation_set(matrix, static_cast<double>(rotation_degrees));
}

}  // namespace dramaloc::media::detail
