#include "media/probe.hpp"

#include <cmath>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
}

#include "media/detail/input.hpp"

namespace dramaloc::media {

const char* to_string(StreamType type) noexcept {
    switch (type) {
        case StreamType::Video: return "video";
        case StreamType::Audio: return "audio";
        case StreamType::Subtitle: return "subtitle";
        case StreamType::Data: return "data";
        case StreamType::Other: return "other";
    }
    return "other";
}

const StreamInfo* MediaInfo::best_of(int index) const {
    for (const StreamInfo& s : streams)
        if (s.index == index) return &s;
    return nullptr;
}

namespace {

StreamType stream_type(AVMediaType type) {
    switch (type) {
        case AVMEDIA_TYPE_VIDEO: return StreamType::Video;
        case AVMEDIA_TYPE_AUDIO: return StreamType::Audio;
        case AVMEDIA_TYPE_SUBTITLE: return StreamType::Subtitle;
        case AVMEDIA_TYPE_DATA: return StreamType::Data;
        default: return StreamType::Other;
    }
}

std::string metadata(const AVStream* st, const char* key) {
    const AVDictionaryEntry* e = av_dict_get(st->metadata, key, nullptr, 0);
    return e ? e->value : "";
}

// Clockwise degrees from the display matrix, snapped to a multiple of 90 in [0, 360).
// (av_display_rotation_get answers counter-clockwise, hence the minus.)
int rotation_of(const AVStream* st) {
    const std::uint8_t* side = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
    if (!side) return 0;
    const double degrees = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(side));
    if (std::isnan(degrees)) return 0;
    const long snapped = -std::lround(degrees / 90.0) * 90;
    return static_cast<int>(((snapped % 360) + 360) % 360);
}

StreamInfo describe(const AVStream* st) {
    const AVCodecParameters* par = st->codecpar;
    StreamInfo s;
    s.index = st->index;
    s.type = stream_type(par->codec_type);
    s.codec = avcodec_get_name(par->codec_id);
    s.language = metadata(st, "language");
    if (s.language == "und") s.language.clear();
    s.title = metadata(st, "title");
    if (s.title.empty()) s.title = metadata(st, "handler_name");
    s.is_default = (st->disposition & AV_DISPOSITION_DEFAULT) != 0;
    s.duration_ms = st->duration != AV_NOPTS_VALUE ? detail::to_ms(st->duration, st->time_base) : 0;
    s.bit_rate = par->bit_rate;
    if (s.type == StreamType::Video) {
        s.width = par->width;
        s.height = par->height;
        // r_frame_rate is the exact base rate (30/1, 30000/1001) of constant-rate video; avg_frame_rate
        // is frames/duration and drifts when the last frame's duration is missing. Prefer the exact
        // one when both agree within 1%, else trust the average (variable frame rate).
        AVRational rate = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
        if (st->r_frame_rate.num > 0 && st->r_frame_rate.den > 0 && rate.num > 0 &&
            std::abs(av_q2d(st->r_frame_rate) / av_q2d(rate) - 1.0) < 0.01)
            rate = st->r_frame_rate;
        if (rate.num > 0 && rate.den > 0) {
            av_reduce(&rate.num, &rate.den, rate.num, rate.den, 1 << 30);
            s.frame_rate = FrameRate{rate.num, rate.den};
        }
        s.rotation_degrees = rotation_of(st);
    } else if (s.type == StreamType::Audio) {
        s.sample_rate = par->sample_rate;
        s.channels = par->ch_layout.nb_channels;
        char layout[128] = {};
        if (par->ch_layout.nb_channels > 0 && av_channel_layout_describe(&par->ch_layout, layout, sizeof layout) > 0)
            s.channel_layout = layout;
    }
    return s;
}

}  // namespace

MediaInfo probe(const std::filesystem::path& path) {
    InputFormatPtr input = detail::open_input(path);
    MediaInfo info;
    info.path = path;
    info.format = input->iformat->name;
    info.duration_ms = input->duration != AV_NOPTS_VALUE ? detail::to_ms(input->duration, AV_TIME_BASE_Q) : 0;
    info.bit_rate = input->bit_rate;
    for (unsigned i = 0; i < input->nb_streams; ++i) info.streams.push_back(describe(input->streams[i]));
    info.best_video_index = detail::best_stream(input.get(), AVMEDIA_TYPE_VIDEO);
    info.best_audio_index = detail::best_stream(input.get(), AVMEDIA_TYPE_AUDIO);
    return info;
}

nlohmann::json to_json(const MediaInfo& info) {
    nlohmann::json streams = nlohmann::json::array();
    for (const StreamInfo& s : info.streams) {
        nlohmann::json j = {{"index", s.index},       {"type", to_string(s.type)}, {"codec", s.codec},
                            {"language", s.language}, {"title", s.title},          {"default", s.is_default},
                            {"duration_ms", s.duration_ms}, {"bit_rate", s.bit_rate}};
        if (s.type == StreamType::Video) {
            j["width"] = s.width;
            j["height"] = s.height;
            j["frame_rate"] = {{"num", s.frame_rate.num}, {"den", s.frame_rate.den}};
            j["rotation_degrees"] = s.rotation_degrees;
        } else if (s.type == StreamType::Audio) {
            j["sample_rate"] = s.sample_rate;
            j["channels"] = s.channels;
            j["channel_layout"] = s.channel_layout;
        }
        streams.push_back(std::move(j));
    }
    return {{"path", info.path.string()}, {"format", info.format}, {"duration_ms", info.duration_ms},
            {"bit_rate", info.bit_rate},  {"best_video_index", info.best_video_index},
            {"best_audio_index", info.best_audio_index}, {"streams", std::move(streams)}};
}

}  // namespace dramaloc::media
