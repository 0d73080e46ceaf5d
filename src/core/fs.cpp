#include "core/fs.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/error.hpp"

namespace dramaloc {

namespace fs = std::filesystem;

void require_readable_file(const fs::path& path, EmptyFile empty) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw InputError(path.string() + ": no such file");
    if (fs::is_directory(status)) throw InputError(path.string() + ": is a folder, not a file");
    if (::access(path.c_str(), R_OK) != 0)
        throw InputError(path.string() + ": cannot read it (" + std::strerror(errno) + "); check its permissions");
    if (empty == EmptyFile::Reject && fs::is_regular_file(status) && fs::file_size(path, ec) == 0 && !ec)
        throw InputError(path.string() + ": file is empty (0 bytes)");
}

std::string read_text_file(const fs::path& path, std::size_t max_bytes, EmptyFile empty) {
    require_readable_file(path, empty);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot open it (" + std::strerror(errno) + ")");
    std::string out;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > max_bytes)
            throw InputError(path.string() + ": larger than " + std::to_string(max_bytes >> 20) +
                             " MiB; this is not a text file dramaloc can read");
    }
    return out;
}

}  // namespace dramaloc
