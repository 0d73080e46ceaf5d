// `dramaloc serve`: the review station's JSON API over a series that ran, with tokens made
// by `dramaloc token create`, on loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "server/review_server.hpp"
#include "support/sample_episode.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string server_dir;  // the test's folder: no answer may show it

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// A series of one episode (its lines imported, so they are known) that has run into es, and
// a server over it on a free port of 127.0.0.1.
class Serve : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const fs::path d = dir_->path();
        server_dir = d.string();
        sample_episode(d / "episodes" / "ep1.mp4", 8, 2);
        // A content policy pack that notes a word of the source (the test of blocking adds its own).
        write_file(d / "policy" / "notes.toml", "[pack]\nname = \"notes\"\nversion = \"1\"\nlanguages = [\"en\"]\n\n"
                                                "[[term]]\ntext = \"house\"\nseverity = \"note\"\n");
        write_file(d / "scripts" / "ep1.srt", "1\n00:00:00,500 --> 00:00:02,000\nGood morning.\n\n"
                                              "2\n00:00:02,800 --> 00:00:04,600\nWhere is the station?\n\n"
                                              "3\n00:00:05,200 --> 00:00:07,000\nThe house is big.\n");
        write_file(d / "drama.toml", "[series]\nfrom = \"en\"\nto = [\"es\"]\nepisodes = [\"episodes/ep*.mp4\"]\n"
                                     "source = \"srt:scripts/{episode}.srt\"\nout = \"out\"\npolicy = [\"policy/*.toml\"]\n\n"
                                     // a character of the series who does not speak in ep1 (a low voice; the sample's is high)
                                     "[cast.ben]\nname = \"Ben\"\npitch_hz = 90\nregister = \"low\"\n");
        const auto r = run_dramaloc({"run", (d / "drama.toml").string(), "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        for (const auto* role : {"viewer", "editor", "admin"}) {
            const auto t = run_dramaloc({"token", "create", (d / "drama.toml").string(), "--role", role, "--label", std::string("ana-") + role});
            ASSERT_EQ(t.exit_code, 0) << t.err;
            tokens_[role] = trimmed(t.out);
            ASSERT_EQ(tokens_[role].rfind("dlt_", 0), 0u) << t.out;
        }
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    void SetUp() override {
        server::ServeOptions o;
        o.series_files = {dir_->path() / "drama.toml"};
        o.port = 0;
        o.max_body_bytes = 64 * 1024;
        o.max_upload_bytes = 2 << 20;
        o.threads_per_render = 2;
        server_ = std::make_unique<server::ReviewServer>(o);
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->run(); });
    }
    void TearDown() override {
        server_->stop();
        thread_.join();
        server_.reset();
    }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(60, 0);
        return c;
    }
    static httplib::Headers auth(const std::string& role) { return {{"Authorization", "Bearer " + tokens_.at(role)}}; }

    // Each es line's synthesis key ("es/line 2" -> key), as ep1's last publish recorded it.
    static std::map<std::string, std::string> synthesis_keys() {
        std::map<std::string, std::string> keys;
        const json manifest = json::parse(read_file(dir_->path() / "out" / "ep1" / "manifest.json"));
        for (const auto& stage : manifest["run"]["stages"])
            if (stage["stage"] == "synthesize") keys[stage["scope"].get<std::string>()] = stage["key"].get<std::string>();
        return keys;
    }

    static inline TempDir* dir_ = nullptr;
    static inline std::map<std::string, std::string> tokens_;
    std::unique_ptr<server::ReviewServer> server_;
    int port_ = 0;
    std::thread thread_;
};

const std::string kLines = "/api/series/drama/episodes/ep1/languages/es/lines";

json body_of(const httplib::Result& r) { return r ? json::parse(r->body, nullptr, false) : json(); }

// Waits for the episode's background render to end; what it ended as, and the lines then.
std::pair<std::string, json> wait_render(httplib::Client& c, const httplib::Headers& auth) {
    const auto started = std::chrono::steady_clock::now();
    json now;
    std::string render;
    while (std::chrono::steady_clock::now() - started < std::chrono::seconds(120)) {
        now = json::parse(c.Get(kLines.c_str(), auth)->body);
        render = now.value("render", json()).is_string() ? now["render"].get<std::string>() : "";
        if (render != "queued" && render != "rendering") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return {render, now};
}

// Sends `request` as is on a new connection to 127.0.0.1:port and returns what comes back
// within 5 s (until the server closes or has sent a whole answer's head and a pause).
std::string raw_exchange(int port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return "";
    }
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
        ::close(fd);
        return "";
    }
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
        answer.append(buffer, static_cast<std::size_t>(n));
        if (answer.find("}") != std::string::npos) break;  // a problem's body ends with its object
    }
    ::close(fd);
    return answer;
}

void expect_problem(const httplib::Result& r, int status, const std::string& what) {
    ASSERT_TRUE(r) << what << ": no answer";
    EXPECT_EQ(r->status, status) << what << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << what;
    const json p = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(p.is_object()) << what << ": " << r->body;
    EXPECT_EQ(p.value("status", 0), status) << what;
    EXPECT_FALSE(p.value("detail", "").empty()) << what;
    EXPECT_EQ(r->body.find(server_dir), std::string::npos) << what << ": no server paths in errors";
    EXPECT_EQ(r->body.find(".json"), std::string::npos) << what << ": no server files in errors";
}

}  // namespace

TEST_F(Serve, EveryRouteRefusesAMissingOrUnknownTokenAndTheWrongRole) {
    auto c = client();
    auto health = c.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    struct Call {
        std::string method, path, role;  // role: the least one allowed
    };
    const std::string episode = "/api/series/drama/episodes/ep1";
    const std::vector<Call> calls = {
        {"GET", "/api/series", "viewer"},
        {"GET", "/api/series/drama/episodes", "viewer"},
        {"GET", kLines, "viewer"},
        {"GET", episode + "/files/ep1.es.vtt", "viewer"},
        {"GET", episode + "/source", "viewer"},
        {"GET", "/api/series/drama/events", "viewer"},
        {"PUT", kLines + "/2", "editor"},
        {"POST", kLines + "/2/redub", "editor"},
        {"PUT", kLines + "/2/speaker", "editor"},
        {"POST", episode + "/languages/es/review", "editor"},
        {"PUT", episode + "/source", "admin"},
        {"GET", "/api/search?q=station", "viewer"},
        {"POST", episode + "/languages/es/findings/0123", "editor"},
        {"GET", "/api/series/drama/board", "viewer"},
        {"GET", "/api/series/drama/people", "viewer"},
        {"PUT", "/api/series/drama/people/zoe", "admin"},
        {"DELETE", "/api/series/drama/people/zoe", "admin"},
        {"GET", "/api/series/drama/assignments", "viewer"},
        {"POST", "/api/series/drama/assignments", "admin"},
        {"PATCH", "/api/series/drama/assignments/1", "admin"},
        {"DELETE", "/api/series/drama/assignments/1", "admin"},
    };
    const std::vector<std::string> roles = {"viewer", "editor", "admin"};
    const auto send = [&](const Call& call, const httplib::Headers& headers) {
        if (call.method == "GET") return c.Get(call.path.c_str(), headers);
        if (call.method == "PUT") return c.Put(call.path.c_str(), headers, "{}", "application/json");
        if (call.method == "PATCH") return c.Patch(call.path.c_str(), headers, "{}", "application/json");
        if (call.method == "DELETE") return c.Delete(call.path.c_str(), headers);
        return c.Post(call.path.c_str(), headers, "{}", "application/json");
    };
    for (const auto& call : calls) {
        const std::string what = call.method + " " + call.path;
        expect_problem(send(call, {}), 401, what + " without a token");
        expect_problem(send(call, {{"Authorization", "Bearer dlt_0000"}}), 401, what + " with an unknown token");
        expect_problem(send(call, {{"Authorization", "Basic " + tokens_.at("admin")}}), 401, what + " with the token in another scheme");
        for (const auto& role : roles) {
            if (role == call.role) break;
            expect_problem(send(call, auth(role)), 403, what + " as " + role);
        }
        if (call.method != "GET") {  // a change made with the page's session comes from the page (its Origin)
            const std::string cookie = "dramaloc_session=" + tokens_.at("admin");
            expect_problem(send(call, {{"Cookie", cookie}}), 403, what + " with the session cookie and no Origin");
            expect_problem(send(call, {{"Cookie", cookie}, {"Origin", "http://evil.example"}}), 403, what + " from another site");
            const auto own = send(call, {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(port_)}});
            ASSERT_TRUE(own);
            EXPECT_NE(own->status, 401) << what;
            EXPECT_NE(own->status, 403) << what << " from the page itself: " << own->body;
        }
    }
    for (const auto& path : {std::string("/api/series"), kLines, episode + "/files/ep1.es.vtt"}) {
        const auto ok = c.Get(path.c_str(), auth("viewer"));
        ASSERT_TRUE(ok);
        EXPECT_EQ(ok->status, 200) << path << ": " << ok->body;
        const auto lower = c.Get(path.c_str(), {{"Authorization", "bearer " + tokens_.at("viewer")}});
        EXPECT_EQ(lower->status, 200) << "the scheme's name is case-insensitive";
        const auto cookie = c.Get(path.c_str(), {{"Cookie", "theme=dark; dramaloc_session=" + tokens_.at("viewer")}});
        EXPECT_EQ(cookie->status, 200) << path << ": the page (and its media elements) read with the session cookie";
    }
    // Every route the server has is one of these, /api/health or signing in and out (the
    // OpenAPI test checks the file has them).
    EXPECT_EQ(server::ReviewServer::routes().size(), calls.size() + 4);
}

