#include "server/http.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/error.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// A header value as it may go out: never a line break (a handler's value cannot add headers).
std::string field_value(std::string_view value) {
    std::string out(value);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; }, ' ');
    return out;
}

std::string status_line(int status) {
    const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason.empty() ? "Unknown" : reason) + "\r\n";
}

// What every answer carries unless its handler said otherwise: nothing sniffed, cached,
// framed, or referred from.
const std::vector<std::pair<std::string, std::string>>& security_headers() {
    static const std::vector<std::pair<std::string, std::string>> headers = {
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cache-Control", "no-store"},
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
    };
    return headers;
}

// An error of the request's HTTP (as opposed to the connection's).
bool is_http_error(const boost::system::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

std::string media_type(std::string_view content_type) {
    std::string t(content_type.substr(0, content_type.find(';')));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(t.begin());
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return t;
}

}  // namespace

std::string Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return "";
}

bool Request::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

std::string Request::param(const std::string& name) const {
    const auto it = query.find(name);
    return it == query.end() ? "" : it->second;
}

FileSlice::~FileSlice() {
    if (fd >= 0) ::close(fd);
}

Response Response::json(const nlohmann::json& body, int status) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Response Response::problem(const Problem& p) {
    nlohmann::json body = {{"type", "about:blank"}, {"title", p.title}, {"status", p.status}, {"detail", p.detail}};
    for (const auto& [k, v] : p.extra.items()) body[k] = v;
    Response r = json(body, p.status);
    r.content_type = "application/problem+json";
    r.headers = p.headers;
    return r;
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers)
        if (iequals(k, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

bool Response::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

std::optional<std::string> percent_decode(std::string_view text, bool form) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (form && c == '+') {
            c = ' ';
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) return std::nullopt;
        out.push_back(c);
    }
    if (!subtitles::is_valid_utf8(out)) return std::nullopt;
    return out;
}

