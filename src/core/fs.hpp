#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>

namespace dramaloc {

enum class EmptyFile { Reject, Accept };

// Reads a whole file. Throws InputError with a one-line reason (missing, unreadable,
// a folder, larger than max_bytes, empty unless accepted) — the limit keeps memory
// bounded on garbage input.
std::string read_text_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20,
                           EmptyFile empty = EmptyFile::Reject);

// Throws InputError unless `path` is an existing, readable regular file, non-empty unless accepted.
void require_readable_file(const std::filesystem::path& path, EmptyFile empty = EmptyFile::Reject);

// A temporary file or folder, removed (with what it holds) when this goes out of scope,
// whatever happened; errors removing it are ignored.
struct RemoveOnExit {
    std::filesystem::path path;
    ~RemoveOnExit() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

}  // namespace dramaloc
