#include "media/detail/input.hpp"

#include <array>
#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "core/fs.hpp"

namespace dramaloc::media::detail {

namespace fs = std::filesystem;

namespace {

// Demuxers that read one self-contained file. Playlist-style demuxers (concat, hls, dash,
// image2 patterns…) are excluded: they would open other files named inside the input.
constexpr const char* kAcceptedFormats =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,avi,flv,wav,w64,mp3,aac,flac,ogg,caf,aiff,"
    "asf,mpeg,mpegvideo,h264,hevc,m4v,ac3,eac3,amr,opus,ivf,rm,nut,wv,ape,tta,dts,truehd,mlp,au,voc,"
    "pcm_s16le,s16le,f32le,"
    // still pictures (sample backgrounds from photographs)
    "image2,jpeg_pipe,png_pipe,webp_pipe,bmp_pipe";
// Probing reads at most this much; FFmpeg's defaults, spelled out because garbage input
// is bounded by them (a 10 MB random file is rejected after a few MB).
constexpr std::int64_t kProbeBytes = 5'000'000;
constexpr std::int64_t kAnalyzeMicroseconds = 5'000'000;

// True when the file starts like an ISO base media file (MP4/MOV): "ftyp", "moov", "mdat", … at offset 4.
bool looks_like_mp4(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 8> head{};
    if (!in.read(head.data(), head.size())) return false;
    static constexpr std::array<const char*, 6> kBoxes = {"ftyp", "moov", "mdat", "free", "wide", "skip"};
    for (const char* box : kBoxes)
        if (std::memcmp(head.data() + 4, box, 4) == 0) return true;
    return false;
}

bool is_mov_family(const AVFormatContext* input) { return std::strncmp(input->iformat->name, "mov,", 4) == 0; }

// A downloaded or copied MP4 that was cut short keeps its index (moov at the front) but the
// samples it points to are gone. Checking the last sample of each track against the file size
// catches it before any decoding.
void reject_truncated_mp4(AVFormatContext* input, const fs::path& path) {
    if (!is_mov_family(input) || !input->pb) return;
    const std::int64_t file_size = avio_size(input->pb);
    if (file_size <= 0) return;
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        AVStream* st = input->streams[i];
        const int count = avformat_index_get_entries_count(st);
        if (count <= 0) continue;
        const AVIndexEntry* last = avformat_index_get_entry(st, count - 1);
        if (last && last->pos + last->size > file_size)
            throw_damaged(path, "its index points " + std::to_string(last->pos + last->size - file_size) +
                                    " bytes past the end of the file");
    }
}

}  // namespace

void throw_damaged(const fs::path& path, const std::string& reason) {
    throw InputError(path.string() + ": the file is truncated or damaged (" + reason +
                     "); re-export or re-download it");
}

int check_av(int result, const std::string& what) {
    if (result < 0) throw EngineError(what + ": " + av_error_string(result));
    return result;
}

TimeMs to_ms(std::int64_t ts, AVRational time_base, std::int64_t start) {
    if (ts == AV_NOPTS_VALUE) return 0;
    if (start != AV_NOPTS_VALUE) ts -= start;
    return av_rescale_q_rnd(ts, time_base, AVRational{1, 1000},
                            static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
}

InputFormatPtr open_input(const fs::path& path, bool read_stream_info) {
    require_readable_file(path);
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw) throw std::bad_alloc();
    raw->probesize = kProbeBytes;
    raw->max_analyze_duration = kAnalyzeMicroseconds;
    AVDictionary* options = nullptr;
    av_dict_set(&options, "format_whitelist", kAcceptedFormats, 0);
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    // avformat_open_input frees `raw` on failure.
    const int rc = avformat_open_input(&raw, path.c_str(), nullptr, &options);
    av_dict_free(&options);
    if (rc < 0) {
        if (looks_like_mp4(path)) throw_damaged(path, "its index (moov) is missing or unreadable");
        // EINVAL here means the format was recognised but is not on the accepted list (text, playlists…).
        const std::string reason = rc == AVERROR(EINVAL) ? "its format is not an audio or video container"
                                                         : av_error_string(rc);
        throw InputError(path.string() + ": not a media file FFmpeg can read (" + reason + ")");
    }
    InputFormatPtr input(raw);
    if (read_stream_info) {
        const int info = avformat_find_stream_info(input.get(), nullptr);
        if (info < 0)
            throw InputError(path.string() + ": not a media file FFmpeg can read (" + av_error_string(info) + ")");
    }
    if (input->nb_streams == 0)
        throw InputError(path.string() + ": not a media file FFmpeg can read (no audio or video streams found)");
    reject_truncated_mp4(input.get(), path);
    return input;
}

int best_stream(AVFormatContext* input, AVMediaType type) {
    const int index = av_find_best_stream(input, type, -1, -1, nullptr, 0);
    return index >= 0 ? index : -1;
}

int require_best_stream(AVFormatContext* input, AVMediaType type, const fs::path& path) {
    const int index = best_stream(input, type);
    if (index >= 0) return index;
    if (type == AVMEDIA_TYPE_AUDIO)
        throw InputError(path.string() + ": has no audio stream; dramaloc needs the episode's soundtrack");
    if (type == AVMEDIA_TYPE_VIDEO)
        throw InputError(path.string() + ": has no video stream; dramaloc needs the episode's picture");
    throw InputError(path.string() + ": has no " + av_get_media_type_string(type) + " stream");
}

bool read_packet(AVFormatContext* input, AVPacket* packet, const fs::path& path) {
    const int rc = av_read_frame(input, packet);
    if (rc == AVERROR_EOF) return false;
    if (rc < 0) throw_damaged(path, "reading failed: " + av_error_string(rc));
    return true;
}

CodecContextPtr open_decoder(const AVStream* stream, const fs::path& path, int threads) {
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        throw InputError(path.string() + ": stream " + std::to_string(stream->index) + " uses codec '" +
                         avcodec_get_name(stream->codecpar->codec_id) +
                         "' that this FFmpeg cannot decode; convert the file to H.264/AAC");
    CodecContextPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder) throw std::bad_alloc();
    check_av(avcodec_parameters_to_context(decoder.get(), stream->codecpar), "copying decoder parameters");
    decoder->pkt_timebase = stream->time_base;
    decoder->thread_count = threads;
    if (threads != 1) decoder->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    const int rc = avcodec_open2(decoder.get(), codec, nullptr);
    if (rc < 0)
        throw InputError(path.string() + ": cannot decode its " + avcodec_get_name(stream->codecpar->codec_id) +
                         " stream (" + av_error_string(rc) + "); the file may be damaged");
    return decoder;
}

}  // namespace dramaloc::media::detail