const Route* match_route(const std::vector<Route>& routes, const std::string& method, std::string_view path,
                         std::vector<std::string>& params, std::vector<std::string>* allowed) {
    // The path's segments, split before decoding: "%2F" stays inside its segment.
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') return nullptr;
    for (std::size_t at = 1;;) {
        const std::size_t end = std::min(path.find('/', at), path.size());
        segments.push_back(path.substr(at, end - at));
        if (end == path.size()) break;
        at = end + 1;
    }
    for (const auto& route : routes) {
        std::vector<std::string_view> pattern;
        const std::string_view p = route.path;
        for (std::size_t at = 1;;) {
            const std::size_t end = std::min(p.find('/', at), p.size());
            pattern.push_back(p.substr(at, end - at));
            if (end == p.size()) break;
            at = end + 1;
        }
        if (pattern.size() != segments.size()) continue;
        std::vector<std::string> found;
        bool fits = true;
        for (std::size_t i = 0; i < pattern.size() && fits; ++i) {
            if (!pattern[i].empty() && pattern[i].front() == '{') {
                auto value = segments[i].empty() ? std::nullopt : percent_decode(segments[i], false);
                fits = value.has_value();
                if (fits) found.push_back(std::move(*value));
            } else {
                fits = pattern[i] == segments[i];
            }
        }
        if (!fits) continue;
        if (route.method != method) {
            if (allowed) allowed->push_back(route.method);
            continue;
        }
        params = std::move(found);
        return &route;
    }
    return nullptr;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> byte_range(std::string_view header, std::uint64_t size) {
    if (header.empty()) return std::pair<std::uint64_t, std::uint64_t>{0, size};
    constexpr std::string_view kUnit = "bytes=";
    if (header.substr(0, kUnit.size()) != kUnit) return std::nullopt;
    const std::string_view spec = header.substr(kUnit.size());
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return std::nullopt;
    const auto number = [](std::string_view digits) -> std::optional<std::uint64_t> {
        std::uint64_t n = 0;
        if (digits.empty()) return std::nullopt;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
        return n;
    };
    const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    if (a.empty()) {  // the last n bytes
        const auto n = number(b);
        if (!n || *n == 0 || size == 0) return std::nullopt;
        const std::uint64_t length = std::min(*n, size);
        return std::pair{size - length, length};
    }
    const auto first = number(a);
    if (!first || *first >= size) return std::nullopt;
    if (b.empty()) return std::pair{*first, size - *first};
    const auto last = number(b);
    if (!last || *last < *first) return std::nullopt;
    return std::pair{*first, std::min(*last, size - 1) - *first + 1};
}

namespace {

// The query string's name=value pairs, decoded; a problem when one is malformed.
std::optional<Problem> parse_query(Request& r, std::string_view query) {
    for (std::size_t at = 0; at <= query.size();) {
        const std::size_t end = std::min(query.find('&', at), query.size());
        const std::string_view pair = query.substr(at, end - at);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
            if (!name || !value) return Problem{400, "Bad request", "the query string is malformed: a bad %-escape, a control character or not UTF-8"};
            r.query.emplace(std::move(*name), std::move(*value));
        }
        at = end + 1;
    }
    return std::nullopt;
}

// No body of unknown size is ever read, and a transfer coding Beast would not frame (gzip,
// "chunked, gzip") must not leave a body to be read as the next request: any
// Transfer-Encoding is refused, and the connection closed (RFC 9112, 6.3).
std::optional<Problem> refuse_transfer_coding(const Request& r) {
    if (!r.has_header("Transfer-Encoding")) return std::nullopt;
    std::string coding = r.header("Transfer-Encoding");
    std::transform(coding.begin(), coding.end(), coding.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (coding == "chunked") return Problem{411, "Length required", "send the request body with a Content-Length"};
    return Problem{400, "Bad request", "Transfer-Encoding is not accepted: send the request body with a Content-Length"};
}

// Every segment of the path decodes to text (a name looked up, never a byte sequence).
std::optional<Problem> check_path(const std::string& path) {
    for (std::size_t at = 1; at < path.size();) {
        const std::size_t end = std::min(path.find('/', at), path.size());
        if (!percent_decode(std::string_view(path).substr(at, end - at), false))
            return Problem{400, "Bad request", "the path is malformed: a bad %-escape, a control character or not UTF-8"};
        at = end + 1;
    }
    return std::nullopt;
}

// Whether the route's body can be read: its size known beforehand and within the limit, a
// JSON body said to be JSON; a route that takes none is sent none of any size.
std::optional<Problem> check_body(const Request& r, BodyKind kind, bool chunked, const boost::optional<std::uint64_t>& length, bool has_body,
                                  const ServerOptions& o) {
    if (kind == BodyKind::None) {
        if (has_body && (chunked || !length || *length > o.max_body_bytes)) return Problem{413, "Payload too large", "this request takes no body"};
        return std::nullopt;
    }
    if (chunked || !length) return Problem{411, "Length required", "send the request body with a Content-Length"};
    const std::uint64_t limit = kind == BodyKind::Upload ? o.max_upload_bytes : o.max_body_bytes;
    if (*length > limit)
        return kind == BodyKind::Upload
                   ? Problem{413, "Upload too large", "the server takes uploads of at most " + std::to_string(limit >> 20) + " MiB (dramaloc serve --max-upload)"}
                   : Problem{413, "Payload too large", "the request body is larger than this server accepts (" + std::to_string(limit) + " bytes)"};
    if (kind == BodyKind::Json && media_type(r.header("Content-Type")) != "application/json")
        return Problem{415, "Unsupported media type", "send the request body as application/json"};
    return std::nullopt;
}

}  // namespace

class Session;

// Declared so that the event loop goes first: handlers it still holds (sessions) end while
// the registry they leave is there.
struct Server::Impl {
    ServerOptions o;
    std::vector<Route> routes;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::map<Session*, std::weak_ptr<Session>> sessions;
    std::map<std::string, std::size_t> per_client;
    std::size_t streams = 0;
    bool stopping = false;

    asio::io_context ioc;
    tcp::acceptor acceptor{asio::make_strand(ioc)};
    std::unique_ptr<asio::thread_pool> handlers;

    void log(const std::string& line) const {
        if (o.log) o.log(line);
    }
    void accept();
    void refuse_connection(tcp::socket& socket, const std::string& detail);
    void ended(Session* session, const std::string& client);
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(Server::Impl* server, tcp::socket socket, std::string client)
        : server_(server), stream_(std::move(socket)), timer_(stream_.get_executor()), client_(std::move(client)) {}

    ~Session() {
        drop_upload();
        server_->ended(this, client_);
    }

    void start() { read_request(true); }
    auto get_executor() { return stream_.get_executor(); }

    // The server stops: a connection waiting for a request closes now, a stream ends, an
    // answer under way is the connection's last.
    void on_stop() {
        keep_alive_ = false;
        if (waiting_) close();
        else if (feed_) end_stream();
    }

    // News for an event stream.
    void on_notify() {
        if (feed_) pull(false);
    }

private:
    const ServerOptions& o() const { return server_->o; }

    void close() {
        if (closed_) return;
        closed_ = true;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.close();
        timer_.cancel();
    }

    void drop_upload() {
        if (upload_.empty()) return;
        if (file_parser_) file_parser_->get().body().close();
        std::error_code ec;
        std::filesystem::remove(upload_, ec);
        upload_.clear();
    }

    void read_request(bool first) {
        if (closed_) return;
        waiting_ = true;
        request_ = Request{};
        route_ = nullptr;
        text_parser_.reset();
        file_parser_.reset();
        head_parser_.reset();
        {
            std::lock_guard lock(server_->mutex);
            if (server_->stopping) return close();
        }
        if (!first && buffer_.size() == 0) {
            // Kept alive: waits for the next request's first byte at most idle_timeout.
            stream_.expires_after(o().idle_timeout);
            stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                if (ec) return self->close();
                self->buffer_.commit(n);
                self->read_header();
            });
            return;
        }
        read_header();
    }

    void read_header() {
        head_parser_.emplace();
        head_parser_->header_limit(static_cast<std::uint32_t>(o().max_header_bytes));
        head_parser_->body_limit(boost::none);
        stream_.expires_after(o().header_timeout);
        bhttp::async_read_header(stream_, buffer_, *head_parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        waiting_ = false;
        if (ec) {
            // A client gone or too slow is closed; a malformed request is told why, then closed.
            if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || !is_http_error(ec) ||
                ec == beast::error::timeout)
                return close();
            if (ec == bhttp::error::header_limit)
                return refuse({431, "Request header fields too large", "the request's header is larger than this server accepts"});
            if (ec == bhttp::error::bad_content_length)
                return refuse({400, "Bad request", "Content-Length is not a number of bytes"});
            return refuse({400, "Bad request", "the request is not well-formed HTTP/1.1"});
        }
        auto& h = head_parser_->get();
        keep_alive_ = head_parser_->keep_alive();
        Request& r = request_;
        r.method = std::string(h.method_string());
        r.target = std::string(h.target());
        r.client = client_;
        for (const auto& f : h) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        if (r.target.size() > o().max_target_bytes)
            return refuse({414, "URI too long", "the request's path and query are longer than this server accepts"});
        const auto question = r.target.find('?');
        r.path = r.target.substr(0, question);
        if (question != std::string::npos)
            if (auto problem = parse_query(r, std::string_view(r.target).substr(question + 1))) return refuse(std::move(*problem));
        if (auto problem = refuse_transfer_coding(r)) return refuse(std::move(*problem));
        const bool chunked = head_parser_->chunked();
        const auto length = head_parser_->content_length();
        has_body_ = chunked || (length && *length > 0);
        if (auto problem = check_path(r.path)) return refuse(std::move(*problem));
        std::vector<std::string> allowed;
        route_ = match_route(server_->routes, r.method, r.path, r.params, &allowed);
        if (!route_) {
            if (r.method == "GET" && o().fallback && !has_body_) return dispatch();
            if (!allowed.empty()) {
                std::string allow;
                for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
                return refuse({405, "Method not allowed", "this path takes " + allow, nlohmann::json::object(), {{"Allow", allow}}});
            }
            return refuse({404, "Not found", "no such route (see docs/openapi.yaml)"});
        }
        if (auto problem = check_body(r, route_->body, chunked, length, has_body_, o())) return refuse(std::move(*problem));
        admit();
    }

    // Who is calling, and where an upload goes: asked on a handler thread (the job store), the
    // body still unread.
    void admit() {
        asio::post(*server_->handlers, [self = shared_from_this()] {
            std::optional<Problem> refused;
            std::filesystem::path upload;
            try {
                if (self->o().admit) self->o().admit(self->request_, *self->route_);
                if (self->route_->body == BodyKind::Upload && self->route_->upload_file) upload = self->route_->upload_file(self->request_);
            } catch (const Problem& p) {
                refused = p;
            } catch (const std::exception& e) {
                self->server_->log(std::string("dramaloc serve: ") + e.what());
                refused = Problem{503, "Service unavailable", "the server could not check this request now; try again (its log says why)"};
            }
            asio::post(self->stream_.get_executor(), [self, refused, upload] {
                if (refused) return self->refuse(*refused);
                self->read_body(upload);
            });
        });
    }

    void read_body(const std::filesystem::path& upload) {
        if (closed_) return;
        if (!has_body_) {
            head_parser_.reset();
            return dispatch();
        }
        if (iequals(request_.header("Expect"), "100-continue")) {
            auto line = std::make_shared<std::string>("HTTP/1.1 100 Continue\r\n\r\n");
            stream_.expires_after(o().write_timeout);
            asio::async_write(stream_, asio::buffer(*line), [self = shared_from_this(), line, upload](beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                self->read_body_now(upload);
            });
            return;
        }
        read_body_now(upload);
    }

    void read_body_now(const std::filesystem::path& upload) {
        if (route_ && route_->body == BodyKind::Upload) {
            file_parser_.emplace(std::move(*head_parser_));
            head_parser_.reset();
            file_parser_->body_limit(o().max_upload_bytes);
            beast::error_code ec;
            file_parser_->get().body().open(upload.c_str(), beast::file_mode::write_new, ec);
            if (ec) {
                server_->log("dramaloc serve: cannot write an upload (" + upload.parent_path().string() + "): " + ec.message());
                return refuse({507, "Insufficient storage", "the upload could not be stored; nothing was kept"});
            }
            upload_ = upload;
            const auto expected = file_parser_->content_length().value_or(0);
            upload_deadline_ = std::chrono::steady_clock::now() + o().body_timeout +
                               std::chrono::seconds(expected / std::max<std::uint64_t>(1, o().min_upload_bytes_per_second));
            return read_upload();
        }
        text_parser_.emplace(std::move(*head_parser_));
        head_parser_.reset();
        text_parser_->body_limit(o().max_body_bytes);
        stream_.expires_after(o().body_timeout);
        bhttp::async_read(stream_, buffer_, *text_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->body_failed(ec);
            self->request_.body = std::move(self->text_parser_->get().body());
            self->request_.body_bytes = self->request_.body.size();
            self->text_parser_.reset();
            self->dispatch();
        });
    }

    void read_upload() {
        const auto now = std::chrono::steady_clock::now();
        if (now >= upload_deadline_) return close();
        stream_.expires_after(std::min<std::chrono::steady_clock::duration>(o().body_timeout, upload_deadline_ - now));
        bhttp::async_read_some(stream_, buffer_, *file_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->body_failed(ec);
            if (!self->file_parser_->is_done()) return self->read_upload();
            self->file_parser_->get().body().close();
            std::error_code size_ec;
            self->request_.body_bytes = std::filesystem::file_size(self->upload_, size_ec);
            self->file_parser_.reset();
            self->request_.body_file = self->upload_;
            self->dispatch();
        });
    }

    void body_failed(beast::error_code ec) {
        drop_upload();
        if (ec == bhttp::error::body_limit) return refuse({413, "Payload too large", "the request body is larger than this server accepts"});
        if (is_http_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
            return refuse({400, "Bad request", "the request body is not well-formed HTTP/1.1"});
        close();  // gone, or too slow
    }

    void dispatch() {
        asio::post(*server_->handlers, [self = shared_from_this()] {
            Response r;
            try {
                if (self->route_) r = self->route_->handler(self->request_);
                else r = self->o().fallback(self->request_);
            } catch (const Problem& p) {
                r = Response::problem(p);
            } catch (...) {
                try {
                    if (self->o().on_error) r = self->o().on_error(self->request_, std::current_exception());
                    else throw;
                } catch (...) {
                    r = Response::problem({500, "Internal error", "the server failed on this request; its log says why"});
                }
            }
            auto answer = std::make_shared<Response>(std::move(r));
            asio::post(self->stream_.get_executor(), [self, answer] {
                self->drop_upload();
                self->write(std::move(*answer));
            });
        });
    }

    // A request refused before its handler: when its body is unread the connection closes, so
    // that the body can never be read as the next request.
    void refuse(const Problem& p) {
        Response r = Response::problem(p);
        r.close = true;
        if (head_parser_ && head_parser_->is_header_done() && head_parser_->is_done() && !request_.has_header("Transfer-Encoding"))
            r.close = !keep_alive_;
        write(std::move(r));
    }

    std::string head_of(Response& r, bool close, std::optional<std::uint64_t> length, bool has_body = true) const {
        std::string head = status_line(r.status);
        for (const auto& [k, v] : security_headers())
            if (!r.has_header(k)) r.headers.emplace_back(k, v);
        if (!r.content_type.empty()) head += "Content-Type: " + field_value(r.content_type) + "\r\n";
        for (const auto& [k, v] : r.headers) head += field_value(k) + ": " + field_value(v) + "\r\n";
        if (length) head += "Content-Length: " + std::to_string(*length) + "\r\n";
        else if (has_body) head += "Transfer-Encoding: chunked\r\n";
        if (close) head += "Connection: close\r\n";
        return head + "\r\n";
    }

    void write(Response r) {
        if (closed_) return;
        bool stopping = false;
        {
            std::lock_guard lock(server_->mutex);
            stopping = server_->stopping;
        }
        close_after_ = r.close || !keep_alive_ || stopping;
        if (r.events) {
            close_after_ = true;
            feed_ = r.events;
            {
                std::lock_guard lock(server_->mutex);
                ++server_->streams;
                counted_stream_ = true;
                ending_ = server_->stopping;  // a stop came while the stream was being made
            }
            pull_pending_ = true;  // news told while the stream was being made is asked for at once
            r.content_type = "text/event-stream";
            out_ = head_of(r, true, std::nullopt) + chunk(feed_->first);
            return send(out_, [self = shared_from_this()] { self->stream_loop(); });
        }
        if (r.file) {
            file_ = r.file;
            sent_ = 0;
            out_ = head_of(r, close_after_, file_->length);
            return send(out_, [self = shared_from_this()] { self->send_file_piece(); });
        }
        if (r.status == 204 || r.status == 304) {  // no body, and no length to say so (RFC 9110)
            r.content_type.clear();
            out_ = head_of(r, close_after_, std::nullopt, false);
        } else {
            out_ = head_of(r, close_after_, r.body.size()) + r.body;
        }
        send(out_, [self = shared_from_this()] { self->finished(); });
    }

    template <typename Next>
    void send(const std::string& data, Next next) {
        writing_ = true;
        stream_.expires_after(o().write_timeout);
        asio::async_write(stream_, asio::buffer(data), [self = shared_from_this(), next](beast::error_code ec, std::size_t) {
            self->writing_ = false;
            if (ec) return self->close();
            next();
        });
    }

    void finished() {
        file_.reset();
        if (close_after_) return linger_close();
        read_request(false);
    }

    // Closing with a request's body unread would reset the connection, and a reset can destroy
    // the answer before the client reads it: the sending side is shut, what still comes is read
    // and dropped for a moment, then the connection closes.
    void linger_close() {
        if (closed_) return;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.expires_after(std::chrono::seconds(2));
        piece_.resize(16 * 1024);
        stream_.async_read_some(asio::buffer(piece_), [self = shared_from_this()](beast::error_code read_ec, std::size_t) {
            if (read_ec) return self->close();
            self->linger_close_more();
        });
    }
    void linger_close_more() {
        stream_.async_read_some(asio::buffer(piece_), [self = shared_from_this()](beast::error_code read_ec, std::size_t) {
            if (read_ec) return self->close();
            self->linger_close_more();
        });
    }

    void send_file_piece() {
        const std::uint64_t left = file_->length - sent_;
        if (left == 0) return finished();
        piece_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(left, 256 * 1024)));
        const ssize_t n = ::pread(file_->fd, piece_.data(), piece_.size(), static_cast<off_t>(file_->offset + sent_));
        if (n <= 0) return close();  // the file shrank under us: the answer cannot be completed
        sent_ += static_cast<std::uint64_t>(n);
        writing_ = true;
        stream_.expires_after(o().write_timeout);
        asio::async_write(stream_, asio::buffer(piece_.data(), static_cast<std::size_t>(n)), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->writing_ = false;
            if (ec) return self->close();
            self->send_file_piece();
        });
    }

    static std::string chunk(const std::string& text) {
        if (text.empty()) return "";
        char size[20];
        const auto [end, ec] = std::to_chars(size, size + sizeof size, text.size(), 16);
        (void)ec;
        return std::string(size, end) + "\r\n" + text + "\r\n";
    }

    // An event stream: news when told (on_notify), a comment when quiet, the last chunk when it ends.
    void stream_loop() {
        if (closed_) return;
        stream_.expires_never();
        if (ending_) return end_stream();
        if (pull_pending_) {
            pull_pending_ = false;
            pull(false);
            if (writing_) return;
        }
        timer_.expires_after(o().stream_keepalive);
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec) self->pull(true);
        });
    }

    void pull(bool quiet) {
        if (closed_ || !feed_) return;
        if (writing_) {
            pull_pending_ = true;
            return;
        }
        std::optional<std::string> text;
        try {
            text = feed_->more();
        } catch (const std::exception& e) {  // on the event loop: told, and the stream ends
            server_->log(std::string("dramaloc serve: an event stream failed: ") + e.what());
        }
        if (!text) return end_stream();
        if (text->empty()) {
            if (!quiet) return;
            *text = ": keep-alive\n\n";
        }
        timer_.cancel();
        out_ = chunk(*text);
        send(out_, [self = shared_from_this()] { self->stream_loop(); });
    }

    void end_stream() {
        ending_ = true;
        if (writing_ || closed_) return;
        timer_.cancel();
        out_ = "0\r\n\r\n";
        feed_.reset();
        send(out_, [self = shared_from_this()] { self->linger_close(); });
    }

    Server::Impl* server_;
    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    std::string client_;
    std::optional<bhttp::request_parser<bhttp::empty_body>> head_parser_;
    std::optional<bhttp::request_parser<bhttp::string_body>> text_parser_;
    std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
    std::filesystem::path upload_;
    std::chrono::steady_clock::time_point upload_deadline_;
    Request request_;
    const Route* route_ = nullptr;
    bool has_body_ = false, keep_alive_ = true, close_after_ = false;
    bool waiting_ = true, writing_ = false, closed_ = false;
    std::string out_;
    std::shared_ptr<FileSlice> file_;
    std::uint64_t sent_ = 0;
    std::vector<char> piece_;
    std::shared_ptr<EventFeed> feed_;
    bool pull_pending_ = false, ending_ = false;

