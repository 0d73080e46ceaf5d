#pragma once
// One PostgreSQL connection for a room's short transactions (the library, the tokens): made
// on first use and again after it broke, one transaction at a time, errors as one line naming
// what the database is for. The job store keeps its own: its claims need the connection's
// backend pid and limits on idle transactions.
#include <memory>
#include <mutex>
#include <string>

#include <pqxx/pqxx>

#include "core/error.hpp"
#include "store/database.hpp"

namespace dramaloc::store {

class PostgresSession {
public:
    // `what`: "library index", "token store".
    PostgresSession(std::string url, std::string what) : url_(std::move(url)), shown_(redact_url(url_)), what_(std::move(what)) {}

    // Runs `body(pqxx::work&)` in one transaction and commits it; returns what body returns.
    // Throws EngineError "WHAT URL: why" (without the password).
    template <typename Body>
    auto run(Body&& body) {
        std::lock_guard lock(mutex_);
        try {
            if (!connection_ || !connection_->is_open()) connection_ = std::make_unique<pqxx::connection>(url_);
            pqxx::work w(*connection_);
            auto result = body(w);
            w.commit();
            return result;
        } catch (const pqxx::broken_connection& e) {
            connection_.reset();
            throw EngineError(what_ + " " + shown_ + ": cannot connect (" + first_line(e.what()) +
                              "); is the PostgreSQL server running and the URL right?");
        } catch (const pqxx::sql_error& e) {
            throw EngineError(what_ + " " + shown_ + ": " + first_line(e.what()));
        } catch (const pqxx::failure& e) {  // in_doubt_error, usage errors of a stream
            throw EngineError(what_ + " " + shown_ + ": " + first_line(e.what()));
        }
    }

    const std::string& shown() const { return shown_; }  // the URL without its password

private:
    std::string url_, shown_, what_;
    std::unique_ptr<pqxx::connection> connection_;
    std::mutex mutex_;
};

}  // namespace dramaloc::store
