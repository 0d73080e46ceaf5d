// media_bench EPISODE WORKDIR — speed of the media layer against the ffmpeg command line.
// WORKDIR must hold dub1.m4a … dub5.m4a (bench/run.sh makes them). Prints figures; exits 0
// unless something failed outright. Figures are best-of-3 wall-clock times.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "bench_report.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "media/audio_decode.hpp"
#include "media/av_handles.hpp"
#include "media/mux.hpp"
#include "media/probe.hpp"

using namespace dramaloc;
using namespace dramaloc::media;
namespace fs = std::filesystem;

using namespace dramaloc::bench;

namespace {

constexpr int kDubs = 5;
const char* const kLanguages[kDubs] = {"es", "fr", "pt", "de", "zh"};

void run_shell(const std::string& command) {
    if (std::system(command.c_str()) != 0) throw EngineError("baseline command failed: " + command);
}

// A cue every 3 s, shown for 2 s, two lines — about the density of a drama's dialogue.
std::vector<SubtitleEvent> make_events(TimeMs duration, const std::string& language) {
    std::vector<SubtitleEvent> events;
    int id = 1;
    for (TimeMs t = 500; t + 2000 < duration; t += 3000, ++id) {
        SubtitleEvent e;
        e.id = id;
        e.start = t;
        e.end = t + 2000;
        e.lines = {"[" + language + "] line " + std::to_string(id), "second row of the cue"};
        events.push_back(std::move(e));
    }
    return events;
}

std::string srt_time(TimeMs t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld,%03lld", static_cast<long long>(t / 3600000),
                  static_cast<long long>(t / 60000 % 60), static_cast<long long>(t / 1000 % 60),
                  static_cast<long long>(t % 1000));
    return buf;
}

void write_srt(const fs::path& path, const std::vector<SubtitleEvent>& events) {
    std::string out;
    for (const SubtitleEvent& e : events)
        out += std::to_string(e.id) + "\n" + srt_time(e.start) + " --> " + srt_time(e.end) + "\n" + e.joined("\n") + "\n\n";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw IoError("cannot write " + path.string());
    std::fwrite(out.data(), 1, out.size(), f);
    std::fclose(f);
}

// Hash of every packet (data, pts, dts, flags) of a file's best video stream.
std::pair<std::string, int> video_packet_digest(const fs::path& path) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) throw InputError("cannot open " + path.string());
    InputFormatPtr input(raw);
    avformat_find_stream_info(input.get(), nullptr);
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    PacketPtr packet = make_packet();
    Hasher hasher;
    int count = 0;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == index) {
            hasher.update(packet->data, static_cast<std::size_t>(packet->size))
                .field(packet->pts)
                .field(packet->dts)
                .field(packet->flags & AV_PKT_FLAG_KEY);
            ++count;
        }
        av_packet_unref(packet.get());
    }
    return {hasher.hex(), count};
}

