#pragma once
// The localized MP4: the episode's video stream copied bit for bit, the original audio kept
// (optionally), plus any number of dubbed audio tracks and soft subtitle (mov_text) tracks,
// each tagged with an ISO 639-2 language and a title. In-process (libavformat), atomic output.
// Stateless functions; safe to call from any thread.
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "media/audio.hpp"

namespace dramaloc::media {

struct AudioTrackSpec {
    const AudioBuffer* audio = nullptr;   // encode this as AAC…
    std::filesystem::path wav_file;       // …or this WAV, read a second at a time (long dubs)…
    std::filesystem::path encoded_file;   // …or copy the first audio stream of this file (e.g. .m4a) as is
    std::string language;                 // BCP-47 ("es", "zh-Hans"); written as ISO 639-2/T ("spa")
    std::string title;                    // e.g. "Español (doblaje)"
    bool is_default = false;              // the track a player picks first
    int bitrate = 128000;                 // AAC bits/s when encoding `audio`
};

struct SubtitleTrackSpec {
    std::vector<SubtitleEvent> events;    // text = the event's lines joined by "\n"
    std::string language;                 // BCP-47
    std::string title;
};

struct MuxOptions {
    bool keep_original_audio = true;      // copy the input's best audio stream
    std::string original_audio_title = "Original";
    bool faststart = true;                // index before media data (a second pass over the file)
};

// Writes `output` = video of `input` (copied) + [original audio] + `audio` + `subtitles`, in that
// track order. The track with is_default becomes the default audio and the original loses the
// flag; when none is marked, the first audio track is the default. Subtitle tracks are not marked
// default, but FFmpeg's MP4 muxer always sets the "enabled" flag on the first track of each kind,
// which readers (ffprobe, this library's probe) report as default for the first subtitle track.
// Throws InputError (bad/truncated input, a spec with neither or both sources, unknown language,
// an encoded_file without audio) and IoError; never leaves a partial `output` or temporary.
void mux_localized_mp4(const std::filesystem::path& input, const std::filesystem::path& output,
                       const std::vector<AudioTrackSpec>& audio,
                       const std::vector<SubtitleTrackSpec>& subtitles, const MuxOptions& options = {});

// Encodes `wav` (read a second at a time) as AAC into an audio-only MP4 (.m4a) tagged with
// `language`, for mux_localized_mp4's encoded_file: a dub encoded once is copied into every
// video made with it. Throws as mux_localized_mp4; never leaves a partial `output`.
void encode_audio_m4a(const std::filesystem::path& wav, const std::filesystem::path& output, const std::string& language,
                      int bitrate = 128000);

// Reads back the non-empty cues of the mov_text subtitle stream with container index
// `stream_index` (lines split at "\n"). For QC and tests. Throws InputError.
std::vector<SubtitleEvent> read_mov_text_events(const std::filesystem::path& path, int stream_index);

}  // namespace dramaloc::media
