// The review station's HTTP server (server/http.hpp) on loopback, spoken to byte by byte: what
// a hostile or broken client does to it, and what it must never do back.
#include "server/http.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "support/test_support.hpp"

using namespace dramaloc::server::http;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

TEST(HttpRoutes, ParametersAreDecodedAfterTheSplitAndTheMethodMatters) {
    std::vector<Route> routes = {{"GET", "/api/series/{series}/episodes", BodyKind::None, {}},
                                 {"PUT", "/api/series/{series}/episodes", BodyKind::Json, {}}};
    std::vector<std::string> params, allowed;
    const Route* r = match_route(routes, "GET", "/api/series/..%2F..%2Fetc/episodes", params);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(params, std::vector<std::string>{"../../etc"}) << "a %2F stays inside its segment";
    EXPECT_EQ(match_route(routes, "PUT", "/api/series/a/episodes", params), &routes[1]);
    EXPECT_EQ(match_route(routes, "GET", "/api/series//episodes", params), nullptr) << "an empty parameter";
    EXPECT_EQ(match_route(routes, "GET", "/api/series/a%00b/episodes", params), nullptr) << "a NUL";
    EXPECT_EQ(match_route(routes, "GET", "/api/series/a%zz/episodes", params), nullptr) << "a bad escape";
    EXPECT_EQ(match_route(routes, "DELETE", "/api/series/a/episodes", params, &allowed), nullptr);
    EXPECT_EQ(allowed, (std::vector<std::string>{"GET", "PUT"}));
}

TEST(HttpRoutes, PercentDecodingRefusesControlCharactersAndTruncatedEscapes) {
    EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
    EXPECT_EQ(percent_decode("a%20b+c", false), "a b+c");
    EXPECT_EQ(percent_decode("%E4%BD%A0", false), "\xE4\xBD\xA0");
    EXPECT_FALSE(percent_decode("%4", false));
    EXPECT_FALSE(percent_decode("%", false));
    EXPECT_FALSE(percent_decode("a%0Ab", false));
    EXPECT_FALSE(percent_decode("a%7Fb", false));
    EXPECT_FALSE(percent_decode(std::string_view("a\0b", 3), false));
    EXPECT_FALSE(percent_decode("%FF%FE", false)) << "not UTF-8";
}

TEST(HttpRoutes, OneByteRangeIsClampedAndAnythingElseIsRefused) {
    using P = std::pair<std::uint64_t, std::uint64_t>;
    EXPECT_EQ(byte_range("", 100), (P{0, 100}));
    EXPECT_EQ(byte_range("bytes=0-9", 100), (P{0, 10}));
    EXPECT_EQ(byte_range("bytes=90-200", 100), (P{90, 10}));
    EXPECT_EQ(byte_range("bytes=50-", 100), (P{50, 50}));
    EXPECT_EQ(byte_range("bytes=-10", 100), (P{90, 10}));
    EXPECT_EQ(byte_range("bytes=-500", 100), (P{0, 100}));
    EXPECT_FALSE(byte_range("bytes=100-", 100));
    EXPECT_FALSE(byte_range("bytes=0-1,5-6", 100));
    EXPECT_FALSE(byte_range("bytes=9-1", 100));
    EXPECT_FALSE(byte_range("bytes=-0", 100));
    EXPECT_FALSE(byte_range("items=0-1", 100));
    EXPECT_FALSE(byte_range("bytes=99999999999999999999999-", 100));
}

// A connection to the server under test, spoken to with raw bytes.
class Raw {
public:
    explicit Raw(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        timeval t{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
    }
    ~Raw() { ::close(fd_); }
    bool connected() const { return connected_; }
    bool send(const std::string& data) { return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()); }
    // Everything until the server closes (or `limit` passes): what came, and whether it closed.
    std::pair<std::string, bool> read_to_close(std::chrono::milliseconds limit = 10s) {
        std::string got;
        const auto until = std::chrono::steady_clock::now() + limit;
        char buffer[8192];
        while (std::chrono::steady_clock::now() < until) {
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n == 0) return {got, true};
            if (n < 0) return {got, errno == ECONNRESET};
            got.append(buffer, static_cast<std::size_t>(n));
        }
        return {got, false};
    }
    // What has come until `text` has (or the timeout).
    std::string read_until(const std::string& text) {
        std::string got;
        char buffer[8192];
        while (got.find(text) == std::string::npos) {
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            got.append(buffer, static_cast<std::size_t>(n));
        }
        return got;
    }

