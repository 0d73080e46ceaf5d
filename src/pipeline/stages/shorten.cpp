// Stage shorten: a line whose dub does not fit even at the speed bound, shortened by the
// translator and spoken and fitted again ([fit] shorten_rounds rounds at most).
#include <algorithm>

#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/language.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

void shorten_until_fits(StageContext& context, const Shortener& shortener, LineDub& dub, const Line& line, TimeMs room_ms,
                        const std::string& scope, const std::function<void(const std::string&)>& remake) {
    auto& translator = shortener.translator;
    for (int round = 1; round <= shortener.rounds && !dub.fitted.report.fits; ++round) {
        // The clip at the speed bound overruns by overflow_ms: ask for that much less text.
        const auto room = static_cast<double>(room_ms);
        const double share = room / (room + static_cast<double>(dub.fitted.report.overflow_ms));
        const auto characters = static_cast<double>(subtitles::grapheme_count(dub.clip.text));  // Thai and Arabic marks are no characters
        const int target = std::max(4, static_cast<int>(characters * share * 0.9));
        const std::string key = stage_key(StageId::Shorten, translator.version(), {shortener.translate_key}, json{line.id, dub.clip.text, target}.dump());
        const fs::path dir = run_stage(context, {StageId::Shorten, scope, translator.version(), key}, [&](const fs::path& d) {
            const auto shorter = translator.shorten(dub.clip.text, shortener.language, target);
            write_json(d / "shorten.json", {{"text", shorter ? json(*shorter) : json(nullptr)}});
        });
        const json answer = read_json(dir / "shorten.json").at("text");
        if (answer.is_null()) break;  // the engine had nothing usable: QC reports the overflow
        const std::string before = dub.clip.text;
        remake(answer.get<std::string>());
        dub.shorten_key = key;
        dub.rounds.push_back({round, target, before, dub.clip.text, dub.fitted.report.fits, dub.fitted.report.overflow_ms});
    }
}

}  // namespace dramaloc::pipeline