public:
    bool counted_stream_ = false;
};

void Server::Impl::refuse_connection(tcp::socket& socket, const std::string& detail) {
    const std::string body = json{{"type", "about:blank"}, {"title", "Service unavailable"}, {"status", 503}, {"detail", detail}}.dump();
    const std::string answer = status_line(503) + "Content-Type: application/problem+json\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body;
    beast::error_code ec;
    socket.non_blocking(true, ec);
    socket.send(asio::buffer(answer), 0, ec);  // a fresh socket's buffer takes it whole, or the client gets nothing
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
}

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(ioc), [self = this](beast::error_code ec, tcp::socket socket) {
        if (!self->acceptor.is_open()) return;
        if (ec) {
            // Out of descriptors (EMFILE) and the like: told once, tried again shortly.
            self->log("dramaloc serve: cannot accept a connection: " + ec.message());
            auto pause = std::make_shared<asio::steady_timer>(self->acceptor.get_executor(), std::chrono::milliseconds(100));
            pause->async_wait([self, pause](beast::error_code) { self->accept(); });
            return;
        }
        beast::error_code peer_ec;
        const std::string client = socket.remote_endpoint(peer_ec).address().to_string();
        socket.set_option(tcp::no_delay(true), peer_ec);
        std::string full;
        {
            std::lock_guard lock(self->mutex);
            if (self->stopping) full = "the server is stopping";
            else if (self->sessions.size() >= self->o.max_connections) full = "the server has as many connections as it takes; try again";
            else if (self->per_client[client] >= self->o.max_connections_per_client)
                full = "this address has as many connections open as the server takes from one client; close some";
        }
        if (!full.empty()) {
            self->refuse_connection(socket, full);
        } else {
            auto session = std::make_shared<Session>(self, std::move(socket), client);
            {
                std::lock_guard lock(self->mutex);
                self->sessions[session.get()] = session;
                ++self->per_client[client];
            }
            // Started on its own strand, as everything the session does.
            asio::dispatch(session->get_executor(), [session] { session->start(); });
        }
        self->accept();
    });
}

