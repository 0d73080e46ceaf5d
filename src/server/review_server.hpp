#pragma once
// `dramaloc serve`: the review station's JSON API over the series it is given (docs/api.md,
// docs/openapi.yaml). Every request but /api/health carries a bearer token (server/auth.hpp)
// whose role allows it; a line is edited against the revision the person saw, through the
// factory's incremental path: the edit is recorded (OUT/edits.json) and the episode is
// rendered again in the background, its other stages taken from the artifact store.
//
// Names in paths (series, episode, language, line) are looked up among what the series has,
// never joined onto a folder: nothing outside the series' outputs can be reached.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dramaloc::server {

struct ServeOptions {
    std::vector<std::filesystem::path> series_files;
    std::string db_url;              // the job store (tokens, render jobs); empty: the first series' own
    std::string host = "127.0.0.1";
    int port = 8080;                 // 0: any free port (tests)
    std::size_t max_body_bytes = 1 << 20;           // JSON bodies
    std::size_t max_upload_bytes = std::size_t(1) << 30;  // an episode's video (PUT …/source)
    std::size_t threads = 16;        // requests handled at once (event streams and slow clients hold none)
    std::size_t max_connections = 4096;
    std::size_t max_connections_per_client = 512;
    bool render_edits = true;        // render an edited episode again in the background
    int threads_per_render = 0;      // threads of a render (0: the cores)
    std::chrono::milliseconds token_watch{30'000};  // how often revoked tokens' event streams are looked for
    std::function<void(const std::string&)> log;  // one line per event worth telling (renders, internal errors)
};

class ReviewServer {
public:
    // Loads the series (ConfigError/InputError as load_series_project; two series with one
    // name are refused) and opens the job store.
    explicit ReviewServer(ServeOptions options);
    ~ReviewServer();
    ReviewServer(const ReviewServer&) = delete;
    ReviewServer& operator=(const ReviewServer&) = delete;

    // Binds the address; returns the port. IoError when it cannot (taken, not ours).
    int bind();
    // Serves until stop() (from any thread), then waits for the render under way (Ctrl-C
    // cancels it: its edit stays recorded for the next run) and drops those not started.
    void run();
    void stop();

    // The routes, as "METHOD /path/{param}", the way docs/openapi.yaml names them.
    static std::vector<std::string> routes();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dramaloc::server