TEST_F(Serve, LinesCarryTheirTextsAndAnEditAgainstAnOldRevisionIsRefusedWithTheCurrentText) {
    auto c = client();
    const json lines = body_of(c.Get(kLines.c_str(), auth("viewer")));
    ASSERT_TRUE(lines.contains("lines")) << lines;
    ASSERT_EQ(lines["lines"].size(), 3u) << lines;
    const json line2 = lines["lines"][1];
    EXPECT_EQ(line2["id"], 2);
    EXPECT_EQ(line2["source"], "Where is the station?");
    EXPECT_EQ(line2["start_ms"], 2800);
    EXPECT_EQ(line2["end_ms"], 4600);
    EXPECT_FALSE(line2["text"].get<std::string>().empty());
    EXPECT_NE(line2["text"], line2["source"]) << "translated";
    EXPECT_EQ(line2["revision"], 0);
    EXPECT_EQ(line2["stale"], false);
    EXPECT_TRUE(line2["qc"].is_array());
    // Which engines made the episode, in the pipeline's order, as the run said (its manifest).
    json stages = json::array();
    for (const auto& e : lines["engines"]) stages.push_back(e["stage"]);
    EXPECT_EQ(stages, json({"vad", "asr", "ocr", "speakers", "translate", "tts"})) << lines["engines"];
    EXPECT_EQ(lines["engines"][4]["identity"], "apertium (embedded)") << lines["engines"];

    // Ana edits line 2 against revision 0; Ben, who also saw revision 0, is refused.
    const std::string edit = kLines + "/2";
    auto r = c.Put(edit.c_str(), auth("editor"), R"({"text": "¿Dónde queda la estación de tren?", "revision": 0})", "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body_of(r)["line"]["revision"], 1);
    EXPECT_EQ(body_of(r)["changed"], true);
    r = c.Put(edit.c_str(), auth("admin"), R"({"text": "¿Dónde está la estación?", "revision": 0})", "application/json");
    expect_problem(r, 409, "an edit against revision 0 after revision 1");
    EXPECT_EQ(body_of(r)["current"]["text"], "¿Dónde queda la estación de tren?");
    EXPECT_EQ(body_of(r)["current"]["revision"], 1);

    const json whole = body_of(c.Get(kLines.c_str(), auth("viewer")));
    json now = whole["lines"][1];
    EXPECT_EQ(now["text"], "¿Dónde queda la estación de tren?");
    EXPECT_EQ(now["revision"], 1);
    ASSERT_EQ(now["history"].size(), 1u);
    EXPECT_EQ(now["history"][0]["who"], "ana-editor");
    EXPECT_EQ(now["history"][0]["via"], "api");

    // The episode is rendered again in the background; until then its outputs are stale.
    if (whole["render"] == "queued" || whole["render"] == "rendering") {
        EXPECT_EQ(now["stale"], true) << whole;
    }
    std::string render;
    std::tie(render, now) = wait_render(c, auth("viewer"));
    EXPECT_EQ(render, "done") << now;
    EXPECT_EQ(now["lines"][1]["stale"], false) << now["lines"][1];
    EXPECT_NE(read_file(dir_->path() / "out" / "ep1" / "ep1.es.srt").find("estación de tren"), std::string::npos);
    // The same text again changes nothing.
    r = c.Put(edit.c_str(), auth("editor"), R"({"text": "¿Dónde queda la estación de tren?", "revision": 1})", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(body_of(r)["changed"], false);
}

TEST_F(Serve, ATextSetBackAndARevertAreRenderedToo) {
    auto c = client();
    const std::string edit = kLines + "/3";
    const std::string srt = (dir_->path() / "out" / "ep1" / "ep1.es.srt").string();
    const std::string machine = body_of(c.Get(kLines.c_str(), auth("viewer")))["lines"][2]["machine"];
    int revision = 0;
    // A, B, then A again: the third is the state of the first, and must be rendered all the same.
    for (const std::string text : {"La casa es enorme.", "La casa es inmensa.", "La casa es enorme."}) {
        const auto r = c.Put(edit.c_str(), auth("editor"), json{{"text", text}, {"revision", revision}}.dump(), "application/json");
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200) << r->body;
        ++revision;
        const auto [render, now] = wait_render(c, auth("viewer"));
        EXPECT_EQ(render, "done") << text;
        EXPECT_NE(read_file(srt).find(text), std::string::npos) << text << " is in the subtitles";
        EXPECT_EQ(now["lines"][2]["stale"], false);
    }
    // Revert: the machine translation is in force at once, and rendered.
    auto r = c.Put(edit.c_str(), auth("editor"), json{{"revert", true}, {"revision", revision}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body_of(r)["line"]["text"], machine);
    const auto [render, now] = wait_render(c, auth("viewer"));
    EXPECT_EQ(render, "done");
    EXPECT_EQ(now["lines"][2]["text"], machine);
    EXPECT_EQ(now["lines"][2]["revision"], revision + 1);
    EXPECT_EQ(read_file(srt).find("La casa es enorme."), std::string::npos) << "the edit is gone from the subtitles";
    r = c.Put(edit.c_str(), auth("editor"), json{{"revert", "yes"}, {"revision", revision + 1}}.dump(), "application/json");
    expect_problem(r, 400, "revert that is not a boolean");
}

TEST_F(Serve, AnApprovalNamesTheRevisionsSeenAndALaterEditWithdrawsIt) {
    auto c = client();
    const std::string review = "/api/series/drama/episodes/ep1/languages/es/review";
    const auto revisions = [&] {
        json r = json::object();
        const json lines = body_of(c.Get(kLines.c_str(), auth("viewer")));
        for (const auto& line : lines["lines"]) r[std::to_string(line["id"].get<int>())] = line["revision"];
        return r;
    };
    EXPECT_TRUE(body_of(c.Get(kLines.c_str(), auth("viewer")))["review"].is_null());
    const json seen = revisions();
    expect_problem(c.Post(review.c_str(), auth("editor"), json{{"decision", "rejected"}, {"revisions", seen}}.dump(), "application/json"),
                   400, "a rejection without a comment");
    expect_problem(c.Post(review.c_str(), auth("editor"), json{{"decision", "fine"}, {"revisions", seen}}.dump(), "application/json"),
                   400, "an unknown decision");
    expect_problem(c.Post(review.c_str(), auth("editor"), json{{"decision", "approved"}, {"revisions", {{"1", 0}}}}.dump(), "application/json"),
                   400, "an approval that does not cover every line");
    auto r = c.Post(review.c_str(), auth("editor"), json{{"decision", "approved"}, {"comment", "ok"}, {"revisions", seen}}.dump(),
                    "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    json now = body_of(c.Get(kLines.c_str(), auth("viewer")))["review"];
    EXPECT_EQ(now["decision"], "approved");
    EXPECT_EQ(now["who"], "ana-editor");
    EXPECT_EQ(now["stands"], true);

    // An edit after it withdraws it; approving what was seen before the edit is refused.
    r = c.Put((kLines + "/1").c_str(), auth("editor"), R"({"text": "Buenos días a todos.", "revision": 0})", "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    now = body_of(c.Get(kLines.c_str(), auth("viewer")))["review"];
    EXPECT_EQ(now["decision"], "approved");
    EXPECT_EQ(now["stands"], false) << "withdrawn by the edit of line 1";
    wait_render(c, auth("viewer"));
    r = c.Post(review.c_str(), auth("editor"), json{{"decision", "approved"}, {"revisions", seen}}.dump(), "application/json");
    expect_problem(r, 409, "an approval of revisions an edit has replaced");
    EXPECT_EQ(body_of(r)["line"], 1);
    EXPECT_EQ(body_of(r)["revision"], 1);
    r = c.Post(review.c_str(), auth("admin"), json{{"decision", "rejected"}, {"comment", "line 2 too long"}, {"revisions", revisions()}}.dump(),
               "application/json");
    ASSERT_EQ(r->status, 201) << r->body;
    now = body_of(c.Get(kLines.c_str(), auth("viewer")))["review"];
    EXPECT_EQ(now["decision"], "rejected");
    EXPECT_EQ(now["comment"], "line 2 too long");
    EXPECT_EQ(json::parse(read_file(dir_->path() / "out" / "reviews.json"))["reviews"].size(), 2u) << "both kept";
    wait_render(c, auth("viewer"));
}

TEST_F(Serve, AnEpisodeWithAnEditNotRenderedYetCannotBeApproved) {
    // A second server that records edits but does not render them (as when renders queue up).
    server::ServeOptions o;
    o.series_files = {dir_->path() / "drama.toml"};
    o.port = 0;
    o.render_edits = false;
    server::ReviewServer lazy(o);
    const int port = lazy.bind();
    std::thread serving([&] { lazy.run(); });
    httplib::Client c("127.0.0.1", port);
    const json before = body_of(c.Get(kLines.c_str(), auth("viewer")));
    const int revision = before["lines"][2]["revision"].get<int>();
    auto r = c.Put((kLines + "/3").c_str(), auth("editor"), json{{"text", "La casa es grande y vieja."}, {"revision", revision}}.dump(),
                   "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    json seen = json::object();
    const json now = body_of(c.Get(kLines.c_str(), auth("viewer")));  // kept: a range-for over a temporary's member dangles
    for (const auto& line : now["lines"]) seen[std::to_string(line["id"].get<int>())] = line["revision"];
    r = c.Post("/api/series/drama/episodes/ep1/languages/es/review", auth("editor"),
               json{{"decision", "approved"}, {"revisions", seen}}.dump(), "application/json");
    expect_problem(r, 409, "an approval while an edit is not in the outputs");
    EXPECT_EQ(body_of(r)["stale_lines"], 1);
    // A rejection need not wait: saying what to fix is what a failed render needs.
    r = c.Post("/api/series/drama/episodes/ep1/languages/es/review", auth("editor"),
               json{{"decision", "rejected"}, {"comment", "line 3 reads badly"}, {"revisions", seen}}.dump(), "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
    lazy.stop();
    serving.join();
    // Set back through the fixture's server, which renders it: later tests start clean.
    auto fixture = client();
    r = fixture.Put((kLines + "/3").c_str(), auth("editor"), json{{"revert", true}, {"revision", revision + 1}}.dump(), "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(wait_render(fixture, auth("viewer")).first, "done");
}

TEST_F(Serve, OutputsDownloadWithRangesAndNothingElseOfTheFolderDoes) {
    auto c = client();
    const fs::path folder = dir_->path() / "out" / "ep1";
    const std::string files = "/api/series/drama/episodes/ep1/files/";
    const json lines = body_of(c.Get(kLines.c_str(), auth("viewer")));
    ASSERT_TRUE(lines["media"]["dub"].is_string()) << lines["media"];
    EXPECT_EQ(lines["media"]["dub"].get<std::string>().rfind(files + "ep1.es.dub.wav?v=", 0), 0u) << lines["media"];
    EXPECT_EQ(lines["media"]["video"].get<std::string>().rfind(files + "ep1.localized.mp4?v=", 0), 0u) << lines["media"];
    EXPECT_EQ(lines["direction"], "ltr");
    EXPECT_GT(lines["rules"]["max_chars_per_second"].get<double>(), 0);

    const std::string dub = read_file(folder / "ep1.es.dub.wav");
    auto r = c.Get((files + "ep1.es.dub.wav").c_str(), auth("viewer"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), "audio/wav");
    EXPECT_EQ(r->get_header_value("Accept-Ranges"), "bytes");
    EXPECT_TRUE(r->body == dub) << "the whole file, byte for byte (" << r->body.size() << " of " << dub.size() << ")";
    httplib::Headers range = auth("viewer");
    range.emplace("Range", "bytes=1000-1999");
    r = c.Get((files + "ep1.es.dub.wav").c_str(), range);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 206);
    EXPECT_EQ(r->get_header_value("Content-Range"), "bytes 1000-1999/" + std::to_string(dub.size()));
    EXPECT_TRUE(r->body == dub.substr(1000, 1000)) << "the range asked for";
    const std::string video = read_file(folder / "ep1.localized.mp4");
    range = auth("viewer");
    range.emplace("Range", "bytes=" + std::to_string(video.size() - 100) + "-");
    r = c.Get((files + "ep1.localized.mp4").c_str(), range);
    EXPECT_EQ(r->status, 206);
    EXPECT_TRUE(r->body == video.substr(video.size() - 100)) << "an open-ended range: the end of the video";
    const std::string etag = r->get_header_value("ETag");
    EXPECT_FALSE(etag.empty());
    const auto ranged = [&](const std::string& value, const std::string& if_range = "") {
        httplib::Headers h = auth("viewer");
        h.emplace("Range", value);
        if (!if_range.empty()) h.emplace("If-Range", if_range);
        return c.Get((files + "ep1.localized.mp4").c_str(), h);
    };
    r = ranged("bytes=" + std::to_string(video.size() - 10) + "-" + std::to_string(video.size() + 5000));
    EXPECT_EQ(r->status, 206);
    EXPECT_EQ(r->get_header_value("Content-Range"),
              "bytes " + std::to_string(video.size() - 10) + "-" + std::to_string(video.size() - 1) + "/" + std::to_string(video.size()))
        << "an end past the file is the file's end";
    EXPECT_TRUE(r->body == video.substr(video.size() - 10));
    for (const std::string& bad : {"bytes=" + std::to_string(video.size()) + "-", std::string("bytes=0-9,20-29"), std::string("bytes=500-100")}) {
        r = ranged(bad);
        expect_problem(r, 416, "Range: " + bad);
        if (bad != "bytes=500-100") {  // malformed: cpp-httplib refuses it before the route
            EXPECT_EQ(r->get_header_value("Content-Range"), "bytes */" + std::to_string(video.size())) << bad;
        }
    }
    r = ranged("bytes=0-99", "\"another version\"");
    EXPECT_EQ(r->status, 200) << "If-Range of a replaced file: the whole file";
    EXPECT_EQ(r->body.size(), video.size());
    r = ranged("bytes=0-99", etag);
    EXPECT_EQ(r->status, 206) << "If-Range of this version: the range";
    {  // a problem is sent whole, whatever Range asked for
        httplib::Headers h = {{"Range", "bytes=5-9"}};
        expect_problem(c.Get((files + "ep1.es.vtt").c_str(), h), 401, "a ranged request without a token");
    }
    {  // a player that goes away mid-download: the server goes on
        httplib::Client gone("127.0.0.1", port_);
        std::size_t got = 0;
        const auto cut = gone.Get((files + "ep1.localized.mp4").c_str(), auth("viewer"), [&](const char*, std::size_t size) {
            got += size;
            return got < 8192;
        });
        EXPECT_FALSE(cut) << "the client stopped reading";
        EXPECT_GT(got, 0u);
    }
    EXPECT_EQ(c.Get("/api/health")->status, 200) << "the server survives";
    r = c.Get("/api/series/drama/episodes/ep1/source", auth("viewer"));
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->body == read_file(dir_->path() / "episodes" / "ep1.mp4")) << "the episode's own video";

    // Not media, hidden, a link out of the folder, a name that is a path: all unknown.
    fs::create_symlink("/etc/passwd", folder / "ep1.leak.srt");
    write_file(folder / ".ep1.es.vtt.tmp.vtt", "WEBVTT\n");
    for (const std::string name : {"manifest.json", "qc.json", "ep1.leak.srt", ".ep1.es.vtt.tmp.vtt", "..%2F..%2Fdrama.toml",
                                   "%2Fetc%2Fpasswd", "..", "ep1.fr.vtt"}) {
        const auto refused = c.Get((files + name).c_str(), auth("admin"));
        expect_problem(refused, 404, "GET files/" + name);
        EXPECT_EQ(refused->body.find("root:"), std::string::npos);
    }
    fs::remove(folder / "ep1.leak.srt");
    fs::remove(folder / ".ep1.es.vtt.tmp.vtt");
    expect_problem(c.Get("/api/series/drama/episodes/..%2Fepisodes%2Fep1/source", auth("admin")), 404, "a source that is a path");
}

TEST_F(Serve, AnUploadedVideoBecomesAnEpisodeAndAnythingElseIsRefusedWithNothingKept) {
    auto c = client();
    const fs::path episodes = dir_->path() / "episodes";
    const auto listing = [&] {
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(episodes)) names.insert(e.path().filename().string());
        return names;
    };
    const auto before = listing();
    const std::string upload = "/api/series/drama/episodes/ep2/source";
    expect_problem(c.Put(upload.c_str(), auth("admin"), std::string(4096, 'x'), "video/mp4"), 415, "text named a video");
    expect_problem(c.Put("/api/series/drama/episodes/show2/source", auth("admin"), read_file(episodes / "ep1.mp4"), "video/mp4"), 400,
                   "a name the series' pattern (ep*.mp4) does not take");
    expect_problem(c.Put("/api/series/drama/episodes/ep1/source", auth("admin"), read_file(episodes / "ep1.mp4"), "video/mp4"), 409,
                   "an episode that exists");
    expect_problem(c.Put("/api/series/drama/episodes/.ep3/source", auth("admin"), read_file(episodes / "ep1.mp4"), "video/mp4"), 400,
                   "a hidden name");
    sample_episode(dir_->path() / "audio-only.wav.mp4", 5, 3);
    {
        // An audio file in an MP4 box is media, but not an episode.
        const fs::path audio = dir_->path() / "audio.m4a";
        ASSERT_EQ(std::system(("ffmpeg -v error -y -i " + (dir_->path() / "audio-only.wav.mp4").string() + " -vn -c:a copy " + audio.string()).c_str()), 0);
        expect_problem(c.Put(upload.c_str(), auth("admin"), read_file(audio), "video/mp4"), 415, "a file with no video stream");
    }
    // Larger than the server's limit (the fixture's: 2 MiB): refused before it is read, on the
    // size it announces (the answer comes before any of the body is sent; a client that sends
    // it anyway may see the connection closed under it).
    {
        const std::string answer = raw_exchange(port_, "PUT " + upload + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                                           tokens_.at("admin") + "\r\nContent-Type: video/mp4\r\nContent-Length: " +
                                                           std::to_string(3 << 20) + "\r\n\r\n");
        EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
        EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << answer;
    }
    // With Expect: 100-continue (curl sends it for large bodies) the refusal comes instead of 100.
    {
        const std::string answer = raw_exchange(port_, "PUT " + upload + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                                           tokens_.at("admin") + "\r\nExpect: 100-continue\r\nContent-Length: " +
                                                           std::to_string(3 << 20) + "\r\n\r\n");
        EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
    }
    // A client that goes away mid-upload: the server goes on; nothing is kept.
    {
        httplib::Client raw("127.0.0.1", port_);
        raw.set_write_timeout(5, 0);
        httplib::Request req;
        req.method = "PUT";
        req.path = upload;
        req.headers = auth("admin");
        req.set_header("Content-Length", "1000000");
        req.set_header("Content-Type", "video/mp4");
        req.content_length_ = 1000000;
        std::size_t sent = 0;
        req.content_provider_ = [&](std::size_t, std::size_t, httplib::DataSink& sink) {
            if (sent >= 200000) return false;  // gives up a fifth of the way
            const std::string chunk(50000, 'v');
            sent += chunk.size();
            return sink.write(chunk.data(), chunk.size());
        };
        httplib::Response res;
        httplib::Error error = httplib::Error::Success;
        raw.send(req, res, error);
    }
    EXPECT_EQ(c.Get("/api/health")->status, 200) << "the server survives";
    for (int i = 0; i < 50 && listing() != before; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the server notices
    EXPECT_EQ(listing(), before) << "nothing kept of refused or broken uploads";

    const std::string video = read_file(episodes / "ep1.mp4");
    auto r = c.Put(upload.c_str(), auth("admin"), video, "application/octet-stream");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(body_of(r)["episode"], "ep2");
    EXPECT_GT(body_of(r)["duration_ms"].get<int>(), 7000);
    EXPECT_TRUE(read_file(episodes / "ep2.mp4") == video);
    const json list = body_of(c.Get("/api/series/drama/episodes", auth("viewer")));
    ASSERT_EQ(list["episodes"].size(), 2u) << list;
    EXPECT_EQ(list["episodes"][1]["id"], "ep2");
    EXPECT_EQ(list["episodes"][1]["languages"]["es"]["published"], false);
    expect_problem(c.Put(upload.c_str(), auth("admin"), video, "video/mp4"), 409, "the same name again");
    fs::remove(episodes / "ep2.mp4");
}

TEST_F(Serve, AReDubSynthesizesTheLineAgainAndOnlyItAndEventsTellThePage) {
    auto c = client();
    // The page's event stream, read on its own connection.
    std::mutex mutex;
    std::string stream;
    std::atomic<bool> done{false};
    httplib::Client sse("127.0.0.1", port_);
    sse.set_read_timeout(60, 0);
    std::thread reader([&] {
        sse.Get("/api/series/drama/events", auth("viewer"), [&](const char* data, std::size_t size) {
            std::lock_guard lock(mutex);
            stream.append(data, size);
            return !done.load();
        });
    });
    const auto seen = [&](const std::string& what) {
        for (int i = 0; i < 600; ++i) {
            {
                std::lock_guard lock(mutex);
                if (stream.find(what) != std::string::npos) return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    };
    ASSERT_TRUE(seen("event: ready")) << "the stream opens with ready";

    const auto before = synthesis_keys();
    ASSERT_EQ(before.size(), 3u);
    const json line = body_of(c.Get(kLines.c_str(), auth("viewer")))["lines"][1];
    const int revision = line["revision"].get<int>();
    expect_problem(c.Post((kLines + "/2/redub").c_str(), auth("editor"), json{{"revision", revision + 7}}.dump(), "application/json"), 409,
                   "a re-dub against another revision");
    auto r = c.Post((kLines + "/2/redub").c_str(), auth("editor"), json{{"revision", revision}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(body_of(r)["line"]["revision"], revision + 1);
    EXPECT_EQ(body_of(r)["line"]["text"], line["text"]) << "a re-dub leaves the text";
    const auto [render, now] = wait_render(c, auth("viewer"));
    ASSERT_EQ(render, "done") << now;
    EXPECT_EQ(now["lines"][1]["text"], line["text"]);
    EXPECT_EQ(now["lines"][1]["stale"], false);
    EXPECT_EQ(now["lines"][1]["history"].back()["redub"], true);
    // The render synthesized line 2 again (a new take: a new key), and no other line.
    const auto after = synthesis_keys();
    ASSERT_EQ(after.size(), before.size());
    for (const auto& [scope, key] : after) {
        if (scope == "es/line 2") EXPECT_NE(key, before.at(scope)) << scope << ": a new take";
        else EXPECT_EQ(key, before.at(scope)) << scope << ": untouched";
    }
    EXPECT_TRUE(seen("\"redub\":true")) << "a line event for the re-dub";
    EXPECT_TRUE(seen("\"render\":\"done\"")) << "the render's end told";
    {
        std::lock_guard lock(mutex);
        EXPECT_NE(stream.find("event: line\ndata: "), std::string::npos) << stream;
        EXPECT_NE(stream.find("\"render\":\"rendering\""), std::string::npos) << stream;
    }
    done = true;
    sse.stop();  // the page goes away: the server's side of the stream ends at its next write
    reader.join();
    EXPECT_EQ(c.Get("/api/health")->status, 200);

    // Reconnecting with the id of the line event gets what came after it (the render's events).
    std::string line_id;
    {
        std::lock_guard lock(mutex);
        const auto at = stream.find("event: line\n");
        ASSERT_NE(at, std::string::npos);
        const auto id_at = stream.rfind("id: ", at);
        line_id = stream.substr(id_at + 4, stream.find('\n', id_at) - id_at - 4);
    }
    const auto reconnect = [&](const std::string& last_id) {
        httplib::Client again("127.0.0.1", port_);
        std::string got;
        httplib::Headers h = auth("viewer");
        h.emplace("Last-Event-ID", last_id);
        again.Get("/api/series/drama/events", h, [&](const char* data, std::size_t size) {
            got.append(data, size);
            return got.find("event: ready") == std::string::npos;
        });
        return got;
    };
    const std::string resumed = reconnect(line_id);
    EXPECT_NE(resumed.find("\"resumed\":true"), std::string::npos) << resumed;
    EXPECT_NE(resumed.find("\"render\":\"rendering\""), std::string::npos) << "the events after the line's: " << resumed;
    EXPECT_EQ(resumed.find("event: line\n"), std::string::npos) << "not the line event again: " << resumed;
    EXPECT_LT(resumed.find("\"render\":\"done\""), resumed.find("event: ready")) << "ready after what was missed: " << resumed;
    const std::string fresh = reconnect("999999");  // an id from before a restart of the server
    EXPECT_NE(fresh.find("\"resumed\":false"), std::string::npos) << fresh;
    EXPECT_NE(fresh.find("\"render\":\"done\""), std::string::npos) << "the state of the renders instead: " << fresh;
}

TEST_F(Serve, ALineGivenToAnotherCharacterIsDubbedInTheirVoice) {
    auto c = client();
    const auto before = synthesis_keys();
    json now = body_of(c.Get(kLines.c_str(), auth("viewer")));
    std::set<std::string> ids;
    for (const auto& character : now["characters"]) ids.insert(character["id"].get<std::string>());
    ASSERT_TRUE(ids.count("ben")) << now["characters"];
    const std::string heard = now["lines"][0]["speaker"].get<std::string>();
    ASSERT_NE(heard, "ben") << "the sample's voice is not Ben's";
    const int revision = now["lines"][0]["revision"].get<int>();
    const std::string speaker = kLines + "/1/speaker";
    expect_problem(c.Put(speaker.c_str(), auth("editor"), json{{"speaker", "nobody"}, {"revision", revision}}.dump(), "application/json"), 400,
                   "a character the series does not have");
    expect_problem(c.Put(speaker.c_str(), auth("editor"), json{{"revision", revision}}.dump(), "application/json"), 400, "no speaker");
    expect_problem(c.Put(speaker.c_str(), auth("editor"), json{{"speaker", "ben"}, {"revision", revision + 3}}.dump(), "application/json"),
                   409, "an old revision");
    auto r = c.Put(speaker.c_str(), auth("editor"), json{{"speaker", heard}, {"revision", revision}}.dump(), "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body_of(r)["changed"], false) << "already theirs";
    r = c.Put(speaker.c_str(), auth("editor"), json{{"speaker", "ben"}, {"revision", revision}}.dump(), "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body_of(r)["changed"], true);
    EXPECT_EQ(body_of(r)["line"]["speaker"], "ben");
    EXPECT_EQ(body_of(r)["line"]["revision"], revision + 1);
    const auto [render, after] = wait_render(c, auth("viewer"));
    ASSERT_EQ(render, "done") << after;
    EXPECT_EQ(after["lines"][0]["speaker"], "ben");
    EXPECT_EQ(after["lines"][0]["text"], now["lines"][0]["text"]) << "the text stands";
    EXPECT_EQ(after["lines"][0]["stale"], false);
    EXPECT_EQ(after["lines"][0]["history"].back()["speaker"], "ben");
    // Line 1 is spoken again in Ben's voice; the others are untouched.
    const auto keys = synthesis_keys();
    for (const auto& [scope, key] : keys) {
        if (scope == "es/line 1") EXPECT_NE(key, before.at(scope)) << scope << ": another voice";
        else EXPECT_EQ(key, before.at(scope)) << scope;
    }
    // And it is Ben's from now on: the published script says so.
    const json script = json::parse(read_file(dir_->path() / "out" / "ep1" / "ep1.es.script.json"));
    EXPECT_EQ(script["lines"][0]["speaker"], "ben");
}

TEST_F(Serve, NamesOutsideTheSeriesBadBodiesAndOversizedOnesAreRefusedAndNothingIsRecorded) {
    auto c = client();
    const fs::path edits = dir_->path() / "out" / "edits.json";
    const std::string before = fs::exists(edits) ? read_file(edits) : "";
    for (const std::string path : {"/api/series/..%2F..%2Fetc/episodes", "/api/series/drama/episodes/..%2Fep1/languages/es/lines",
                                   "/api/series/drama/episodes/ep1/languages/..%2F..%2Fes/lines",
                                   "/api/series/drama/episodes/%2Fetc%2Fpasswd/languages/es/lines",
                                   "/api/series/drama/episodes/ep2/languages/es/lines",
                                   "/api/series/drama/episodes/ep1/languages/fr/lines", "/api/series/other/episodes"}) {
        const auto r = c.Get(path.c_str(), auth("admin"));
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 404) << path << ": " << r->body;
    }
    const std::string edit = kLines + "/2";
    expect_problem(c.Put(edit.c_str(), auth("editor"), "{\"text\": \"Hola\", ", "application/json"), 400, "malformed JSON");
    EXPECT_NE(body_of(c.Put(edit.c_str(), auth("editor"), "{\"text\": \"Hola\", ", "application/json"))["detail"].get<std::string>().find("not JSON"),
              std::string::npos);
    expect_problem(c.Put(edit.c_str(), auth("editor"), R"({"text": "Hola"})", "application/json"), 400, "no revision");
    expect_problem(c.Put(edit.c_str(), auth("editor"), R"({"text": "a\nb", "revision": 0})", "application/json"), 400, "two lines");
    expect_problem(c.Put((kLines + "/99").c_str(), auth("editor"), R"({"text": "Hola", "revision": 0})", "application/json"), 404,
                   "no such line");
    expect_problem(c.Put((kLines + "/..%2F2").c_str(), auth("editor"), R"({"text": "Hola", "revision": 0})", "application/json"), 404,
                   "a line id that is a path");
    const std::string huge = R"({"text": ")" + std::string(100 * 1024, 'a') + R"(", "revision": 0})";
    const auto r = c.Put(edit.c_str(), auth("editor"), huge, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413) << r->body;
    EXPECT_EQ(fs::exists(edits) ? read_file(edits) : "", before) << "nothing recorded";
    expect_problem(c.Get("/api/nothing-here", auth("admin")), 404, "an unknown route");
    // Bodies of unknown size are refused before they are read (they would be read into memory).
    for (const std::string head : {"Transfer-Encoding: Chunked\r\n", "Transfer-Encoding: chunked\r\n", ""}) {
        const std::string answer = raw_exchange(port_, "PUT " + edit + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                                           tokens_.at("editor") + "\r\nContent-Type: application/json\r\n" + head +
                                                           "Connection: close\r\n\r\n");
        EXPECT_EQ(answer.rfind("HTTP/1.1 411", 0), 0u) << (head.empty() ? "no length at all" : head) << answer;
    }
    EXPECT_EQ(fs::exists(edits) ? read_file(edits) : "", before) << "nothing recorded";
}

TEST_F(Serve, HostileInputIsAFourHundredNamingTheFieldNeverAFiveHundredAndNothingIsRecorded) {
    auto c = client();
    const fs::path edits = dir_->path() / "out" / "edits.json";
    const std::string before = fs::exists(edits) ? read_file(edits) : "";
    const std::string edit = kLines + "/1";
    const auto field_of = [](const httplib::Result& r) { return body_of(r).value("field", ""); };
    // Bodies that are not JSON, or not UTF-8: the problem says where, never the library's words.
    for (const std::string& body : {std::string("{\"text\": \"a\xFF\", \"revision\": 0}"), std::string(R"({"text": "\udcff", "revision": 0})"),
                                   std::string("{\"text\": \"Hola\", \"revision\": 0"), std::string("[1, 2]")}) {
        const auto r = c.Put(edit.c_str(), auth("editor"), body, "application/json");
        expect_problem(r, 400, body);
        EXPECT_EQ(r->body.find("json.exception"), std::string::npos) << r->body;
        EXPECT_EQ(r->body.find("parse_error"), std::string::npos) << r->body;
    }
    // Numbers that are not a revision.
    for (const std::string revision : {"1e400", "-1", "1.5", "\"0\"", "null", "99999999999999999999"}) {
        const auto r = c.Put(edit.c_str(), auth("editor"), R"({"text": "Hola", "revision": )" + revision + "}", "application/json");
        expect_problem(r, 400, "revision " + revision);
        EXPECT_EQ(field_of(r), "revision") << r->body;
    }
    // Text that is not one subtitle line.
    for (const std::string& text : std::vector<std::string>{R"(a\u2028b)", R"(a\u2029b)", R"(a\u0085b)", R"(a\u0007b)", R"(a\u0000b)",
                                                            R"(a\tb)", "   ", R"(\u200b)", R"(\u3000)", std::string(2000, 'a')}) {
        const auto r = c.Put(edit.c_str(), auth("editor"), R"({"text": ")" + text + R"(", "revision": 0})", "application/json");
        expect_problem(r, 400, "text " + text.substr(0, 20));
        EXPECT_EQ(field_of(r), "text") << r->body;
    }
    // A line edit in another type than JSON.
    expect_problem(c.Put(edit.c_str(), auth("editor"), R"({"text": "Hola", "revision": 0})", "text/plain"), 415, "text/plain");
    // Queries and paths that are not text.
    for (const std::string path : {"/api/search?q=a%00b", "/api/search?q=%FF%FE", "/api/search?limit=1e400",
                                   "/api/series/drama/episodes/%FF/languages/es/lines", "/api/series/dr%ZZma/episodes"}) {
        const auto r = c.Get(path.c_str(), auth("viewer"));
        expect_problem(r, 400, path);
    }
    EXPECT_EQ(fs::exists(edits) ? read_file(edits) : "", before) << "nothing recorded";
}

TEST_F(Serve, AnswersCarrySecurityHeadersAndARefusedTokenSaysHowToAuthenticate) {
    auto c = client();
    for (const std::string& path : std::vector<std::string>{"/api/series", "/api/health", "/api/nothing", kLines}) {
        const auto r = c.Get(path.c_str(), auth("viewer"));
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
        // Lines are revalidated by their ETag (kept by the browser alone); nothing else is kept.
        EXPECT_EQ(r->get_header_value("Cache-Control"), path == kLines ? "private, no-cache" : "no-store") << path;
        EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer") << path;
        EXPECT_EQ(r->get_header_value("Content-Security-Policy").rfind("default-src 'none'", 0), 0u) << path;
    }
    const auto none = c.Get("/api/series");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401);
    EXPECT_EQ(none->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
    const auto page = c.Get("/");
    ASSERT_TRUE(page);
    EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(Serve, AServerStartedWithARelativePathRendersEdits) {
    // As the docs show it: `dramaloc serve drama.toml` in the series' folder.
    server_->stop();
    thread_.join();
    server_.reset();
    const fs::path was = fs::current_path();
    fs::current_path(dir_->path());
    server::ServeOptions o;
    o.series_files = {"drama.toml"};
    o.port = 0;
    o.threads_per_render = 2;
    std::vector<std::string> logged;
    std::mutex log_mutex;
    o.log = [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        logged.push_back(line);
    };
    server_ = std::make_unique<server::ReviewServer>(o);
    fs::current_path(was);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    auto c = client();
    const json line = body_of(c.Get(kLines.c_str(), auth("viewer")))["lines"][0];
    const auto r = c.Put((kLines + "/1").c_str(), auth("editor"),
                         json{{"text", line["text"].get<std::string>() + " (relativo)"}, {"revision", line["revision"]}}.dump(),
                         "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    ASSERT_EQ(body_of(r)["changed"], true) << r->body;
    const auto [render, now] = wait_render(c, auth("viewer"));
    EXPECT_EQ(render, "done") << now;
    EXPECT_EQ(now.dump().find(server_dir), std::string::npos) << "no server path in the API";
    std::lock_guard lock(log_mutex);
    for (const auto& l : logged) EXPECT_EQ(l.find("does not serve"), std::string::npos) << l;
}

TEST_F(Serve, APageSignsInToAnHttpOnlyCookieAndARevokedOrExpiredTokenIsRefusedAtOnce) {
    auto c = client();
    const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
    const std::string toml = (dir_->path() / "drama.toml").string();
    const auto made = run_dramaloc({"token", "create", toml, "--role", "editor", "--name", "carla", "--expires", "30d"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const std::string carla = trimmed(made.out);
    const auto nobody = c.Get("/api/session");
    ASSERT_TRUE(nobody);
    EXPECT_EQ(body_of(nobody), json({{"session", nullptr}})) << "no one signed in";
    // Signing in: the token becomes a cookie no script can read.
    expect_problem(c.Post("/api/session", {{"Origin", origin}}, R"({"token": "dlt_nope"})", "application/json"), 401, "an unknown token");
    expect_problem(c.Post("/api/session", {{"Origin", "http://evil.example"}}, json{{"token", carla}}.dump(), "application/json"), 403,
                   "signing in from another site");
    const auto in = c.Post("/api/session", {{"Origin", origin}}, json{{"token", carla}}.dump(), "application/json");
    ASSERT_TRUE(in);
    ASSERT_EQ(in->status, 200) << in->body;
    EXPECT_EQ(body_of(in)["session"]["name"], "carla");
    EXPECT_EQ(body_of(in)["session"]["role"], "editor");
    const std::string set_cookie = in->get_header_value("Set-Cookie");
    EXPECT_EQ(set_cookie.rfind("dramaloc_session=" + carla + ";", 0), 0u) << set_cookie;
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("Max-Age="), std::string::npos) << "no longer than the token: " << set_cookie;
    const httplib::Headers session = {{"Cookie", "dramaloc_session=" + carla}, {"Origin", origin}};
    const auto who = c.Get("/api/session", session);
    ASSERT_TRUE(who);
    EXPECT_EQ(body_of(who)["session"]["name"], "carla") << who->body;
    const auto out = c.Delete("/api/session", session);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, 204);
    EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);

    // Listed with its name, role and expiry, never its secret; used just now.
    const auto listed = run_dramaloc({"token", "list", toml, "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(listed.out.find(carla), std::string::npos) << "the secret is never shown";
    const json tokens = json::parse(listed.out)["tokens"];
    const auto entry = std::find_if(tokens.begin(), tokens.end(), [](const json& t) { return t["name"] == "carla"; });
    ASSERT_NE(entry, tokens.end()) << tokens;
    EXPECT_EQ((*entry)["role"], "editor");
    EXPECT_EQ((*entry)["state"], "live");
    EXPECT_NE((*entry)["last_used"], "never");
    EXPECT_NE((*entry)["expires"], "never");

    // Revoked: refused at once, by the header and by the cookie.
    const auto revoked = run_dramaloc({"token", "revoke", toml, "carla"});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
    const auto refused = c.Get("/api/series", {{"Authorization", "Bearer " + carla}});
    expect_problem(refused, 401, "a revoked token");
    EXPECT_NE(body_of(refused)["detail"].get<std::string>().find("revoked"), std::string::npos);
    expect_problem(c.Get("/api/series", session), 401, "a revoked token's session");
    const auto again = run_dramaloc({"token", "revoke", toml, "carla"});
    EXPECT_NE(again.exit_code, 0) << "nothing left to revoke is an error";
    EXPECT_NE(again.err.find("token list"), std::string::npos) << again.err;

    // Expired: a token of one second, a little later.
    const auto brief = run_dramaloc({"token", "create", toml, "--role", "viewer", "--name", "brief", "--expires", "1s"});
    ASSERT_EQ(brief.exit_code, 0) << brief.err;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto expired = c.Get("/api/series", {{"Authorization", "Bearer " + trimmed(brief.out)}});
    expect_problem(expired, 401, "an expired token");
    EXPECT_NE(body_of(expired)["detail"].get<std::string>().find("expired"), std::string::npos);
    EXPECT_NE(run_dramaloc({"token", "create", toml, "--role", "viewer", "--expires", "30x"}).exit_code, 0);
}

TEST_F(Serve, LinesCarryAnETagAndAPageThatHasThemGets304UntilSomethingChanges) {
    auto c = client();
    const auto first = c.Get(kLines.c_str(), auth("viewer"));
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    const std::string etag = first->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(first->get_header_value("Cache-Control"), "private, no-cache");
    httplib::Headers again = auth("viewer");
    again.emplace("If-None-Match", etag);
    const auto same = c.Get(kLines.c_str(), again);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->status, 304);
    EXPECT_TRUE(same->body.empty());
    EXPECT_EQ(c.Get(kLines.c_str(), auth("viewer"))->body, first->body) << "the same answer again";
    // An edit changes the answer at once (the edit log is one of its inputs).
    const json line = body_of(first)["lines"][2];
    const auto r = c.Put((kLines + "/3").c_str(), auth("editor"),
                         json{{"text", line["text"].get<std::string>() + " (etag)"}, {"revision", line["revision"]}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const auto changed = c.Get(kLines.c_str(), again);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->status, 200);
    EXPECT_NE(changed->get_header_value("ETag"), etag);
    EXPECT_NE(body_of(changed)["lines"][2]["text"].get<std::string>().find("(etag)"), std::string::npos);
    wait_render(c, auth("viewer"));
}

TEST_F(Serve, AnEventStreamEndsWhenItsTokenIsRevoked) {
    server_->stop();
    thread_.join();
    server::ServeOptions o;
    o.series_files = {dir_->path() / "drama.toml"};
    o.port = 0;
    o.token_watch = std::chrono::milliseconds(200);
    server_ = std::make_unique<server::ReviewServer>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    const std::string toml = (dir_->path() / "drama.toml").string();
    const auto made = run_dramaloc({"token", "create", toml, "--role", "viewer", "--name", "dora"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    // The stream, read on a raw connection until the server ends it.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    timeval timeout{15, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const std::string request = "GET /api/series/drama/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + trimmed(made.out) + "\r\n\r\n";
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
    std::string got;
    char buffer[4096];
    while (got.find("event: ready") == std::string::npos) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        ASSERT_GT(n, 0) << got;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    ASSERT_EQ(run_dramaloc({"token", "revoke", toml, "dora"}).exit_code, 0);
    const auto revoked = std::chrono::steady_clock::now();
    ssize_t n = 0;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) got.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    EXPECT_EQ(n, 0) << "the server ended the stream (not a timeout): " << got;
    EXPECT_NE(got.find("0\r\n\r\n"), std::string::npos) << "with its last chunk";
    EXPECT_LT(std::chrono::steady_clock::now() - revoked, std::chrono::seconds(5)) << "at the next look at the tokens";
}

TEST(ServeApi, TheOpenApiFileDescribesExactlyTheServersRoutes) {
    std::ifstream in(source_dir() / "docs" / "openapi.yaml");
    ASSERT_TRUE(in) << "docs/openapi.yaml";
    std::set<std::string> documented;
    std::string line, path;
    bool in_paths = false;
    bool openapi_31 = false;
    while (std::getline(in, line)) {
        if (line.rfind("openapi: 3.1", 0) == 0) openapi_31 = true;
        if (line.rfind("paths:", 0) == 0) {
            in_paths = true;
            continue;
        }
        if (in_paths && !line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
        if (!in_paths) continue;
        if (line.rfind("  /", 0) == 0 && line.back() == ':') path = line.substr(2, line.size() - 3);
        for (const auto* method : {"get", "put", "post", "delete", "patch"})
            if (line == std::string("    ") + method + ":") {
                std::string upper = method;
                for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                documented.insert(upper + " " + path);
            }
    }
    EXPECT_TRUE(openapi_31) << "docs/openapi.yaml is OpenAPI 3.1";
    const auto routes = server::ReviewServer::routes();
    EXPECT_EQ(documented, std::set<std::string>(routes.begin(), routes.end()));
}

// The library: filled by the run, found from the CLI and the API, current after an edit made
// through the server, rebuilt by reindex.
TEST_F(Serve, TheLibraryFindsTheRunsLinesAndAnEditAtOnce) {
    const std::string series = (dir_->path() / "drama.toml").string();
    auto r = run_dramaloc({"search", "STATION", series, "--lang", "en", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json hits = json::parse(r.out)["hits"];
    ASSERT_EQ(hits.size(), 1u) << r.out;
    EXPECT_EQ(hits[0]["episode"], "ep1");
    EXPECT_EQ(hits[0]["line"], 2);
    EXPECT_DOUBLE_EQ(hits[0]["start"].get<double>(), 2.8);
    EXPECT_DOUBLE_EQ(hits[0]["end"].get<double>(), 4.6);
    EXPECT_EQ(hits[0]["lang"], "en");
    EXPECT_EQ(hits[0]["text"], "Where is the station?");
    EXPECT_EQ(hits[0]["matches"], json::parse("[[13, 20]]"));
    // Every es line, by the filter alone; the source beside each.
    r = run_dramaloc({"search", "", series, "--lang", "es", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    hits = json::parse(r.out)["hits"];
    ASSERT_EQ(hits.size(), 3u) << r.out;
    EXPECT_EQ(hits[2]["source"], "The house is big.");
    // An edit through the server is in the library when the answer comes.
    auto c = client();
    auto lines = c.Get(kLines.c_str(), auth("viewer"));
    ASSERT_TRUE(lines);
    const int revision = json::parse(lines->body)["lines"][2]["revision"].get<int>();
    auto put = c.Put((kLines + "/3").c_str(), auth("editor"), json{{"text", "La casa de Lucía es enorme."}, {"revision", revision}}.dump(),
                     "application/json");
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    r = run_dramaloc({"search", "lucia", series, "--edited", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    hits = json::parse(r.out)["hits"];
    ASSERT_EQ(hits.size(), 1u) << r.out;
    EXPECT_EQ(hits[0]["line"], 3);
    EXPECT_EQ(hits[0]["edited"], true);
    auto api = c.Get("/api/search?q=enorme&lang=es", auth("viewer"));
    ASSERT_TRUE(api);
    ASSERT_EQ(api->status, 200) << api->body;
    EXPECT_EQ(json::parse(api->body)["hits"].size(), 1u) << api->body;
    // Nothing found says so, and so does a search with nothing to search by.
    r = run_dramaloc({"search", "zebra", series});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no line found"), std::string::npos) << r.err;
    r = run_dramaloc({"search", "", "--db", (dir_->path() / "out" / ".dramaloc-jobs.db").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("give words to search for"), std::string::npos) << r.err;
    r = run_dramaloc({"search", "casa", series, "--at", "1:99"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    r = run_dramaloc({"search", "casa", "--db", (dir_->path() / "no-such.db").string()});  // a typo is not an empty library
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_->path() / "no-such.db"));
    // reindex: the same lines again (es and the source language en).
    r = run_dramaloc({"reindex", series, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("6 lines of 1 published episode(s)"), std::string::npos) << r.out;
    r = run_dramaloc({"search", "casa", series, "--at", "00:06"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
}

// Content review: a block finding of an es pack stops the approval until a person resolves it
// with a reason; the resolution is in the report, under the pack's version.
TEST_F(Serve, ABlockFindingStopsApprovalUntilResolved) {
    const fs::path d = dir_->path();
    const std::string series = (d / "drama.toml").string();
    // Every edit of the other tests rendered, so that only the finding stands in the way.
    auto run = run_dramaloc({"run", series, "-q"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    // The packs this test adds are removed however it ends: the fixture's series is shared.
    struct RemovePacks {
        fs::path folder;
        ~RemovePacks() {
            fs::remove(folder / "es.toml");
            fs::remove(folder / "zz-bad.toml");
        }
    } remove_packs{d / "policy"};
    write_file(d / "policy" / "es.toml", "[pack]\nname = \"es-market\"\nversion = \"2026.12\"\nlanguages = [\"es\"]\n\n"
                                         "[[term]]\ntext = \"casa\"\nseverity = \"block\"\ncategory = \"test\"\n");
    server::ServeOptions o;
    o.series_files = {d / "drama.toml"};
    o.port = 0;
    o.render_edits = false;
    server::ReviewServer station(o);
    const int port = station.bind();
    std::thread serving([&] { station.run(); });
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    auto lines = c.Get(kLines.c_str(), auth("viewer"));
    ASSERT_TRUE(lines);
    ASSERT_EQ(lines->status, 200) << lines->body;
    json body = json::parse(lines->body);
    EXPECT_EQ(body["content_review"]["unresolved_blocks"], 1) << body["content_review"];
    std::string finding;
    json seen = json::object();
    for (const auto& l : body["lines"]) {
        seen[std::to_string(l["id"].get<int>())] = l["revision"];
        for (const auto& f : l["findings"])
            if (f["severity"] == "block") {
                finding = f["id"].get<std::string>();
                EXPECT_EQ(f["pack_version"], "2026.12");
            }
    }
    ASSERT_FALSE(finding.empty()) << lines->body;
    const std::string review = "/api/series/drama/episodes/ep1/languages/es/review";
    const auto approve = [&] {
        return c.Post(review.c_str(), auth("editor"), json{{"decision", "approved"}, {"comment", "ok"}, {"revisions", seen}}.dump(), "application/json");
    };
    auto r = approve();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 409) << r->body;
    EXPECT_EQ(json::parse(r->body)["blocking_findings"], 1) << r->body;
    const std::string resolve = "/api/series/drama/episodes/ep1/languages/es/findings/" + finding;
    expect_problem(c.Post(resolve.c_str(), auth("editor"), R"({"decision": "accepted"})", "application/json"), 400, "no reason");
    expect_problem(c.Post(resolve.c_str(), auth("editor"), R"({"decision": "maybe", "reason": "x"})", "application/json"), 400, "no decision");
    expect_problem(c.Post((resolve + "ff").c_str(), auth("editor"), R"({"decision": "accepted", "reason": "x"})", "application/json"), 404,
                   "no finding");
    r = c.Post(resolve.c_str(), auth("editor"), R"({"decision": "overridden", "reason": "a railway station is fine here"})", "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    r = approve();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
    station.stop();
    serving.join();
    // The report: the finding, who resolved it and under which pack version.
    const auto cli = run_dramaloc({"review", series, "--json"});
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    const json report = json::parse(cli.out)["episodes"][0];
    bool resolved = false;
    for (const auto& f : report["findings"])
        if (f["id"] == finding) {
            resolved = true;
            EXPECT_EQ(f["resolution"]["decision"], "overridden");
            EXPECT_EQ(f["resolution"]["who"], "ana-editor");
            EXPECT_EQ(f["resolution"]["pack_version"], "2026.12");
        }
    EXPECT_TRUE(resolved) << cli.out;
    const std::string html = read_file(d / "out" / "ep1" / "ep1.content-review.html");
    EXPECT_NE(html.find("overridden by ana-editor"), std::string::npos);
    EXPECT_NE(html.find("<mark>"), std::string::npos);
    // A malformed pack is refused by name and line, before anything is reviewed.
    write_file(d / "policy" / "zz-bad.toml", "[pack]\nname = \"bad\"\nversion = \"1\"\n[[term]]\nseverity = \"high\"\ntext = \"x\"\n");
    const auto bad = run_dramaloc({"review", series});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("zz-bad.toml:5: severity is"), std::string::npos) << bad.err;
}

// The production board: people and an assignment made through the API (admin), a rejection
// and then an approval through the API; the assignment's version changes state in the board
// the API gives and in the CLI's (the same store).
TEST_F(Serve, TheBoardShowsAnAssignmentsStateChangeAfterAnApprovalInTheApiAndTheCli) {
    auto c = client();
    const std::string series = (dir_->path() / "drama.toml").string();
    const auto send = [&](const std::string& method, const std::string& path, const json& body, const std::string& role) {
        const std::string text = body.dump();
        if (method == "PUT") return c.Put(path.c_str(), auth(role), text, "application/json");
        if (method == "PATCH") return c.Patch(path.c_str(), auth(role), text, "application/json");
        if (method == "DELETE") return c.Delete(path.c_str(), auth(role));
        return c.Post(path.c_str(), auth(role), text, "application/json");
    };
    ASSERT_EQ(send("PUT", "/api/series/drama/people/ana-editor", {{"languages", {"es"}}}, "admin")->status, 200);
    ASSERT_EQ(send("PUT", "/api/series/drama/people/bo", {{"languages", {"es", "fr"}}}, "admin")->status, 200);
    expect_problem(send("PUT", "/api/series/drama/people/carl", {{"languages", "es"}}, "admin"), 400, "languages not a list");
    const json people = body_of(c.Get("/api/series/drama/people", auth("viewer")))["people"];
    ASSERT_GE(people.size(), 2u) << people;

    const std::string assignments = "/api/series/drama/assignments";
    expect_problem(send("POST", assignments, {{"language", "es"}, {"first_episode", "ep1"}, {"linguist", "zoe"}}, "admin"), 400,
                   "a linguist nobody added");
    expect_problem(send("POST", assignments, {{"language", "es"}, {"first_episode", "ep9"}, {"linguist", "bo"}}, "admin"), 400,
                   "an episode the series does not have");
    expect_problem(send("POST", assignments, {{"language", "es"}, {"first_episode", "ep1"}, {"linguist", "bo"}, {"colour", "red"}}, "admin"),
                   400, "a field an assignment does not have");
    auto r = send("POST", assignments,
                  {{"language", "es"}, {"first_episode", "ep1"}, {"linguist", "ana-editor"}, {"reviewer", "bo"}, {"due", "2020-01-01"}}, "admin");
    ASSERT_EQ(r->status, 201) << r->body;
    const json made = body_of(r);
    const std::string one = assignments + "/" + std::to_string(made["id"].get<std::int64_t>());
    EXPECT_EQ(made["last_episode"], "ep1");
    expect_problem(send("PATCH", assignments + "/99999", {{"due", nullptr}}, "admin"), 404, "an assignment that is not there");
    expect_problem(send("PATCH", one, {{"due", "tomorrow"}}, "admin"), 400, "a due date that is not one");

    // The version's state as the board shows it to the linguist (mine) and to the CLI.
    const auto mine = [&] {
        const json b = body_of(c.Get("/api/series/drama/board?mine=1", auth("editor")));
        EXPECT_EQ(b["you"], "ana-editor");
        EXPECT_EQ(b["versions"].size(), 1u) << b;
        return b["versions"].empty() ? json() : b["versions"][0];
    };
    const auto cli = [&] {
        const auto out = run_dramaloc({"board", series, "--json", "--mine", "ana-editor"});
        EXPECT_EQ(out.exit_code, 0) << out.err;
        const json b = json::parse(out.out, nullptr, false);
        return b.is_object() && b["versions"].size() == 1 ? b["versions"][0]["state"] : json();
    };
    wait_render(c, auth("viewer"));
    const std::string review = "/api/series/drama/episodes/ep1/languages/es/review";
    json revisions = json::object();
    const json lines = body_of(c.Get(kLines.c_str(), auth("viewer")));
    for (const auto& line : lines["lines"]) revisions[std::to_string(line["id"].get<int>())] = line["revision"];
    r = send("POST", review, {{"decision", "rejected"}, {"comment", "line 3 reads stiffly"}, {"revisions", revisions}}, "editor");
    ASSERT_EQ(r->status, 201) << r->body;
    json v = mine();
    EXPECT_EQ(v["state"], "in-review");
    EXPECT_EQ(v["who"], "ana-editor");
    EXPECT_EQ(v["late"], true) << "due 2020-01-01 and not cleared";
    EXPECT_EQ(v["assignment"]["reviewer"], "bo");
    EXPECT_EQ(cli(), "in-review");
    EXPECT_EQ(body_of(c.Get("/api/series/drama/board?late=1", auth("viewer")))["versions"].size(), 1u);

    r = send("POST", review, {{"decision", "approved"}, {"revisions", revisions}}, "editor");
    ASSERT_EQ(r->status, 201) << r->body;
    v = mine();
    EXPECT_EQ(v["state"], "cleared");
    EXPECT_EQ(v["late"], false);
    EXPECT_EQ(cli(), "cleared");
    const auto text = run_dramaloc({"board", series});
    EXPECT_NE(text.out.find("ep1     c"), std::string::npos) << text.out;
    const auto status = run_dramaloc({"status", series, "--json"});
    EXPECT_EQ(json::parse(status.out)["assignments"].size(), 1u) << status.out;

    r = send("PATCH", one, {{"due", nullptr}, {"linguist", "bo"}}, "admin");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_TRUE(body_of(r)["due"].is_null());
    EXPECT_EQ(body_of(r)["linguist"], "bo");
    EXPECT_TRUE(body_of(c.Get("/api/series/drama/board?mine=1", auth("editor")))["versions"].empty()) << "no longer ana's";
    ASSERT_EQ(send("DELETE", one, json(), "admin")->status, 200);
    EXPECT_TRUE(body_of(c.Get(assignments.c_str(), auth("viewer")))["assignments"].empty());

    // The same from the CLI: a person, an assignment the API lists, and what it refuses (exit 2).
    auto cmd = run_dramaloc({"people", "add", series, "dora", "--lang", "es"});
    ASSERT_EQ(cmd.exit_code, 0) << cmd.err;
    cmd = run_dramaloc({"assign", series, "-e", "ep1", "--lang", "es", "--linguist", "zed"});
    EXPECT_EQ(cmd.exit_code, 2);
    EXPECT_NE(cmd.err.find("dramaloc people add \"zed\""), std::string::npos) << cmd.err;
    cmd = run_dramaloc({"assign", series, "-e", "ep1", "--lang", "es", "--linguist", "dora", "--due", "2099-01-31"});
    ASSERT_EQ(cmd.exit_code, 0) << cmd.err;
    const json listed = body_of(c.Get(assignments.c_str(), auth("viewer")))["assignments"];
    ASSERT_EQ(listed.size(), 1u) << listed;
    EXPECT_EQ(listed[0]["linguist"], "dora");
    EXPECT_EQ(listed[0]["due"], "2099-01-31");
    cmd = run_dramaloc({"assign", series, "--remove", std::to_string(listed[0]["id"].get<std::int64_t>())});
    ASSERT_EQ(cmd.exit_code, 0) << cmd.err;
    EXPECT_EQ(run_dramaloc({"assignments", series}).out.find("no assignments yet"), 0u);
    expect_problem(send("DELETE", one, json(), "admin"), 404, "an assignment removed already");
}
