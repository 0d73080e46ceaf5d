// Stage encode-dub: the dub encoded once (AAC in an audio-only MP4), in the language's job;
// every video made with it copies it, so an edit of one language re-encodes that one alone.
#include "media/mux.hpp"
#include "pipeline/stages/language.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

fs::path encode_dub(StageContext& context, const Dub& dub, const std::string& language) {
    const std::string key = stage_key(StageId::EncodeDub, "ffmpeg-aac", {dub.key});
    const fs::path dir = run_stage(context, {StageId::EncodeDub, language, "ffmpeg-aac", key},
                                   [&](const fs::path& d) { media::encode_audio_m4a(dub.wav, d / "dub.m4a", language); });
    return dir / "dub.m4a";
}

}  // namespace dramaloc::pipeline
