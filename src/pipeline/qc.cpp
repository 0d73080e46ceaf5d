#include "pipeline/qc.hpp"

#include "core/fs.hpp"
#include "pipeline/artifact_json.hpp"

namespace dramaloc::pipeline {

using nlohmann::json;

json QcFinding::to_json() const {
    json j = {{"rule", rule}, {"severity", severity}, {"value", value}, {"limit", limit}, {"message", message}};
    if (event_id) j["event_id"] = *event_id;
    else j["line_id"] = line_id;
    return j;
}

std::optional<QcFinding> QcFinding::from_json(const json& j) {
    if (!j.is_object() || !j.contains("rule") || !j["rule"].is_string()) return std::nullopt;
    QcFinding f;
    f.rule = j["rule"].get<std::string>();
    f.severity = j.value("severity", "");
    f.message = j.value("message", "");
    if (j.contains("value") && j["value"].is_number()) f.value = j["value"].get<double>();
    if (j.contains("limit") && j["limit"].is_number()) f.limit = j["limit"].get<double>();
    if (j.contains("event_id") && j["event_id"].is_number_integer()) f.event_id = j["event_id"].get<int>();
    else if (j.contains("line_id") && j["line_id"].is_number_integer()) f.line_id = j["line_id"].get<int>();
    else return std::nullopt;
    return f;
}

std::map<std::string, std::vector<QcFinding>> read_qc_findings(const std::filesystem::path& episode_folder) {
    std::map<std::string, std::vector<QcFinding>> out;
    json qc;
    try {
        qc = json::parse(read_text_file(episode_folder / "qc.json"));
    } catch (const std::exception&) {
        return out;
    }
    if (!qc.is_object() || !qc.contains("languages") || !qc["languages"].is_object()) return out;
    for (const auto& [language, report] : qc["languages"].items()) {
        auto& findings = out[language];
        if (report.is_object() && report.contains("findings") && report["findings"].is_array())
            for (const auto& f : report["findings"])
                if (auto finding = QcFinding::from_json(f)) findings.push_back(std::move(*finding));
    }
    return out;
}

json ShortenRound::to_json() const {
    return {{"round", round}, {"max_chars", max_chars}, {"from", from}, {"text", text}, {"fits", fits}, {"overflow_ms", overflow_ms}};
}

json QcClip::to_json() const {
    json rounds = json::array();
    for (const auto& r : shorten_rounds) rounds.push_back(r.to_json());
    return {{"line_id", line_id},       {"line_start_ms", line_start_ms}, {"line_end_ms", line_end_ms},
            {"start_ms", start_ms},     {"end_ms", end_ms},               {"speed", speed},
            {"borrowed_ms", borrowed_ms}, {"overflow_ms", overflow_ms},   {"shifted_ms", shifted_ms},
            {"shorten_rounds", rounds}};
}

json QcSummary::to_json() const {
    return {{"lines", lines},
            {"events", events},
            {"lines_fitting", lines_fitting},
            {"untranslated", untranslated},
            {"over_reading_speed", over_reading_speed},
            {"fit_overflows", fit_overflows},
            {"edited", edited},
            {"edit_conflicts", edit_conflicts},
            {"integrated_lufs", or_null(integrated_lufs)},
            {"true_peak_dbtp", or_null(true_peak_dbtp)},
            {"errors", errors},
            {"warnings", warnings}};
}

json QcReport::to_json() const {
    json f = json::array(), c = json::array();
    for (const auto& x : findings) f.push_back(x.to_json());
    for (const auto& x : clips) c.push_back(x.to_json());
    return {{"findings", f}, {"clips", c}, {"summary", summary.to_json()}};
}

}  // namespace dramaloc::pipeline
