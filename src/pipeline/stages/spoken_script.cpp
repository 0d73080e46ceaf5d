// Stage spoken-script: what is spoken, the translation with people's edits (series/edit_log.hpp)
// and the shortened lines (key only).
#include <algorithm>

#include "pipeline/stages/language.hpp"

namespace dramaloc::pipeline {

using nlohmann::json;

// An edit's text replaces its line's: what is keyed by that text is made again, every other
// line's work comes from the store.
AppliedEdits apply_edits(Script& script, const LanguageEdits* edits) {
    AppliedEdits out;
    out.edited.assign(script.lines.size(), false);
    if (!edits) return out;
    const auto conflict = [&](const std::string& rule, int id, const std::string& message) {
        out.conflicts.push_back({rule, "warning", id, std::nullopt, 0, 0, message});
    };
    for (const auto& [id, e] : *edits) {
        const auto at = std::find_if(script.lines.begin(), script.lines.end(), [id = id](const Line& l) { return l.id == id; });
        if (at != script.lines.end() && e.take > 0) out.takes[at->id] = e.take;
        if (at != script.lines.end() && !e.speaker.empty()) at->speaker = e.speaker;  // given to another character
        if (!e.sets_text) continue;  // re-dubbed or re-assigned only
        if (at == script.lines.end()) {
            conflict("edit_orphaned", id,
                     "line " + std::to_string(id) + " was edited, but the " + script.language + " script has no line " + std::to_string(id) +
                         " any more (its source changed): the edit is kept, not applied");
            continue;
        }
        if (at->text != e.machine)
            conflict("edit_upstream_changed", id,
                     "line " + std::to_string(id) + ": the machine translation is now \"" + at->text + "\" (it was \"" + e.machine +
                         "\" when edited); the edit \"" + e.text + "\" is kept (dramaloc edit --revert takes the new translation)");
        at->text = e.text;
        at->origin = LineOrigin::Manual;
        out.edited[static_cast<std::size_t>(at - script.lines.begin())] = true;
    }
    return out;
}

std::string spoken_script(Script& script, const std::string& translate_key, const AppliedEdits& edits, const std::vector<LineDub>& dubs) {
    std::string key = translate_key;
    for (std::size_t i = 0; i < script.lines.size(); ++i) {
        if (edits.edited[i]) key = stage_key(StageId::SpokenScript, "", {key}, json{script.lines[i].id, dubs[i].clip.text}.dump());
        if (dubs[i].shorten_key.empty()) continue;
        script.lines[i].text = dubs[i].clip.text;
        key = stage_key(StageId::SpokenScript, "", {key, dubs[i].shorten_key});
    }
    return key;
}

}  // namespace dramaloc::pipeline