private:
    int fd_;
    bool connected_ = false;
};

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// A server with a few routes: an echo of a JSON body, a slow answer, an event stream.
class HttpServer : public ::testing::Test {
protected:
    void start(ServerOptions o) {
        o.port = 0;
        std::vector<Route> routes = {
            {"GET", "/hello", BodyKind::None, [this](Request&) {
                 ++hellos_;
                 return Response::json({{"hello", true}});
             }},
            {"PUT", "/echo", BodyKind::Json, [](Request& req) { return Response::json({{"got", req.body.size()}}); }},
            {"GET", "/slow", BodyKind::None, [](Request&) {
                 std::this_thread::sleep_for(600ms);
                 return Response::json({{"slow", true}});
             }},
            {"GET", "/events", BodyKind::None, [this](Request&) {
                 Response r;
                 auto feed = std::make_shared<EventFeed>();
                 feed->first = "retry: 1000\n\n";
                 feed->more = [this]() -> std::optional<std::string> {
                     const int n = news_.load();
                     return n > 0 ? "data: " + std::to_string(n) + "\n\n" : "";
                 };
                 r.events = feed;
                 return r;
             }},
            {"PUT", "/upload", BodyKind::Upload, [](Request& req) { return Response::json({{"bytes", req.body_bytes}}); },
             [this](Request&) { return dir_.path() / ".upload"; }},
        };
        server_ = std::make_unique<Server>(std::move(o), std::move(routes));
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->run(); });
    }
    void TearDown() override {
        if (server_) server_->stop();
        if (thread_.joinable()) thread_.join();
    }

    dramaloc::test::TempDir dir_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
    int port_ = 0;
    std::atomic<int> hellos_{0}, news_{0};
};

