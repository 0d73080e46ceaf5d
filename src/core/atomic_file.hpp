#pragma once
// Transactional outputs: everything dramaloc writes goes to a temporary name in the
// destination folder and is renamed into place only when complete. A failure (or a
// destructor running during unwinding) removes the temporary, so no partial file is
// ever left where a user or a later stage would take it for a finished one.
#include <filesystem>
#include <string>
#include <string_view>

namespace dramaloc {

class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path destination);
    ~AtomicFile();  // removes the temporary unless commit() succeeded
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    // The temporary path to write to (same folder, same extension, so that
    // libraries which guess a format from the name still do).
    const std::filesystem::path& temp_path() const { return temp_; }
    const std::filesystem::path& destination() const { return destination_; }

    // fsyncs and renames the temporary onto the destination. Throws IoError.
    void commit();

private:
    std::filesystem::path destination_;
    std::filesystem::path temp_;
    bool committed_ = false;
};

// Writes `contents` to `path` atomically. Throws IoError with the reason (e.g. disk full).
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// Removes every leftover temporary of AtomicFile in `dir` (from a crashed process).
void remove_stale_temporaries(const std::filesystem::path& dir);

}  // namespace dramaloc
