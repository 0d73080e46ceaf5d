#include "pipeline/line_edits.hpp"

namespace dramaloc::pipeline {

using nlohmann::json;

json to_json(const EpisodeEdits& edits) {
    json out = json::object();
    for (const auto& [language, lines] : edits)
        for (const auto& [id, e] : lines) {
            json& line = out[language][std::to_string(id)];
            line = e.sets_text ? json{{"text", e.text}, {"machine", e.machine}} : json::object();
            if (e.take > 0) line["take"] = e.take;
            if (!e.speaker.empty()) line["speaker"] = e.speaker;
        }
    return out;
}

}  // namespace dramaloc::pipeline
