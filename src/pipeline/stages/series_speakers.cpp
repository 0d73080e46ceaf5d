// Stage series-speakers: each episode's speakers mapped to the series' characters (key only;
// the map is made once per series, by the factory's characters job).
#include <algorithm>

#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

void apply_speaker_map(SourceScript& script, const std::map<std::string, std::string>& map,
                       const std::vector<Character>& series_characters) {
    for (Line& line : script.script.lines)
        if (const auto it = map.find(line.speaker); it != map.end()) line.speaker = it->second;
    for (Character& c : script.characters) {
        const auto it = map.find(c.id);
        if (it == map.end()) continue;
        const auto series = std::find_if(series_characters.begin(), series_characters.end(),
                                         [&](const Character& s) { return s.id == it->second; });
        if (series != series_characters.end()) c = *series;
        else c.id = it->second;
    }
    script.key = stage_key(StageId::SeriesSpeakers, "", {script.key}, nlohmann::json(map).dump());
}

}  // namespace dramaloc::pipeline
