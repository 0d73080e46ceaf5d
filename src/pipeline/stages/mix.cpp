// Stage mix: the fitted clips placed over the ducked background (or the music-and-effects
// stem), loudness normalised (dub/mix.hpp); with [mix] stems, the M&E and dialogue stems too.
#include <cmath>

#include "core/version.hpp"
#include "media/wav.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/language.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::optional<double> optional_number(const json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<double>();
}

}  // namespace

json MixReport::to_json() const {
    return {{"integrated_lufs", or_null(integrated_lufs)}, {"true_peak_dbtp", or_null(true_peak_dbtp)},
            {"gain_db", gain_db}, {"limited", limited}};
}

MixReport MixReport::from_json(const json& j) {
    return {optional_number(j.at("integrated_lufs")), optional_number(j.at("true_peak_dbtp")), j.at("gain_db").get<double>(),
            j.at("limited").get<bool>()};
}

Dub mix_dub(StageContext& context, const std::vector<Line>& lines, const std::vector<LineDub>& dubs, const MixInputs& inputs,
            const std::string& language) {
    // Each clip at its line's start, pushed later only if the previous clip overflowed into it:
    // clips never overlap.
    Dub out;
    out.shifted.assign(lines.size(), 0);
    TimeMs previous_end = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        TimeMs start = lines[i].start;
        if (i > 0 && start < previous_end + kClipGapMs) {
            out.shifted[i] = previous_end + kClipGapMs - start;
            start += out.shifted[i];
        }
        out.starts.push_back(start);
        previous_end = start + dubs[i].fitted.duration_ms;
    }
    context.announce(language + ": mix");
    std::string placement_parameters;
    for (std::size_t i = 0; i < lines.size(); ++i) placement_parameters += dubs[i].fitted.key + "@" + std::to_string(out.starts[i]) + ";";
    const auto& m = inputs.options;
    const std::string stem_key = inputs.background_stem ? context.hashes.hash(*inputs.background_stem) : "";
    const std::string engine = std::string("dramaloc-mix ") + kVersion;  // our own code, so our version
    out.key = stage_key(StageId::Mix, engine, {inputs.audio.key(), inputs.speech.key, stem_key},
                        placement_parameters + json{m.duck_db, m.attack_ms, m.release_ms, m.centre_removal_for_stereo, m.target_lufs,
                                                    m.max_true_peak, m.sample_rate}
                                                   .dump() +
                                                   (m.stems ? ";stems" : ""));  // keys without stems stay as they were
    const fs::path dir = run_stage(context, {StageId::Mix, language, engine, out.key}, [&](const fs::path& d) {
        std::vector<dub::SpeechRegionMs> speech;
        for (const auto& r : inputs.speech.regions) speech.push_back({r.start, r.end});
        std::vector<media::AudioBuffer> clips;
        clips.reserve(dubs.size());
        std::vector<dub::ClipPlacement> placements;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            clips.push_back(media::read_wav(dubs[i].fitted.wav));
            placements.push_back({out.starts[i], &clips.back()});
        }
        const fs::path* stem = inputs.background_stem ? &*inputs.background_stem : nullptr;
        const dub::StemFiles stems{d / "me.wav", d / "dialogue.wav"};
        const auto result =
            dub::mix_dub_to_wav(inputs.audio.original_wav(), speech, placements, stem, m, d / "dub.wav", m.stems ? &stems : nullptr);
        // The loudness of the mix as written, for QC (measured while it was written).
        const auto finite = [](double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; };
        write_json(d / "mix.json", MixReport{finite(result.after.integrated_lufs), finite(result.after.true_peak_dbtp), result.gain_db,
                                             result.limited}
                                       .to_json());
    });
    out.wav = dir / "dub.wav";
    if (m.stems) out.stems = dub::StemFiles{dir / "me.wav", dir / "dialogue.wav"};
    out.report = MixReport::from_json(read_json(dir / "mix.json"));
    return out;
}

}  // namespace dramaloc::pipeline
