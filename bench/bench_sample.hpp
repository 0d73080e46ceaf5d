#pragma once
// A benchmark's sample episode: generated once into the work folder and reused by later runs
// (with BENCH_WORK), its reference script read back from beside it.
#include <filesystem>

#include "sample/sample.hpp"

namespace dramaloc::bench {

inline sample::SampleReference sample_once(const std::filesystem::path& episode, const sample::SampleOptions& options) {
    if (std::filesystem::exists(episode) && std::filesystem::exists(sample::reference_path_for(episode)))
        return sample::read_sample_reference(sample::reference_path_for(episode));
    return sample::make_sample(episode, options).contents;
}

}  // namespace dramaloc::bench