void Server::Impl::ended(Session* session, const std::string& client) {
    {
        std::lock_guard lock(mutex);
        sessions.erase(session);
        if (const auto it = per_client.find(client); it != per_client.end() && --it->second == 0) per_client.erase(it);
        if (session->counted_stream_) --streams;
    }
    changed.notify_all();
}

Server::Server(ServerOptions options, std::vector<Route> routes) : impl_(std::make_unique<Impl>()) {
    impl_->o = std::move(options);
    impl_->routes = std::move(routes);
    impl_->handlers = std::make_unique<asio::thread_pool>(std::max<std::size_t>(1, impl_->o.handler_threads));
}

Server::~Server() {
    stop();
    impl_->handlers->join();
}

int Server::bind() {
    auto& o = impl_->o;
    // Each connection is a descriptor: as many as this process may have.
    ::rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    beast::error_code ec;
    const auto address = asio::ip::make_address(o.host, ec);
    const auto fail = [&](const std::string& why) {
        throw IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (" + why +
                      "); give another with --listen HOST:PORT");
    };
    if (ec) fail("not an IP address");
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (ec) fail(ec == asio::error::address_in_use ? "in use" : "not an address of this machine");
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail(ec.message());
    return acceptor.local_endpoint().port();
}

void Server::run() {
    auto& impl = *impl_;
    {
        std::lock_guard lock(impl.mutex);
        if (impl.stopping) return;
    }
    auto work = asio::make_work_guard(impl.ioc);
    impl.accept();
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, impl.o.io_threads); ++i)
        threads.emplace_back([&impl] {
            // What escapes a handler on the loop is told and the loop goes on: one request's
            // failure never stops the server.
            for (;;) {
                try {
                    impl.ioc.run();
                    return;
                } catch (const std::exception& e) {
                    impl.log(std::string("dramaloc serve: internal error on the event loop: ") + e.what());
                }
            }
        });
    {
        std::unique_lock lock(impl.mutex);
        impl.changed.wait(lock, [&] { return impl.stopping; });
        // Answers under way finish, streams end: at most shutdown_grace.
        impl.changed.wait_for(lock, impl.o.shutdown_grace, [&] { return impl.sessions.empty(); });
    }
    work.reset();
    impl.ioc.stop();
    for (auto& t : threads) t.join();
}

void Server::stop() {
    auto& impl = *impl_;
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(impl.mutex);
        if (impl.stopping) return;
        impl.stopping = true;
        for (auto& [key, weak] : impl.sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    impl.changed.notify_all();
    asio::post(impl.acceptor.get_executor(), [self = impl_.get()] {
        beast::error_code ec;
        self->acceptor.close(ec);
    });
    for (auto& s : live) {
        // Through the session's own strand (a Session's stream is its executor).
        asio::post(s->get_executor(), [s] { s->on_stop(); });
    }
}

void Server::notify_streams() {
    auto& impl = *impl_;
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(impl.mutex);
        for (auto& [key, weak] : impl.sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) asio::post(s->get_executor(), [s] { s->on_notify(); });
}

Server::Stats Server::stats() const {
    std::lock_guard lock(impl_->mutex);
    return {impl_->sessions.size(), impl_->streams};
}

}  // namespace dramaloc::server::http
