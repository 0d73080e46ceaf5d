// The production board at library scale (issue 27): SERIES series of EPISODES episodes into
// LANGS languages, their outputs written as a publish leaves them (a manifest per episode with
// every language's script of 30 lines; reviews, edits, content review reports with block
// findings) and one store for all of them (--db) holding every series' jobs, assignments and
// deliveries. The mix per series: the first 60 % of its episodes published and approved (the
// first half of those delivered), then some in review with edits, some to review, the last
// ones still to render (their jobs pending); every tenth episode has a block finding in one
// language; each language is assigned in two ranges, the first one past its due date.
//
// Timed, over CALLS series picked in a fixed pseudo-random order:
//   - `dramaloc board S --db DB --json` (a process each), against `dramaloc status S --json`
//     of the same series (the baseline: the factory's existing question of the same store);
//   - GET /api/series/S/board on one `dramaloc serve` of all the series, against
//     GET /api/series/S/episodes (the episode list, read from the same manifests).
// Printed: p50 and p99 of each, and the ratios. Aim: p99 <= 100 ms for the board.
//
//   board_bench DRAMALOC WORK [SERIES=100] [EPISODES=80] [LANGS=en,es,ar,th,fr,pt] [CALLS=60]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_report.hpp"
#include "board/assignments.hpp"
#include "delivery/delivery_log.hpp"
#include "jobs/factory.hpp"
#include "jobs/job_store.hpp"
#include "net/http_client.hpp"
#include "pipeline/manifest.hpp"
#include "series/edit_log.hpp"

using namespace dramaloc;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string episode_name(int i) {
    char name[16];
    std::snprintf(name, sizeof name, "ep%02d", i);
    return name;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100 * static_cast<double>(v.size())))];
}

// One series' outputs and its rows in the store.
void make_series(const fs::path& dir, int episodes, const std::vector<std::string>& languages, jobs::JobStore& store,
                 board::AssignmentStore& assignments, delivery::DeliveryLog& deliveries) {
    fs::create_directories(dir / "episodes");
    std::string list;
    for (const auto& l : languages) list += (list.empty() ? "\"" : ", \"") + l + "\"";
    const fs::path file = dir / (dir.filename().string() + ".toml");  // the server names a series by its file
    std::ofstream(file) << "[series]\ntitle = \"" << dir.filename().string() << "\"\nfrom = \"zh\"\nto = [" << list
                                       << "]\nepisodes = [\"episodes/ep*.mp4\"]\nout = \"out\"\n";
    const fs::path out = dir / "out";
    const std::string series = jobs::series_identity(file);
    const int published = episodes * 6 / 10, in_review = episodes * 75 / 100, to_review = episodes * 9 / 10;
    json reviews = json::array();
    std::vector<series::LineEdit> edits;
    std::vector<jobs::JobSpec> specs;
    const std::string prefix = series + "#bench/";
    for (int e = 1; e <= episodes; ++e) {
        const std::string ep = episode_name(e);
        std::ofstream(dir / "episodes" / (ep + ".mp4"));  // the series names it; the board never opens it
        const auto job = [&](const std::string& key, const std::string& kind, const std::string& language) {
            jobs::JobSpec j;
            j.key = prefix + key;
            j.kind = kind;
            j.series = series;
            j.episode = ep;
            j.language = language;
            specs.push_back(j);
        };
        job("source/" + ep, "source", "");
        for (const auto& l : languages) job("lang/" + ep + "/" + l, "language", l);
        job("episode/" + ep, "episode", "");
        if (e > to_review) continue;  // still to render
        pipeline::Manifest m;
        m.dramaloc_version = "bench";
        m.episode = ep + ".mp4";
        m.source_language = "zh";
        m.target_languages = languages;
        json revisions = json::object();
        for (const auto& l : languages) {
            pipeline::PublishedScript s;
            s.file = ep + "." + l + ".script.json";
            for (int i = 1; i <= 30; ++i) {
                s.lines.push_back({i, i * 2000, i * 2000 + 1500, "C1", "line " + std::to_string(i) + " in " + l, "machine", "源", 0});
                revisions[std::to_string(i)] = 0;
            }
            m.scripts[l] = s;
        }
        fs::create_directories(out / ep);
        pipeline::write_manifest(out / ep, m);
        for (std::size_t li = 0; li < languages.size(); ++li) {
            const std::string& l = languages[li];
            if (e <= published) {
                // The review log's own shape (series/review_log.cpp), written at once:
                // record_review, one append per call, would take minutes for a library.
                reviews.push_back({{"episode", ep}, {"language", l}, {"decision", "approved"}, {"comment", ""}, {"who", "ana"},
                                   {"when", "2026-12-0" + std::to_string(1 + e % 6) + "T10:00:00Z"}, {"revisions", revisions}});
                if (e <= published / 2)
                    deliveries.record({series, ep, l, "phone-app", 1, "/deliveries", "/deliveries/" + ep + "." + l + ".json", "", "ana",
                                       "2026-12-0" + std::to_string(1 + e % 6) + "T10:00:00Z", 1'796'000'000'000});
            } else if (e <= in_review) {
                series::LineEdit edit;
                edit.episode = ep;
                edit.language = l;
                edit.line = 3;
                edit.before = "line 3 in " + l;
                edit.after = "line 3, edited";
                edit.who = "bo";
                edit.when = "2026-12-06T12:00:00Z";
                edit.via = "api";
                edits.push_back(edit);
            }
        }
        if (e % 10 == 0) {
            json findings = json::array({{{"id", ep + "-f1"}, {"severity", "block"}, {"language", languages[e / 10 % languages.size()]},
                                          {"line", 2}, {"resolution", nullptr}}});
            std::ofstream(out / ep / (ep + ".content-review.json")) << json{{"series", series}, {"episode", ep}, {"findings", findings}}.dump();
        }
    }
    std::ofstream(out / "reviews.json") << json{{"reviews", reviews}}.dump(1);
    if (!edits.empty()) series::EditLog(out).append(edits);
    store.add(specs);
    for (const auto& s : specs) {  // the published episodes' jobs are done
        if (std::stoi(s.episode.substr(2)) > to_review) continue;
        const auto claim = store.claim("bench", std::chrono::hours(1), s.key);
        if (claim) store.complete(*claim, "{}");
    }
    for (const auto& l : languages) {
        board::Assignment a;
        a.series = series;
        a.language = l;
        a.first_episode = episode_name(1);
        a.last_episode = episode_name(episodes / 2);
        a.linguist = "ana-" + l;
        a.reviewer = "bo";
        a.due = "2026-12-01";
        assignments.add(a);
        a.first_episode = episode_name(episodes / 2 + 1);
        a.last_episode = episode_name(episodes);
        a.linguist = "carl-" + l;
        a.due = "2027-01-15";
        assignments.add(a);
    }
}

