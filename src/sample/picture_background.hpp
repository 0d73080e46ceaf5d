#pragma once
// Backgrounds from real pictures, for material that is hard the way real dramas are: a
// photograph is filmed by a moving camera (panned and zoomed), a video clip is cropped to the
// frame's shape and looped, and every few seconds the picture cuts to the next file, or to
// another part of the same photograph. Photographs from Debian's wallpaper packages
// (mate-backgrounds) and public test clips are what the benchmarks use.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/time.hpp"
#include "sample/backgrounds.hpp"

namespace dramaloc::sample {

// Throws InputError for a file that is not a readable picture or video, naming it.
std::unique_ptr<FrameBackground> make_picture_background(const std::vector<std::filesystem::path>& files, int width,
                                                         int height, FrameRate fps, std::uint64_t seed);

}  // namespace dramaloc::sample
