#pragma once
// JSON form of a sample's reference (see sample.hpp for the layout).
#include <nlohmann/json.hpp>

#include "sample/sample.hpp"

namespace dramaloc::sample {

nlohmann::json reference_to_json(const SampleReference& ref);
SampleReference reference_from_json(const nlohmann::json& j);  // throws nlohmann::json::exception

}  // namespace dramaloc::sample
