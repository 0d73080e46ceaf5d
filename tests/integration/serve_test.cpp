// `dramaloc serve`: the review station's JSON API over a series that ran, with tokens made
// by `dramaloc token create`, on loopback.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
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
        write_file(d / "scripts" / "ep1.srt", "1\n00:00:00,500 --> 00:00:02,000\nGood morning.\n\n"
                                              "2\n00:00:02,800 --> 00:00:04,600\nWhere is the station?\n\n"
                                              "3\n00:00:05,200 --> 00:00:07,000\nThe house is big.\n");
        write_file(d / "drama.toml", "[series]\nfrom = \"en\"\nto = [\"es\"]\nepisodes = [\"episodes/ep*.mp4\"]\n"
                                     "source = \"srt:scripts/{episode}.srt\"\nout = \"out\"\n");
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
    const std::vector<std::string> reads = {"/api/series", "/api/series/drama/episodes", kLines};
    for (const auto& path : reads) {
        expect_problem(c.Get(path.c_str()), 401, "GET " + path + " without a token");
        expect_problem(c.Get(path.c_str(), {{"Authorization", "Bearer dlt_0000"}}), 401, "GET " + path + " with an unknown token");
        expect_problem(c.Get(path.c_str(), {{"Authorization", "Basic abc"}}), 401, "GET " + path + " with no bearer");
        const auto ok = c.Get(path.c_str(), auth("viewer"));
        ASSERT_TRUE(ok);
        EXPECT_EQ(ok->status, 200) << path << ": " << ok->body;
        const auto lower = c.Get(path.c_str(), {{"Authorization", "bearer " + tokens_.at("viewer")}});
        EXPECT_EQ(lower->status, 200) << "the scheme's name is case-insensitive";
    }
    const std::string edit = kLines + "/2";
    const std::string body = R"({"text": "Hola", "revision": 0})";
    expect_problem(c.Put(edit.c_str(), body, "application/json"), 401, "PUT without a token");
    expect_problem(c.Put(edit.c_str(), {{"Authorization", "Bearer dlt_0000"}}, body, "application/json"), 401, "PUT with an unknown token");
    expect_problem(c.Put(edit.c_str(), {{"Authorization", "Basic " + tokens_.at("editor")}}, body, "application/json"), 401,
                   "PUT with the token in another scheme");
    expect_problem(c.Put(edit.c_str(), auth("viewer"), body, "application/json"), 403, "PUT as a viewer");
    const std::string review = "/api/series/drama/episodes/ep1/languages/es/review";
    const std::string approve = R"({"decision": "approved", "revisions": {}})";
    expect_problem(c.Post(review.c_str(), approve, "application/json"), 401, "POST review without a token");
    expect_problem(c.Post(review.c_str(), {{"Authorization", "Bearer dlt_0000"}}, approve, "application/json"), 401,
                   "POST review with an unknown token");
    expect_problem(c.Post(review.c_str(), auth("viewer"), approve, "application/json"), 403, "POST review as a viewer");
    // Every route the server has is one of these (the OpenAPI test checks the file has them).
    EXPECT_EQ(server::ReviewServer::routes().size(), reads.size() + 3);
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
