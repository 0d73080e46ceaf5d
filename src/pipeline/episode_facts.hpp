#pragma once
// What a run needs to know of an episode file before its stages: its streams (a probe) and
// its content's identity (a hash). The factory's source job learns them once and records them
// with its result; the episode's language and episode jobs use them instead of opening the
// file again, while the file is unchanged (same size, modification time and inode).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "core/time.hpp"

namespace dramaloc::pipeline {

struct EpisodeFacts {
    // The file as it was when learnt.
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t inode = 0;
    std::string input_key;  // content hash (hash_file_hex)
    TimeMs duration_ms = 0;
    bool has_video = false;
    int width = 0, height = 0;
    FrameRate fps{0, 1};    // {0,1} when unknown
    int audio_channels = 0; // of the best audio stream; 0: none

    nlohmann::json to_json() const;
    static EpisodeFacts from_json(const nlohmann::json& j);  // InputError when it is not one
};

// Probes and hashes the file (the hash from `hashes` when it has it). InputError for a file
// that is missing, unreadable or not media.
EpisodeFacts learn_episode(const std::filesystem::path& episode, FileHashCache& hashes);

// `known` when the file is still as it was when they were learnt (one stat, no open), else
// learnt again (and *learnt, when given, says so).
EpisodeFacts episode_facts(const std::filesystem::path& episode, const std::optional<EpisodeFacts>& known, FileHashCache& hashes,
                           bool* learnt = nullptr);

}  // namespace dramaloc::pipeline
