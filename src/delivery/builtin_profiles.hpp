#pragma once
// The built-in delivery profiles' TOML files (src/delivery/profiles/), built into the binary
// by embed_profiles.cmake: file name -> text, by file name.
#include <string>
#include <utility>
#include <vector>

namespace dramaloc::delivery {

const std::vector<std::pair<std::string, std::string>>& builtin_profile_files();

}  // namespace dramaloc::delivery
