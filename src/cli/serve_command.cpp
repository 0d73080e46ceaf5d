// `dramaloc serve` (the review station's API) and `dramaloc token create|list|revoke` (who may use it).
#include <atomic>
#include <cstdio>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/cancel.hpp"
#include "jobs/factory.hpp"
#include "jobs/job_store.hpp"
#include "series/edit_log.hpp"
#include "series/project.hpp"
#include "server/auth.hpp"
#include "server/review_server.hpp"
#include "server/token_store.hpp"
#include "core/time.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

// HOST:PORT, [IPv6]:PORT or PORT alone (on 127.0.0.1).
void parse_listen(const std::string& text, server::ServeOptions& o) {
    const auto colon = text.rfind(':');
    std::string host = colon == std::string::npos ? o.host : text.substr(0, colon);
    const std::string port = colon == std::string::npos ? text : text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    try {
        std::size_t used = 0;
        const int p = std::stoi(port, &used);
        if (used != port.size() || p < 0 || p > 65535 || host.empty()) throw std::invalid_argument("");
        o.host = host;
        o.port = p;
    } catch (const std::exception&) {
        throw UsageError("--listen " + text + ": give HOST:PORT, for example 127.0.0.1:8080");
    }
}

// The token store of a server: --db, else the series' own database beside its outputs.
std::unique_ptr<server::TokenStore> token_store(const std::string& db, const std::string& series) {
    if (!db.empty()) return server::open_token_store(db);
    if (series.empty()) throw UsageError("give the series file whose server the token is for, or --db URL");
    const auto out_dir = series::load_series_project(series).options.run.out_dir;
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) throw IoError("cannot create " + out_dir.string() + ": " + ec.message());
    return server::open_token_store(jobs::default_store_url(out_dir));
}

}  // namespace