TEST_F(HttpServer, ARefusedBodyIsNeverReadAsTheNextRequest) {
    ServerOptions o;
    o.max_body_bytes = 1024;
    start(o);
    // A body over the limit whose bytes are a request of their own (as a proxy pooling
    // connections would pass on): the answer is one 413, then the connection closes.
    const std::string smuggled = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string body = smuggled;
    while (body.size() < 4096) body += smuggled;
    Raw c(port_);
    ASSERT_TRUE(c.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\n\r\n" + body));
    const auto [answer, closed] = c.read_to_close();
    EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0u) << answer;
    EXPECT_EQ(count(answer, "HTTP/1.1 "), 1) << answer;
    EXPECT_TRUE(closed) << "the connection is closed after a refused body";
    EXPECT_EQ(hellos_.load(), 0) << "no smuggled request was served";

    // The same for a request refused before its body for another reason (an unknown route,
    // the wrong type): its body is not read as a request either.
    for (const std::string head : {"PUT /nowhere HTTP/1.1\r\n", "PUT /echo HTTP/1.1\r\nContent-Type: text/plain\r\n"}) {
        Raw d(port_);
        ASSERT_TRUE(d.send(head + "Host: x\r\nContent-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled));
        const auto [text, shut] = d.read_to_close();
        EXPECT_EQ(count(text, "HTTP/1.1 "), 1) << text;
        EXPECT_TRUE(shut) << text;
    }
    EXPECT_EQ(hellos_.load(), 0);
    // A transfer coding the server does not frame (gzip, "chunked, gzip"), before or after a
    // Content-Length, is refused and closes: its body is not read as a request either.
    for (const std::string framing : {"Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, gzip\r\n",
                                      "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n", "Transfer-Encoding: identity\r\n"}) {
        Raw t(port_);
        ASSERT_TRUE(t.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + framing + "\r\n" + smuggled));
        const auto [text, shut] = t.read_to_close();
        EXPECT_EQ(count(text, "HTTP/1.1 "), 1) << framing << text;
        EXPECT_TRUE(shut) << framing;
        Raw g(port_);  // the same on a route that takes no body
        ASSERT_TRUE(g.send("GET /hello HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled));
        const auto [got, closed_too] = g.read_to_close();
        EXPECT_EQ(count(got, "HTTP/1.1 "), 1) << framing << got;
        EXPECT_TRUE(closed_too) << framing;
    }
    EXPECT_EQ(hellos_.load(), 0);
    // Two bodies' framings at once (Content-Length and chunked) are refused, not guessed at.
    Raw e(port_);
    ASSERT_TRUE(e.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "0\r\n\r\n" + smuggled));
    const auto [both, both_closed] = e.read_to_close();
    EXPECT_EQ(count(both, "HTTP/1.1 "), 1) << both;
    EXPECT_TRUE(both_closed);
    EXPECT_EQ(hellos_.load(), 0);
}

TEST_F(HttpServer, MalformedRequestsAreFourHundredsWithAReason) {
    ServerOptions o;
    o.max_target_bytes = 256;
    o.max_header_bytes = 2048;
    start(o);
    const auto status_of = [&](const std::string& request) {
        Raw c(port_);
        c.send(request);
        return c.read_until("\r\n\r\n").substr(0, 12);
    };
    EXPECT_EQ(status_of("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n"), "HTTP/1.1 400");
    EXPECT_EQ(status_of("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n"), "HTTP/1.1 411");
    EXPECT_EQ(status_of("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}"), "HTTP/1.1 415");
    EXPECT_EQ(status_of("GET /hello?q=a%00b HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 400");
    EXPECT_EQ(status_of("GET /" + std::string(300, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 414");
    EXPECT_EQ(status_of("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n"), "HTTP/1.1 431");
    EXPECT_EQ(status_of("DELETE /echo HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 405");
    EXPECT_EQ(status_of("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 404");
    EXPECT_EQ(status_of("NONSENSE\r\n\r\n"), "HTTP/1.1 400");
}

TEST_F(HttpServer, EveryAnswerCarriesTheSecurityHeaders) {
    start({});
    for (const std::string request : {"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                      "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}) {
        Raw c(port_);
        c.send(request);
        const auto [answer, closed] = c.read_to_close();
        for (const char* header : {"X-Content-Type-Options: nosniff", "Cache-Control: no-store", "Referrer-Policy: no-referrer",
                                   "Content-Security-Policy: default-src 'none'"})
            EXPECT_NE(answer.find(header), std::string::npos) << header << "\n" << answer;
    }
}

TEST_F(HttpServer, SlowAndIdleClientsAreCutOffAndHoldNoThread) {
    ServerOptions o;
    o.handler_threads = 1;
    o.header_timeout = 500ms;
    o.idle_timeout = 500ms;
    o.body_timeout = 500ms;
    start(o);
    // A header sent a byte at a time is cut off at its deadline, well before it is done.
    Raw slow(port_);
    const std::string request = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    const auto began = std::chrono::steady_clock::now();
    bool cut = false;
    for (const char c : request) {
        if (!slow.send(std::string(1, c))) {
            cut = true;
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    const auto [answer, closed] = slow.read_to_close(3s);
    EXPECT_TRUE(cut || (closed && answer.empty())) << answer;
    EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
    // A body that never comes.
    Raw body(port_);
    body.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{");
    EXPECT_TRUE(body.read_to_close(3s).second) << "a body that stalls is cut off";
    // A kept-alive connection that says nothing more is closed after idle_timeout.
    Raw idle(port_);
    idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto [first, idle_closed] = idle.read_to_close(3s);
    EXPECT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first;
    EXPECT_TRUE(idle_closed);
    // Twenty silent connections and ten event streams do not keep the one handler thread
    // from answering.
    std::vector<std::unique_ptr<Raw>> silent, streams;
    for (int i = 0; i < 20; ++i) silent.push_back(std::make_unique<Raw>(port_));
    for (int i = 0; i < 10; ++i) {
        streams.push_back(std::make_unique<Raw>(port_));
        streams.back()->send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_NE(streams.back()->read_until("retry: 1000").find("text/event-stream"), std::string::npos);
    }
    Raw reader(port_);
    reader.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(reader.read_to_close(3s).first.rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(server_->stats().streams, 10u);
    // News reaches every stream.
    news_ = 7;
    server_->notify_streams();
    for (auto& s : streams) EXPECT_NE(s->read_until("data: 7").find("data: 7"), std::string::npos);
}

TEST_F(HttpServer, ConnectionsAreCappedInAllAndPerClient) {
    ServerOptions o;
    o.max_connections_per_client = 3;
    start(o);
    std::vector<std::unique_ptr<Raw>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<Raw>(port_));
        open.back()->send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_EQ(open.back()->read_until("}").rfind("HTTP/1.1 200", 0), 0u);
    }
    Raw fourth(port_);
    const auto [answer, closed] = fourth.read_to_close(3s);
    EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
    EXPECT_TRUE(closed);
    open.pop_back();  // one closes: room again
    std::this_thread::sleep_for(200ms);
    Raw again(port_);
    again.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(again.read_to_close(3s).first.rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(HttpServer, AnUploadStreamsToItsFileWhichIsGoneAfterwardsAndAnIncompleteOneLeavesNothing) {
    ServerOptions o;
    o.max_upload_bytes = 1 << 20;
    o.body_timeout = 500ms;
    start(o);
    const std::string body(300 * 1024, 'v');
    Raw c(port_);
    c.send("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    const auto [answer, closed] = c.read_to_close();
    EXPECT_NE(answer.find("{\"bytes\":307200}"), std::string::npos) << answer;
    EXPECT_FALSE(fs::exists(dir_.path() / ".upload"));
    Raw cut(port_);
    cut.send("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(5000, 'v'));
    EXPECT_TRUE(cut.read_to_close(3s).second);
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(fs::exists(dir_.path() / ".upload")) << "an upload cut off leaves nothing";
    Raw big(port_);
    big.send("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n");
    EXPECT_EQ(big.read_to_close(3s).first.rfind("HTTP/1.1 413", 0), 0u);
}

TEST_F(HttpServer, StopFinishesAnswersUnderWayEndsStreamsAndReturnsWithinTheGrace) {
    start({});
    Raw stream(port_);
    stream.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.read_until("retry: 1000");
    Raw slow(port_);
    slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    Raw idle(port_);
    std::this_thread::sleep_for(100ms);  // the slow request is under way
    const auto began = std::chrono::steady_clock::now();
    server_->stop();
    const auto [answer, closed] = slow.read_to_close(5s);
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << "the answer under way is finished: " << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(closed);
    const auto [rest, stream_closed] = stream.read_to_close(5s);
    EXPECT_NE(rest.find("0\r\n\r\n"), std::string::npos) << "the stream ends with its last chunk: " << rest;
    EXPECT_TRUE(stream_closed);
    EXPECT_TRUE(idle.read_to_close(5s).second);
    thread_.join();
    EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
    EXPECT_FALSE(Raw(port_).connected()) << "no longer accepting";
}

}  // namespace