void print_ratio(const char* what, double ours, double theirs, double target) {
    std::printf("%-44s ours %7.3f s   ffmpeg %7.3f s   ratio %.2f (target <= %.1f)\n", what, ours, theirs,
                ours / theirs, target);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: media_bench EPISODE.mp4 WORKDIR (with dub1.m4a … dub5.m4a)\n";
        return 2;
    }
    set_ffmpeg_log_quiet(true);
    const fs::path episode = argv[1];
    const fs::path work = argv[2];
    try {
        const MediaInfo info = probe(episode);
        const StreamInfo* v = info.best_video();
        if (!v) throw InputError(episode.string() + ": no video");
        std::printf("episode: %s  %dx%d  %d/%d fps  %.1f s  %.1f MB\n", episode.c_str(), v->width, v->height,
                    v->frame_rate.num, v->frame_rate.den, static_cast<double>(info.duration_ms) / 1000.0,
                    static_cast<double>(fs::file_size(episode)) / 1e6);

        // Inputs shared by both sides: 5 encoded dubs and 5 subtitle tracks.
        std::vector<AudioTrackSpec> dubs(kDubs);
        std::vector<SubtitleTrackSpec> subs(kDubs);
        for (int i = 0; i < kDubs; ++i) {
            dubs[static_cast<std::size_t>(i)].encoded_file = work / ("dub" + std::to_string(i + 1) + ".m4a");
            dubs[static_cast<std::size_t>(i)].language = kLanguages[i];
            dubs[static_cast<std::size_t>(i)].title = std::string("Dub ") + kLanguages[i];
            dubs[static_cast<std::size_t>(i)].is_default = i == 0;
            subs[static_cast<std::size_t>(i)].events = make_events(info.duration_ms, kLanguages[i]);
            subs[static_cast<std::size_t>(i)].language = kLanguages[i];
            subs[static_cast<std::size_t>(i)].title = std::string("Subtitles ") + kLanguages[i];
            write_srt(work / ("subs" + std::to_string(i + 1) + ".srt"), subs[static_cast<std::size_t>(i)].events);
        }

        // 1. Mux in copy mode: video + original audio + 5 dubs + 5 subtitle tracks.
        const fs::path ours_out = work / "ours_localized.mp4";
        const double ours_mux = best_of(3, [&] { mux_localized_mp4(episode, ours_out, dubs, subs); });
        std::string cmd = "ffmpeg -v error -y -i " + quote(episode.string());
        for (int i = 1; i <= kDubs; ++i) cmd += " -i " + quote((work / ("dub" + std::to_string(i) + ".m4a")).string());
        for (int i = 1; i <= kDubs; ++i) cmd += " -i " + quote((work / ("subs" + std::to_string(i) + ".srt")).string());
        cmd += " -map 0:v:0 -map 0:a:0";
        for (int i = 1; i <= kDubs; ++i) cmd += " -map " + std::to_string(i) + ":a:0";
        for (int i = 1; i <= kDubs; ++i) cmd += " -map " + std::to_string(kDubs + i) + ":s:0";
        cmd += " -c copy -c:s mov_text -metadata:s:a:0 title=Original";
        const char* const iso[kDubs] = {"spa", "fra", "por", "deu", "zho"};
        for (int i = 0; i < kDubs; ++i) {
            cmd += " -metadata:s:a:" + std::to_string(i + 1) + " language=" + iso[i];
            cmd += " -metadata:s:a:" + std::to_string(i + 1) + " title=" + quote(std::string("Dub ") + kLanguages[i]);
            cmd += " -metadata:s:s:" + std::to_string(i) + " language=" + iso[i];
            cmd += " -metadata:s:s:" + std::to_string(i) + " title=" + quote(std::string("Subtitles ") + kLanguages[i]);
        }
        cmd += " -disposition:a:0 0 -disposition:a:1 default -movflags +faststart " +
               quote((work / "ffmpeg_localized.mp4").string());
        const double ffmpeg_mux = best_of(3, [&] { run_shell(cmd); });
        print_ratio("mux copy (video + 6 audio + 5 subtitles)", ours_mux, ffmpeg_mux, 1.1);
        const auto [in_digest, in_count] = video_packet_digest(episode);
        const auto [out_digest, out_count] = video_packet_digest(ours_out);
        std::printf("  video packets identical to the input: %s (%d packets; data, pts, dts, key flag)\n",
                    in_digest == out_digest && in_count == out_count ? "yes" : "NO", out_count);
        std::printf("  output %.1f MB, %zu streams\n", static_cast<double>(fs::file_size(ours_out)) / 1e6,
                    probe(ours_out).streams.size());

        // 2. Full mux with AAC encoding of 5 episode-long stereo 48 kHz buffers (the dub path).
        std::vector<AudioBuffer> voices;
        for (int i = 0; i < kDubs; ++i)
            voices.push_back(make_sine(300.0 + 100.0 * i, info.duration_ms, 48000, 2, 0.3f));
        std::vector<AudioTrackSpec> encoded = dubs;
        for (int i = 0; i < kDubs; ++i) {
            encoded[static_cast<std::size_t>(i)].encoded_file.clear();
            encoded[static_cast<std::size_t>(i)].audio = &voices[static_cast<std::size_t>(i)];
        }
        const double encode_mux = seconds_of([&] { mux_localized_mp4(episode, work / "ours_encoded.mp4", encoded, subs); });
        std::printf("%-44s ours %7.3f s   (5 x %.0f s of AAC at 128 kb/s; no ffmpeg baseline)\n",
                    "mux with AAC encoding of 5 dubs", encode_mux, static_cast<double>(info.duration_ms) / 1000.0);

        // 3. Soundtrack to 16 kHz mono float (what ASR and VAD read).
        SampleCount frames = 0;
        const double ours_decode = best_of(3, [&] { frames = decode_audio(episode, 16000, 1).frames(); });
        const double ffmpeg_decode = best_of(3, [&] {
            run_shell("ffmpeg -v error -y -i " + quote(episode.string()) + " -ac 1 -ar 16000 -f f32le /dev/null");
        });
        print_ratio("decode audio to 16 kHz mono f32", ours_decode, ffmpeg_decode, 1.0);
        std::printf("  %lld samples decoded (%.3f s)\n", static_cast<long long>(frames), static_cast<double>(frames) / 16000.0);
    } catch (const std::exception& e) {
        std::cerr << "media_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
