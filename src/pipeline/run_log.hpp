#pragma once
// What a run did, for manifest.json: each stage's key, whether its artifact was reused,
// and where the time went (wall time inside the stage vs. inside engines), so the
// orchestration overhead can be measured (bench/).
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dramaloc::pipeline {

struct StageRecord {
    std::string stage;     // "transcribe", "synthesize"…
    std::string scope;     // "episode", a language, or "es/line 12"
    std::string key;
    std::string engine;    // engine identity (name + version), empty for pure stages
    bool reused = false;
    double seconds = 0;    // wall time of the stage, 0 when reused
};

class RunLog {
public:
    void add(StageRecord record);
    std::vector<StageRecord> records() const;
    int computed_count() const;  // stages that ran (were not reused)
    nlohmann::json to_json() const;

private:
    mutable std::mutex mutex_;
    std::vector<StageRecord> records_;
};

// Seconds since `start`, for StageRecord::seconds.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace dramaloc::pipeline
