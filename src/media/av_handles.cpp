#include "media/av_handles.hpp"

#include <new>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace dramaloc::media {

FramePtr make_frame() {
    FramePtr frame(av_frame_alloc());
    if (!frame) throw std::bad_alloc();
    return frame;
}

PacketPtr make_packet() {
    PacketPtr packet(av_packet_alloc());
    if (!packet) throw std::bad_alloc();
    return packet;
}

void set_ffmpeg_log_quiet(bool quiet) { av_log_set_level(quiet ? AV_LOG_QUIET : AV_LOG_WARNING); }

std::string av_error_string(int error_code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(error_code, text, sizeof text) < 0) return "FFmpeg error " + std::to_string(error_code);
    return text;
}

}  // namespace dramaloc::media
