#pragma once
// The review station's HTTP/1.1 server: Boost.Beast parses requests on Asio's event loop;
// handlers run on a pool of their own threads; event streams and slow clients hold no thread.
// Made to face the internet (docs/design.md, "The HTTP edge"):
//   - a refused request closes its connection, so an unread body never becomes a request;
//   - deadlines for the header, the body, an idle keep-alive and every write;
//   - caps on connections, in all and per client address;
//   - a request is admitted (its token and role) and its size checked before its body is read;
//   - security headers on every answer; stop() ends streams and closes within 5 s.
// It knows nothing of series or episodes: routes are declared by the station (server/station).
#include <any>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dramaloc::server::http {

// Thrown by a handler (or an admission check) to answer with RFC 9457 problem details.
struct Problem {
    int status;
    std::string title, detail;
    nlohmann::json extra = nlohmann::json::object();
    std::vector<std::pair<std::string, std::string>> headers = {};  // WWW-Authenticate, Content-Range, Allow
};

struct Request {
    std::string method;  // "GET"
    std::string target;  // as sent: "/api/search?q=x"
    std::string path;    // the target's path, still percent-encoded
    std::vector<std::string> params;  // the route's {parameters}, percent-decoded, in order
    std::multimap<std::string, std::string> query;  // decoded; no control characters
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                 // a JSON route's body
    std::filesystem::path body_file;  // an upload's body, streamed here (removed after the handler)
    std::uint64_t body_bytes = 0;
    std::string client;  // the peer's address
    std::any principal;  // what admission found (the station's token)

    // A header's value ("" when absent); names are case-insensitive.
    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
    // A query parameter ("" when absent; the first when repeated).
    std::string param(const std::string& name) const;
    bool has_param(const std::string& name) const { return query.count(name) > 0; }
};

// An open file's bytes [offset, offset + length), read in pieces as the client takes them.
struct FileSlice {
    int fd = -1;
    std::uint64_t offset = 0, length = 0;
    ~FileSlice();
};

// An event stream (text/event-stream): `first` is sent at once; `more` is asked whenever
// the server is told of news (Server::notify_streams) and every 10 s: the text to send ("":
// nothing new, a keep-alive comment goes out instead), or nullopt when the stream ends.
struct EventFeed {
    std::string first;
    std::function<std::optional<std::string>()> more;
};

struct Response {
    int status = 200;
    std::string content_type;  // of body (or of the file); empty: no body
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::shared_ptr<FileSlice> file;    // the body is this file's slice instead
    std::shared_ptr<EventFeed> events;  // an event stream instead
    bool close = false;                 // close the connection after the answer

    static Response json(const nlohmann::json& body, int status = 200);
    static Response problem(const Problem& p);
    void set_header(std::string name, std::string value);
    bool has_header(std::string_view name) const;
};

enum class BodyKind {
    None,    // no body is expected; one is read (within max_body_bytes) and ignored
    Json,    // application/json, read into memory within max_body_bytes
    Upload,  // any type, streamed to the file upload_file names, within max_upload_bytes
};

struct Route {
    std::string method;  // GET, PUT, POST, DELETE
    std::string path;    // "/api/series/{series}/episodes": literal segments and {parameters}
    BodyKind body = BodyKind::None;
    std::function<Response(Request&)> handler;
    // Before the body is read: where an upload goes (a new file; throw Problem to refuse).
    std::function<std::filesystem::path(Request&)> upload_file = {};
    // What the route needs of the caller: checked by ServerOptions::admit before the body.
    int role = -1;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port
    std::size_t io_threads = 2;
    std::size_t handler_threads = 16;  // requests handled at once (streams and slow clients hold none)
    std::size_t max_connections = 4096;
    std::size_t max_connections_per_client = 512;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_target_bytes = 8 * 1024;
    std::size_t max_body_bytes = 1 << 20;
    std::uint64_t max_upload_bytes = std::uint64_t(1) << 30;
    std::chrono::milliseconds header_timeout{10'000};  // from the first byte of a request to its header's end
    std::chrono::milliseconds idle_timeout{15'000};    // a kept-alive connection waiting for its next request
    std::chrono::milliseconds body_timeout{30'000};    // a JSON body; an upload's is this per read, and a rate
    std::uint64_t min_upload_bytes_per_second = 64 * 1024;
    std::chrono::milliseconds write_timeout{30'000};     // each write to a client
    std::chrono::milliseconds stream_keepalive{10'000};  // a comment on a quiet event stream
    std::chrono::milliseconds shutdown_grace{5'000};
    // After the header, before the body: who is calling, for the route's role (throw Problem).
    std::function<void(Request&, const Route&)> admit;
    // What a handler threw that is not a Problem (the station's errors; default: a 500).
    std::function<Response(const Request&, std::exception_ptr)> on_error;
    // GET paths no route has (the review page's files); default: a 404.
    std::function<Response(Request&)> fallback;
    std::function<void(const std::string&)> log;
};

// The route a method and path go to, with its decoded parameters; nullptr when none. `allowed`
// gets the methods the path has when only the method is wrong (a 405).
const Route* match_route(const std::vector<Route>& routes, const std::string& method, std::string_view path,
                         std::vector<std::string>& params, std::vector<std::string>* allowed = nullptr);

// Percent-decoding of one path segment or query value ('+' as a space when `form`); nullopt
// when malformed, or when it decodes to a control character or to what is not UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool form);

// "bytes=A-B" for a body of `size` bytes: the one range (clamped), or nullopt when it does not
// fit or asks for several (a 416); {0, size} when `header` is empty.
std::optional<std::pair<std::uint64_t, std::uint64_t>> byte_range(std::string_view header, std::uint64_t size);

class Session;

class Server {
public:
    Server(ServerOptions options, std::vector<Route> routes);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; returns the port. Throws IoError when it cannot.
    int bind();
    // Serves until stop(); returns once every connection has closed (at most shutdown_grace after).
    void run();
    // From any thread (a signal watcher): stop accepting, finish answers under way, end event
    // streams, close idle connections.
    void stop();
    // From any thread: event streams ask their feed for news.
    void notify_streams();

    struct Stats {
        std::size_t connections, streams;
    };
    Stats stats() const;

private:
    friend class Session;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dramaloc::server::http
