#include "pipeline/run_log.hpp"

#include <algorithm>
#include <map>

namespace dramaloc::pipeline {

void RunLog::add(StageRecord record) {
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(record));
}

std::vector<StageRecord> RunLog::records() const {
    std::lock_guard lock(mutex_);
    return records_;
}

int RunLog::computed_count() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count_if(records_.begin(), records_.end(), [](const auto& r) { return !r.reused; }));
}

nlohmann::json RunLog::to_json() const {
    auto records = this->records();
    // Parallel stages finish in any order; the manifest lists them in a stable one.
    std::stable_sort(records.begin(), records.end(), [](const StageRecord& a, const StageRecord& b) {
        return std::tie(a.scope, a.stage) < std::tie(b.scope, b.stage);
    });
    nlohmann::json stages = nlohmann::json::array();
    std::map<std::string, std::pair<int, double>> per_stage;
    for (const auto& r : records) {
        stages.push_back({{"stage", r.stage}, {"scope", r.scope}, {"key", r.key}, {"engine", r.engine},
                          {"reused", r.reused}, {"seconds", r.seconds}});
        auto& [count, seconds] = per_stage[r.stage];
        ++count;
        seconds += r.seconds;
    }
    nlohmann::json totals = nlohmann::json::object();
    for (const auto& [stage, v] : per_stage) totals[stage] = {{"count", v.first}, {"seconds", v.second}};
    return {{"stages", stages}, {"totals", totals}};
}

}  // namespace dramaloc::pipeline
