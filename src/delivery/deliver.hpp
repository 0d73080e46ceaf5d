#pragma once
// `dramaloc deliver`: approved episode × language versions turned into what a delivery
// profile asks for, in a folder or an S3 bucket, each with a manifest of what it holds (docs/delivery.md).
//
// A version is delivered only when its latest review approves it and still stands (no line
// edited since), it was rendered after its last edit (not stale), and it has no unresolved
// block finding of the content review. Anything else is held back with the reason.
//
// Each version's files are written to a temporary name and renamed into place; its manifest
// (SHA-256, size and duration of every file, loudness and true peak measured on the delivered
// audio, the profile and its version, the approval, dramaloc's version) is written last. A
// version whose manifest is there with the same inputs is not made again, so a delivery
// stopped midway and started again completes with the same files.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "delivery/profile.hpp"

namespace dramaloc::series {
struct SeriesProject;
}

namespace dramaloc::delivery {

class Destination;
class DeliveryLog;

struct DeliverOptions {
    std::vector<std::string> episodes;   // episode names; empty: every episode
    std::vector<std::string> languages;  // empty: the series' target languages
    const Destination* destination = nullptr;  // a folder or an S3 bucket (delivery/destination.hpp)
    DeliveryLog* log = nullptr;          // each version delivered (or found delivered) is recorded here; null: nowhere
    std::string series_id;               // the series as the log names it (jobs::series_identity)
    std::function<void(const std::string&)> say = [](const std::string&) {};
};

struct VersionResult {
    std::string episode, language;
    std::string state;   // "delivered", "unchanged" (its package was there already), "held"
    std::string reason;  // held: why, one line
    std::string manifest;  // where its manifest is (a path, or s3://BUCKET/KEY)
};

// Throws UsageError for an episode or a language the series does not have, IoError when the
// delivery folder cannot be written, EngineError when the S3 store refuses or cannot be
// reached; a version that cannot be made is held back with why.
std::vector<VersionResult> deliver(const series::SeriesProject& project, const Profile& profile, const DeliverOptions& options);

// Where a burned-in version drew its subtitles (the manifest's burned_text_area: {x, y, width,
// height, frame_width, frame_height}, in pixels) against a profile's safe area: empty when the
// text is inside it, else which edge it reaches past and how far, one line.
std::string outside_safe_area(const nlohmann::json& text_area, const SafeArea& safe);

// SHA-256 of a file, hex. Throws IoError.
std::string sha256_file(const std::filesystem::path& file);

}  // namespace dramaloc::delivery