void register_serve_commands(CLI::App& app) {
    {
        struct Args {
            std::vector<std::string> series;
            std::string db, listen = "127.0.0.1:8080";
            std::size_t max_body = 1 << 20;
            std::size_t max_upload = 1024;
            std::size_t threads = 16, max_connections = 4096, per_client = 512;
        };
        auto a = std::make_shared<Args>();
        auto* cmd = app.add_subcommand("serve", "Serve the review station's JSON API over series (docs/api.md)");
        cmd->add_option("series", a->series, "series files (series.toml)");
        cmd->add_option("--db", a->db, "database holding the tokens and the render jobs: postgresql://… or a SQLite file (default: the first series' own)");
        cmd->add_option("--listen", a->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; put TLS in a reverse proxy)");
        cmd->add_option("--max-body", a->max_body, "largest request body accepted, in bytes (default 1 MiB)");
        cmd->add_option("--max-upload", a->max_upload, "largest episode video accepted by upload, in MiB (default 1024)");
        cmd->add_option("--threads", a->threads, "requests handled at once; open pages' event streams and slow clients hold none (default 16)");
        cmd->add_option("--max-connections", a->max_connections, "connections open at once, event streams included (default 4096)");
        cmd->add_option("--max-connections-per-client", a->per_client, "connections open at once from one address (default 512)");
        cmd->callback([a] {
            server::ServeOptions o;
            for (const auto& s : a->series) o.series_files.emplace_back(s);
            o.db_url = a->db;
            o.max_body_bytes = a->max_body;
            o.max_upload_bytes = a->max_upload << 20;
            o.threads = a->threads;
            o.max_connections = a->max_connections;
            o.max_connections_per_client = a->per_client;
            parse_listen(a->listen, o);
            o.log = [](const std::string& line) { std::cerr << line << "\n"; };
            server::ReviewServer server(o);
            const int port = server.bind();
            std::cerr << "dramaloc: serving " << a->series.size() << " series on http://" << o.host << ":" << port
                      << "/ (review page; API under /api/; Ctrl-C stops)" << std::endl;
            // Ctrl-C asks the work to stop (a render under way is cancelled; its edit stays in
            // edits.json for the next run); the server is stopped from here, again until it
            // has (a stop before it started listening would be missed).
            std::atomic<bool> finished{false};
            std::thread watch([&server, &finished] {
                while (!finished) {
                    if (cancel_requested()) server.stop();
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
            });
            server.run();
            finished = true;
            watch.join();
        });
    }
    auto* token = app.add_subcommand("token", "Access tokens for dramaloc serve: create, list, revoke");
    token->require_subcommand(1);
    {
        struct Args {
            std::string series, db, role, name, expires = "90d";
        };
        auto a = std::make_shared<Args>();
        auto* cmd = token->add_subcommand("create", "Make a token with a role and a lifetime; it is printed once and stored hashed");
        cmd->add_option("series", a->series, "series file whose server the token is for");
        cmd->add_option("--db", a->db, "database of the server (its tokens): postgresql://… or a SQLite file");
        cmd->add_option("--role", a->role, "viewer (read), editor (edit lines), admin")->required()
            ->check(CLI::IsMember({"viewer", "editor", "admin"}));
        cmd->add_option("--name,--label", a->name, "who or what the token is for (kept in the edit history; default $USER)");
        cmd->add_option("--expires", a->expires, "how long it works: 30d, 12h, 90m, 3600s, or never (default 90d)");
        cmd->callback([a] {
            const std::int64_t lifetime = server::token_lifetime_ms(a->expires);
            auto store = token_store(a->db, a->series);
            const std::string value = server::new_token();
            const std::int64_t now = wall_clock_ms();
            const std::int64_t expires = lifetime == 0 ? 0 : now + lifetime;
            const std::string hash = server::token_hash(value);
            store->add(hash, a->role, a->name.empty() ? current_user() : a->name, expires);
            std::cout << value << "\n";
            std::cerr << "dramaloc: " << a->role << " token " << hash.substr(0, 12) << " stored (hashed) in " << store->describe()
                      << ", expires " << server::time_or_never(expires) << "; it is shown only now: keep it" << std::endl;
        });
    }
    {
        struct Args {
            std::string series, db;
            bool json = false;
        };
        auto a = std::make_shared<Args>();
        auto* cmd = token->add_subcommand("list", "The tokens of a server: id, name, role, created, last used, expiry, state (never the secret)");
        cmd->add_option("series", a->series, "series file whose server the tokens are for");
        cmd->add_option("--db", a->db, "database of the server (its tokens): postgresql://… or a SQLite file");
        cmd->add_flag("--json", a->json, "JSON on stdout: {\"tokens\": [{id, name, role, created, last_used, expires, state}]}");
        cmd->callback([a] {
            auto store = token_store(a->db, a->series);
            const std::int64_t now = wall_clock_ms();
            nlohmann::json list = nlohmann::json::array();
            for (const auto& t : store->list()) {
                const std::string state = t.revoked_ms ? "revoked" : t.expired(now) ? "expired" : "live";
                list.push_back({{"id", t.id()}, {"name", t.label}, {"role", t.role}, {"created", server::time_or_never(t.created_ms)},
                                {"last_used", t.last_used_ms ? server::time_or_never(t.last_used_ms) : "never"},
                                {"expires", server::time_or_never(t.expires_ms)}, {"state", state}});
            }
            if (a->json) {
                std::cout << nlohmann::json{{"tokens", list}}.dump(2) << "\n";
                return;
            }
            std::printf("%-12s  %-16s  %-6s  %-20s  %-20s  %-20s  %s\n", "ID", "NAME", "ROLE", "CREATED", "LAST USED", "EXPIRES", "STATE");
            for (const auto& t : list)
                std::printf("%-12s  %-16s  %-6s  %-20s  %-20s  %-20s  %s\n", t["id"].get<std::string>().c_str(), t["name"].get<std::string>().c_str(),
                            t["role"].get<std::string>().c_str(), t["created"].get<std::string>().c_str(),
                            t["last_used"].get<std::string>().c_str(), t["expires"].get<std::string>().c_str(), t["state"].get<std::string>().c_str());
            if (list.empty()) std::cerr << "dramaloc: no tokens in " << store->describe() << " (dramaloc token create makes one)" << std::endl;
        });
    }
    {
        struct Args {
            std::vector<std::string> args;
            std::string db;
        };
        auto a = std::make_shared<Args>();
        auto* cmd = token->add_subcommand("revoke", "Revoke tokens by name (every live one of that name) or by id; a server refuses them at once");
        cmd->add_option("args", a->args, "[SERIES.toml] NAME|ID: the series file whose server the tokens are for (or --db), and a "
                                         "token's name or id (as dramaloc token list shows them)")->required()->expected(1, 2);
        cmd->add_option("--db", a->db, "database of the server (its tokens): postgresql://… or a SQLite file");
        cmd->callback([a] {
            const std::string which = a->args.back();
            auto store = token_store(a->db, a->args.size() == 2 ? a->args.front() : "");
            const int revoked = store->revoke(which);
            if (revoked == 0)
                throw InputError("no live token is named or has the id \"" + which + "\" in " + store->describe() +
                                 "; dramaloc token list shows them");
            std::cerr << "dramaloc: revoked " << revoked << " token(s) \"" << which << "\"" << std::endl;
        });
    }
}

}  // namespace dramaloc::cli