// Wall time of a shell command, ms.
double timed_command(const std::string& command) {
    return bench::seconds_of([&] { bench::must(command); }) * 1000;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: board_bench DRAMALOC WORK [SERIES=100] [EPISODES=80] [LANGS=en,es,ar,th,fr,pt] [CALLS=60]\n");
        return 2;
    }
    const std::string dramaloc = argv[1];
    const fs::path work = fs::absolute(argv[2]);
    const int count = argc > 3 ? std::atoi(argv[3]) : 100;
    const int episodes = argc > 4 ? std::atoi(argv[4]) : 80;
    const std::vector<std::string> languages = bench::split(argc > 5 ? argv[5] : "en,es,ar,th,fr,pt");
    const int calls = argc > 6 ? std::atoi(argv[6]) : 60;
    fs::remove_all(work);
    fs::create_directories(work);
    const std::string db = (work / "store.db").string();

    std::printf("== the production board: %d series x %d episodes x %zu languages in one store (%s) ==\n", count, episodes,
                languages.size(), db.c_str());
    std::vector<std::string> ids;
    const double made = bench::seconds_of([&] {
        auto store = jobs::open_job_store(db);
        auto assignments = board::open_assignment_store(db);
        auto deliveries = delivery::open_delivery_log(db);
        for (const auto& l : languages) {
            assignments->put_person({"ana-" + l, {l}});
            assignments->put_person({"carl-" + l, {l}});
        }
        assignments->put_person({"bo", languages});
        for (int s = 0; s < count; ++s) {
            char id[16];
            std::snprintf(id, sizeof id, "s%03d", s);
            ids.push_back(id);
            make_series(work / id, episodes, languages, *store, *assignments, *deliveries);
        }
    });
    bench::row("library made (outputs, jobs, assignments)", bench::fmt("%.1f s", made));

    // The series asked about: a fixed pseudo-random order.
    std::vector<std::string> asked;
    unsigned seed = 12345;
    for (int i = 0; i < calls; ++i) {
        seed = seed * 1103515245u + 12345u;
        asked.push_back(ids[(seed >> 8) % ids.size()]);
    }
    const auto cli = [&](const std::string& what) {
        std::vector<double> ms;
        for (const auto& id : asked)
            ms.push_back(timed_command(bench::quote(dramaloc) + " " + what + " " + bench::quote((work / id / (id + ".toml")).string()) +
                                       " --db " + bench::quote(db) + " --json > /dev/null"));
        return ms;
    };
    // A check of what is timed: the board of the first series asked, in words.
    bench::must(bench::quote(dramaloc) + " board " + bench::quote((work / asked[0] / (asked[0] + ".toml")).string()) + " --db " + bench::quote(db) +
         " | tail -2");
    std::vector<double> start_ms;
    for (int i = 0; i < calls; ++i) start_ms.push_back(timed_command(bench::quote(dramaloc) + " --version > /dev/null"));
    const auto status_ms = cli("status");
    const auto board_ms = cli("board");
    bench::row("dramaloc --version (the process's start): p50 / p99", bench::fmt("%.1f", percentile(start_ms, 50)) + " / " +
                                                                        bench::fmt("%.1f ms", percentile(start_ms, 99)),
               "loading its shared libraries");
    bench::row("dramaloc status --json (baseline): p50 / p99", bench::fmt("%.1f", percentile(status_ms, 50)) + " / " +
                                                                    bench::fmt("%.1f ms", percentile(status_ms, 99)));
    bench::row("dramaloc board --json: p50 / p99", bench::fmt("%.1f", percentile(board_ms, 50)) + " / " + bench::fmt("%.1f ms", percentile(board_ms, 99)),
               "aim: p99 <= 100 ms; " + bench::fmt("%.2fx", percentile(board_ms, 99) / percentile(status_ms, 99)) + " the baseline's p99");
    bench::row("  of which the board's own work (p99 - start p50)", bench::fmt("%.1f ms", percentile(board_ms, 99) - percentile(start_ms, 50)));

    // The API: one server of every series.
    const std::string token = [&] {
        const std::string file = (work / "token").string();
        bench::must(bench::quote(dramaloc) + " token create --db " + bench::quote(db) + " --role viewer --label bench 2>/dev/null > " + bench::quote(file));
        std::ifstream in(file);
        std::string t;
        std::getline(in, t);
        return t;
    }();
    std::vector<std::string> args = {dramaloc, "serve"};
    for (const auto& id : ids) args.push_back((work / id / (id + ".toml")).string());
    for (const char* a : {"--db", db.c_str(), "--listen", "127.0.0.1:0"}) args.push_back(a);
    const fs::path log = work / "serve.log";
    std::fflush(stdout);
    const pid_t server = fork();
    if (server == 0) {
        std::freopen(log.c_str(), "w", stderr);
        std::freopen("/dev/null", "w", stdout);
        std::vector<char*> argv_c;
        for (auto& a : args) argv_c.push_back(a.data());
        argv_c.push_back(nullptr);
        execv(argv_c[0], argv_c.data());
        _exit(127);
    }
    std::string url;
    for (int i = 0; i < 600 && url.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::ifstream in(log);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::smatch m;
        if (std::regex_search(text, m, std::regex("http://127\\.0\\.0\\.1:[0-9]+"))) url = m[0];
    }
    if (url.empty()) {
        std::fprintf(stderr, "board_bench: dramaloc serve did not start (%s)\n", log.c_str());
        kill(server, SIGTERM);
        return 1;
    }
    net::HttpEndpoint endpoint;
    endpoint.base_url = url;
    endpoint.api_key = token;
    endpoint.max_retries = 0;
    const net::HttpClient client(endpoint);
    const auto api = [&](const std::string& what) {
        std::vector<double> ms;
        for (int round = 0; round < 3; ++round)
            for (const auto& id : asked) {
                net::HttpRequest r;
                r.method = "GET";
                r.path = "/api/series/" + id + "/" + what;
                long status = 0;
                ms.push_back(bench::seconds_of([&] { status = client.send(r).status; }) * 1000);
                if (status != 200) {
                    std::fprintf(stderr, "board_bench: GET %s answered %ld\n", r.path.c_str(), status);
                    kill(server, SIGTERM);
                    std::exit(1);
                }
            }
        return ms;
    };
    const auto episodes_ms = api("episodes");
    const auto board_api_ms = api("board");
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
    bench::row("GET …/episodes (baseline): p50 / p99", bench::fmt("%.1f", percentile(episodes_ms, 50)) + " / " +
                                                             bench::fmt("%.1f ms", percentile(episodes_ms, 99)));
    bench::row("GET …/board: p50 / p99", bench::fmt("%.1f", percentile(board_api_ms, 50)) + " / " + bench::fmt("%.1f ms", percentile(board_api_ms, 99)),
               "aim: p99 <= 100 ms; " + bench::fmt("%.2fx", percentile(board_api_ms, 99) / percentile(episodes_ms, 99)) + " the baseline's p99");
    return 0;
}
