#pragma once
// What a media file holds: container, duration, streams. In-process (libavformat).
// Stateless; safe to call from any thread.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.hpp"

namespace dramaloc::media {

enum class StreamType { Video, Audio, Subtitle, Data, Other };
const char* to_string(StreamType type) noexcept;

struct StreamInfo {
    int index = 0;                 // stream index in the container
    StreamType type = StreamType::Other;
    std::string codec;             // FFmpeg codec name: "h264", "aac", "mov_text"
    std::string language;          // container tag as stored (ISO 639-2, e.g. "spa"); empty when none/"und"
    std::string title;             // "title" metadata, else "handler_name"; may be empty
    bool is_default = false;       // AV_DISPOSITION_DEFAULT
    TimeMs duration_ms = 0;        // 0 when unknown
    std::int64_t bit_rate = 0;     // bits/s, 0 when unknown
    // video
    int width = 0;                 // coded picture size (before rotation)
    int height = 0;
    FrameRate frame_rate{0, 1};    // average frame rate; {0,1} when unknown
    int rotation_degrees = 0;      // display matrix: turn the picture this much CLOCKWISE to show it (0/90/180/270;
                                   // ffprobe prints the counter-clockwise angle, e.g. -90 for 90)
    // audio
    int sample_rate = 0;
    int channels = 0;
    std::string channel_layout;    // "mono", "stereo", "5.1"…
};

struct MediaInfo {
    std::filesystem::path path;
    std::string format;            // demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    TimeMs duration_ms = 0;
    std::int64_t bit_rate = 0;     // bits/s, 0 when unknown
    std::vector<StreamInfo> streams;

    // The stream FFmpeg would pick (av_find_best_stream); nullptr when there is none.
    const StreamInfo* best_video() const { return best_of(best_video_index); }
    const StreamInfo* best_audio() const { return best_of(best_audio_index); }
    int best_video_index = -1;
    int best_audio_index = -1;

private:
    const StreamInfo* best_of(int index) const;
};

// Throws InputError (missing/empty file, not media, truncated/damaged MP4).
MediaInfo probe(const std::filesystem::path& path);

// Stable keys, documented in docs/: {"path","format","duration_ms","bit_rate","best_video_index",
// "best_audio_index","streams":[{"index",
// "type","codec","language","title","default","duration_ms","bit_rate", video: "width","height",
// "frame_rate":{"num","den"},"rotation_degrees"; audio: "sample_rate","channels","channel_layout"}]}.
nlohmann::json to_json(const MediaInfo& info);

}  // namespace dramaloc::media
