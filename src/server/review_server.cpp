#include "server/review_server.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include "core/error.hpp"
#include "core/version.hpp"
#include "jobs/factory.hpp"
#include "server/station.hpp"
#include "server/web_assets.hpp"

namespace dramaloc::server {

namespace {

// Every route, declared once, resource by resource (server/routes/): its method and path (as
// docs/openapi.yaml names them), the role it needs, its body and its handler. With no station
// (ReviewServer::routes()), only the table.
std::vector<http::Route> make_routes(Station* station) {
    std::vector<http::Route> routes = {
        {"GET", "/api/health", http::BodyKind::None, [](http::Request&) { return http::Response::json({{"status", "ok"}, {"version", kVersion}}); }}};
    add_session_routes(station, routes);
    add_series_routes(station, routes);
    add_lines_routes(station, routes);
    add_reviews_routes(station, routes);
    add_files_routes(station, routes);
    add_events_routes(station, routes);
    add_search_routes(station, routes);
    add_board_routes(station, routes);
    return routes;
}

// The review page: files built into the binary, looked up by exact name. For work on the
// page, DRAMALOC_WEB_DIR (src/server/web) serves the same names from that folder, as they
// are on disk, without a rebuild.
http::Response web_page(const http::Request& req) {
    const std::string path = req.path == "/" ? "/index.html" : req.path;
    for (const auto& asset : web_assets())
        if (asset.path == path) {
            http::Response res;
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
            res.set_header("Cache-Control", "no-cache");
            res.content_type = std::string(asset.type);
            res.body = std::string(asset.body);
            if (const char* dir = std::getenv("DRAMALOC_WEB_DIR"); dir && *dir) {
                std::ifstream in(fs::path(dir) / path.substr(1), std::ios::binary);
                if (in) res.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            }
            return res;
        }
    throw Problem{404, "Not found", "no such page or route (see docs/openapi.yaml)"};
}

// What the HTTP layer needs of the station: who a route's caller is, what its errors mean.
http::ServerOptions server_options(Station& station) {
    http::ServerOptions o;
    o.host = station.options.host;
    o.port = station.options.port;
    o.handler_threads = std::max<std::size_t>(station.options.threads, 2);
    o.max_connections = station.options.max_connections;
    o.max_connections_per_client = station.options.max_connections_per_client;
    o.max_body_bytes = station.options.max_body_bytes;
    o.max_upload_bytes = station.options.max_upload_bytes;
    o.log = station.options.log;
    o.admit = [&station](http::Request& req, const http::Route& route) {
        if (route.role >= 0) req.principal = station.authorize(req, static_cast<Role>(route.role));
    };
    o.on_error = [&station](const http::Request&, std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const Error& e) {
            // Requests are checked before they reach the library, so what it throws here is a
            // damaged file or a failing store: told in the log, not to the client (paths).
            station.log(std::string("dramaloc serve: ") + e.what());
            return http::Response::problem({503, "Service unavailable", "the server could not do this now; try again (the server's log says why)"});
        } catch (const std::exception& e) {
            station.log(std::string("dramaloc serve: internal error: ") + e.what());
        } catch (...) {
            station.log("dramaloc serve: internal error");
        }
        return http::Response::problem({500, "Internal error", "the server failed on this request; its log says why"});
    };
    o.fallback = [](http::Request& req) { return web_page(req); };
    return o;
}

}  // namespace

struct ReviewServer::Impl {
    Station station;
};

ReviewServer::ReviewServer(ServeOptions options) : impl_(std::make_unique<Impl>()) {
    Station& st = impl_->station;
    st.options = std::move(options);
    if (st.options.series_files.empty() && st.options.db_url.empty())
        throw UsageError("give a series file (or several), or --db with the job store to serve");
    std::set<std::string> ids;
    for (const auto& given : st.options.series_files) {
        // Absolute: the renders' workers load the series again, and name it as they found it.
        const fs::path file = fs::weakly_canonical(fs::absolute(given));
        Series s;
        s.project = series::load_series_project(file);
        s.id = file.stem().string();
        s.out_dir = s.project.options.run.out_dir;
        s.content_reviewer = policy::content_reviewer_of(s.project);  // a malformed pack stops the server from starting
        if (!ids.insert(s.id).second)
            throw UsageError("two series files are named " + s.id + "; serve them from separate servers, or rename one");
        st.series.push_back(std::move(s));
    }
    std::string url = st.options.db_url;
    if (url.empty()) url = jobs::default_store_url(st.series.front().out_dir);
    st.store = jobs::open_job_store(url);
    st.tokens = open_token_store(url);
    st.render_store = jobs::open_job_store(url);
    st.http = std::make_unique<http::Server>(server_options(st), make_routes(&st));
}

ReviewServer::~ReviewServer() {
    Station& st = impl_->station;
    stop();
    if (st.renderer.joinable()) st.renderer.join();
    st.http.reset();  // its handlers use the station: gone first
}

int ReviewServer::bind() { return impl_->station.http->bind(); }

void ReviewServer::run() {
    Station& st = impl_->station;
    st.renderer = std::thread([&st] { st.render_loop(); });
    st.token_watch = std::thread([&st] { st.watch_tokens(); });
    st.http->run();
    {
        std::lock_guard lock(st.render_mutex);
        st.stopping = true;
    }
    st.render_wake.notify_all();
    st.watch_wake.notify_all();
    if (st.renderer.joinable()) st.renderer.join();
    if (st.token_watch.joinable()) st.token_watch.join();
}

void ReviewServer::stop() {
    Station& st = impl_->station;
    {
        std::lock_guard lock(st.render_mutex);
        st.closing = true;
    }
    st.http->stop();
}

std::vector<std::string> ReviewServer::routes() {
    std::vector<std::string> out;
    for (const auto& r : make_routes(nullptr)) out.push_back(r.method + " " + r.path);
    return out;
}

}  // namespace dramaloc::server
