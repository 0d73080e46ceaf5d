// Stage fit: a line's clip stretched or squeezed into its slot (dub/fit.hpp).
#include "media/wav.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/language.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr const char* kEngine = "rubberband-r3";
}  // namespace

json FitReport::to_json() const {
    return {{"speed", speed}, {"overflow_ms", overflow_ms}, {"borrowed_ms", borrowed_ms}, {"fits", fits}};
}

FitReport FitReport::from_json(const json& j) {
    return {j.at("speed").get<double>(), j.at("overflow_ms").get<TimeMs>(), j.at("borrowed_ms").get<TimeMs>(), j.at("fits").get<bool>()};
}

FittedClip fit_clip(StageContext& context, const Clip& clip, const Line& line, TimeMs available_after, const dub::FitBounds& bounds,
                    const std::string& scope) {
    const std::string parameters = json{bounds.min_speed, bounds.max_speed, bounds.fill_slot}.dump();
    FittedClip out;
    out.key = stage_key(StageId::Fit, kEngine, {clip.key}, json{line.duration(), available_after, parameters}.dump());
    const fs::path dir = run_stage(context, {StageId::Fit, scope, kEngine, out.key}, [&](const fs::path& d) {
        const auto result = dub::fit_clip_to_slot(media::read_wav(clip.dir / "clip.wav"), line.duration(), available_after, bounds);
        media::write_wav(d / "fitted.wav", result.audio, media::WavSampleFormat::Float32);
        write_json(d / "fit.json", FitReport{result.speed, result.overflow_ms, result.borrowed_ms, result.fits}.to_json());
    });
    out.wav = dir / "fitted.wav";
    const media::WavReader header(out.wav);
    out.duration_ms = header.sample_rate() > 0 ? samples_to_ms(header.frames(), header.sample_rate()) : 0;
    out.report = FitReport::from_json(read_json(dir / "fit.json"));
    return out;
}

}  // namespace dramaloc::pipeline
