#include "store/database.hpp"

#include "core/error.hpp"

namespace dramaloc::store {

std::string redact_url(const std::string& url_in) {
    // ...?password=secret&... → ...?password=***&...
    std::string url = url_in;
    for (std::size_t at = url.find("password="); at != std::string::npos; at = url.find("password=", at + 1)) {
        const std::size_t from = at + 9, to = url.find('&', from);
        url.replace(from, (to == std::string::npos ? url.size() : to) - from, "***");
    }
    // scheme://user:password@host/... → scheme://user:***@host/...
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;
    const auto at = url.find('@', scheme_end + 3);
    const auto slash = url.find('/', scheme_end + 3);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
    const auto colon = url.find(':', scheme_end + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

StoreLocation store_location(const std::string& url) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return {true, ""};
    std::string path = url;
    if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
    if (path.empty() || path.find("://") != std::string::npos)
        throw ConfigError("--db " + redact_url(url) + ": use postgresql://USER@HOST/DB for PostgreSQL, or a file path (sqlite:PATH) for SQLite");
    return {false, path};
}

sqlite3* open_sqlite(const std::filesystem::path& file, bool read_only, const std::string& what) {
    sqlite3* db = nullptr;
    const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(file.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw IoError(what + " " + file.string() + ": " + why + "; check that its folder exists and is writable");
    }
    sqlite3_busy_timeout(db, 30000);  // other processes' transactions are short
    return db;
}

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    return line;
}

}  // namespace dramaloc::store
