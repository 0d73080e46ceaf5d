#pragma once
// The database a series' job store, library and tokens live in: a store URL read once, and the
// connections every room opens to it the same way.
//
//   postgresql://USER@HOST/DB (or postgres://…)   PostgreSQL
//   sqlite:PATH, or a plain PATH                    a SQLite file
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace dramaloc::store {

// What a store URL names: PostgreSQL, or a SQLite file (its path). ConfigError otherwise.
struct StoreLocation {
    bool postgres = false;
    std::string sqlite_file;
};
StoreLocation store_location(const std::string& url);

// A PostgreSQL URL with its password replaced by "***".
std::string redact_url(const std::string& url);

// Opens a SQLite file for several threads and processes: read-write (made when missing) or
// read-only, waiting up to 30 s for another process's transaction. Throws IoError
// "WHAT FILE: why; check …" when it cannot be opened.
sqlite3* open_sqlite(const std::filesystem::path& file, bool read_only, const std::string& what);

// The first line of a database's message (PostgreSQL's carry a second line of context).
std::string first_line(const std::string& text);

}  // namespace dramaloc::store
