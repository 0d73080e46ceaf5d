#pragma once
#include <cstddef>
#include <filesystem>
#include <string>

namespace dramaloc {

// Reads a whole file. Throws InputError with a one-line reason (missing, unreadable,
// a folder, larger than max_bytes) — the limit keeps memory bounded on garbage input.
std::string read_text_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20);

// Throws InputError unless `path` is an existing, readable, non-empty regular file.
void require_readable_file(const std::filesystem::path& path);

}  // namespace dramaloc
