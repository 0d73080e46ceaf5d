#pragma once
// A generated episode of `seconds` with the sample's voices and music, varied by `seed`
// (for tests that link dramaloc_sample).
#include <cstdint>
#include <filesystem>

#include "sample/sample.hpp"

namespace dramaloc::test {

inline sample::SampleResult sample_episode(const std::filesystem::path& out_mp4, int seconds, int seed) {
    sample::SampleOptions o;
    o.seconds = seconds;
    o.seed = static_cast<std::uint64_t>(seed);
    return sample::make_sample(out_mp4, o);
}

}  // namespace dramaloc::test
