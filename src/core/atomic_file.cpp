#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/error.hpp"

namespace dramaloc {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kTempMarker = ".dramaloc-tmp-";

std::string errno_text(int err) { return std::strerror(err); }

fs::path make_temp_name(const fs::path& destination) {
    static std::atomic<unsigned> counter{0};
    // name.dramaloc-tmp-PID-N.ext keeps the extension for libraries that guess formats from it.
    const std::string stem = destination.stem().string();
    const std::string ext = destination.extension().string();
    const std::string name = stem + std::string(kTempMarker) + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1)) + ext;
    return destination.parent_path() / name;
}
}  // namespace

AtomicFile::AtomicFile(fs::path destination) : destination_(std::move(destination)) {
    if (destination_.filename().empty()) throw IoError("output path \"" + destination_.string() + "\" names no file");
    const fs::path parent = destination_.parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        fs::create_directories(parent, ec);
        if (ec) throw IoError("cannot create folder " + parent.string() + ": " + ec.message());
    }
    temp_ = make_temp_name(destination_);
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void AtomicFile::commit() {
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw IoError("output " + destination_.string() + " was not written (" + errno_text(errno) + ")");
    const int sync_result = ::fsync(fd);
    const int sync_errno = errno;
    ::close(fd);
    if (sync_result != 0)
        throw IoError("cannot write " + destination_.string() + ": " + errno_text(sync_errno) +
                      " — free some disk space or choose another output folder");
    std::error_code ec;
    fs::rename(temp_, destination_, ec);
    if (ec) throw IoError("cannot move output into place at " + destination_.string() + ": " + ec.message());
    committed_ = true;
}

void write_file_atomically(const fs::path& path, std::string_view contents) {
    AtomicFile file(path);
    const int fd = ::open(file.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw IoError("cannot create " + path.string() + ": " + errno_text(errno));
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            throw IoError("cannot write " + path.string() + ": " + errno_text(err) +
                          (err == ENOSPC ? " — free some disk space or choose another output folder" : ""));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw IoError("cannot write " + path.string() + ": " + errno_text(errno));
    file.commit();
}

void remove_stale_temporaries(const fs::path& dir) {
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        if (it->path().filename().string().find(kTempMarker) != std::string::npos) {
            std::error_code rm;
            fs::remove(it->path(), rm);
        }
    }
}

}  // namespace dramaloc
