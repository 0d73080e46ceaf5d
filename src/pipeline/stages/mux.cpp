// Stage mux: one MP4 with all languages (the video copied, every dub, every subtitle track).
#include "core/language.hpp"
#include "media/mux.hpp"
#include "pipeline/stages/episode.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

std::string language_title(const std::string& tag, const char* what) {
    const auto info = find_language(tag);
    return (info ? info->english_name : tag) + " " + what;
}

fs::path mux_episode(StageContext& context, const MuxInputs& in) {
    const Script& source_script = in.source.script.script;
    std::string parameters;
    for (const auto& l : in.languages) parameters += l.dub.key + "," + l.subtitles.key + ";";
    const std::string key = stage_key(StageId::Mux, "ffmpeg", {in.source.input_key, in.source_subtitles.key}, parameters);
    const fs::path dir = run_stage(context, {StageId::Mux, "episode", "ffmpeg", key}, [&](const fs::path& d) {
        std::vector<media::AudioTrackSpec> audio;
        std::vector<media::SubtitleTrackSpec> subs;
        subs.push_back({in.source_subtitles.events, source_script.language, language_title(source_script.language, "(original)")});
        for (std::size_t i = 0; i < in.languages.size(); ++i) {
            const auto& l = in.languages[i];
            media::AudioTrackSpec track;
            track.encoded_file = l.dub_m4a;  // encoded once, copied
            track.language = l.language;
            track.title = language_title(l.language, "dub");
            track.is_default = i == 0;
            audio.push_back(track);
            subs.push_back({l.subtitles.events, l.language, language_title(l.language, "subtitles")});
        }
        media::MuxOptions options;
        options.original_audio_title = language_title(source_script.language, "(original)");
        media::mux_localized_mp4(in.episode, d / "localized.mp4", audio, subs, options);
    });
    return dir / "localized.mp4";
}

}  // namespace dramaloc::pipeline
