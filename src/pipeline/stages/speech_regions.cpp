// Stage speech-regions: where people speak.
#include "engines/vad.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

SpeechRegions find_speech(StageContext& context, const DecodedAudio& audio, const std::string& vad_backend) {
    context.announce("find speech");
    auto vad = engines::make_voice_activity_detector(vad_backend);
    SpeechRegions out;
    out.key = stage_key(StageId::SpeechRegions, vad->version(), {audio.key()});
    const fs::path dir = run_stage(context, {StageId::SpeechRegions, "episode", vad->version(), out.key},
                                   [&](const fs::path& d) { write_json(d / "regions.json", regions_to_json(vad->detect(audio.speech()))); });
    out.regions = regions_from_json(read_json(dir / "regions.json"));
    return out;
}

}  // namespace dramaloc::pipeline
