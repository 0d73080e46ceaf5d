// The library and content review at scale (bench/README.md, "Library"):
//   library_bench search URL [EPISODES=2000] [LINES=40]
//     a generated library of EPISODES episodes × 5 languages and the source (Chinese), no
//     media: index time and size, then query latency (p50, p99) over a mix of queries, beside
//     a baseline measured in the same run on the same rows: a LIKE scan of the lines table
//     (what finding a word costs without the index).
//   library_bench review [TERMS=10000] [PATTERNS=10000]
//     content review of a 90-second episode (40 lines) in 5 languages with a term pack and a
//     pattern pack of that many entries: time per episode-language, beside a baseline of the
//     same patterns each run on its own (no RE2 set) and of a substring search per term.
#include <re2/re2.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <random>
#include <sqlite3.h>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "search/library.hpp"

using namespace dramaloc;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Words per language; lines are drawn from them with a Zipf-like skew (a few words in most
// lines, most words rare), as dialogue is.
const std::vector<std::pair<std::string, std::vector<std::string>>>& vocabularies() {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> v = {
        {"zh", {"林", "小姐", "合同", "集团", "我们", "明天", "见", "车", "准备", "好", "了", "你", "为什么", "回来", "公司", "总裁", "秘密", "婚礼",
                "医院", "孩子", "父亲", "母亲", "钱", "房子", "离开", "相信", "真相", "背叛", "爱", "恨"}},
        {"en", {"miss", "lin", "contract", "group", "we", "tomorrow", "see", "car", "ready", "you", "why", "back", "company", "president",
                "secret", "wedding", "hospital", "child", "father", "mother", "money", "house", "leave", "believe", "truth", "betrayal",
                "love", "hate", "the", "is"}},
        {"es", {"señorita", "lin", "contrato", "grupo", "nosotros", "mañana", "vemos", "coche", "listo", "tú", "por qué", "vuelves",
                "empresa", "presidente", "secreto", "boda", "hospital", "niño", "padre", "madre", "dinero", "casa", "irse", "creer",
                "verdad", "traición", "amor", "odio", "el", "es"}},
        {"ar", {"الآنسة", "لين", "العَقد", "المجموعة", "نحن", "غداً", "نراك", "السيارة", "جاهزة", "أنت", "لماذا", "عدت", "الشركة", "الرئيس",
                "سرّ", "الزفاف", "المستشفى", "الطفل", "الأب", "الأم", "المال", "البيت", "الرحيل", "أصدّق", "الحقيقة", "الخيانة", "الحب",
                "الكره", "في", "هو"}},
        {"th", {"คุณ", "หลิน", "สัญญา", "กลุ่ม", "เรา", "พรุ่งนี้", "เจอ", "รถ", "พร้อม", "ทำไม", "กลับมา", "บริษัท", "ประธาน", "ความลับ",
                "งานแต่งงาน", "โรงพยาบาล", "เด็ก", "พ่อ", "แม่", "เงิน", "บ้าน", "ไป", "เชื่อ", "ความจริง", "ทรยศ", "รัก", "เกลียด", "ที่", "และ",
                "ไม่"}},
        {"fr", {"mademoiselle", "lin", "contrat", "groupe", "nous", "demain", "voir", "voiture", "prête", "toi", "pourquoi", "reviens",
                "société", "président", "secret", "mariage", "hôpital", "enfant", "père", "mère", "argent", "maison", "partir", "croire",
                "vérité", "trahison", "amour", "haine", "le", "est"}},
    };
    return v;
}

std::string make_line(const std::string& language, const std::vector<std::string>& words, std::mt19937& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    const int n = 3 + static_cast<int>(u(rng) * 6);
    std::string out;
    const bool spaced = language != "zh" && language != "th";
    for (int i = 0; i < n; ++i) {
        const double x = u(rng);
        const auto k = static_cast<std::size_t>(x * x * x * static_cast<double>(words.size()));  // skewed to the first words
        if (spaced && !out.empty()) out += ' ';
        out += words[std::min(k, words.size() - 1)];
    }
    return out + (language == "zh" ? "。" : language == "th" ? "" : ".");
}

std::vector<search::LibraryLine> make_episode(int e, int lines_per_episode, std::mt19937& rng) {
    std::vector<search::LibraryLine> out;
    const std::string episode = "ep" + std::to_string(e);
    std::vector<std::string> sources;
    for (int i = 0; i < lines_per_episode; ++i) sources.push_back(make_line("zh", vocabularies()[0].second, rng));
    for (const auto& [language, words] : vocabularies()) {
        for (int i = 0; i < lines_per_episode; ++i) {
            search::LibraryLine l;
            l.series = "bench";
            l.episode = episode;
            l.episode_order = e;
            l.language = language;
            l.is_source = language == "zh";
            l.line = i + 1;
            l.start_ms = i * 2200;
            l.end_ms = l.start_ms + 1800;
            l.speaker = i % 3 == 0 ? "lin" : i % 3 == 1 ? "chen" : "zhou";
            l.source = sources[static_cast<std::size_t>(i)];
            l.text = l.is_source ? l.source : make_line(language, words, rng);
            if (i % 17 == 0) l.qc = {"max_chars_per_second"};
            l.edited = i % 29 == 0;
            l.approved = e % 2 == 0;
            out.push_back(std::move(l));
        }
    }
    return out;
}

// What people ask: rare and common words in every script, Han of one and two characters, a
// Thai word, phrases, filters.
std::vector<search::LibraryQuery> queries(int episodes) {
    std::vector<search::LibraryQuery> out;
    const auto q = [&](std::string text, std::string language = "", std::string character = "", std::string episode = "") {
        search::LibraryQuery x;
        x.text = std::move(text);
        x.language = std::move(language);
        x.character = std::move(character);
        x.episode = std::move(episode);
        x.limit = 50;
        out.push_back(x);
    };
    for (int round = 0; round < 10; ++round) {
        q("contract", "en", "lin");
        q("hate");                    // rare
        q("the");                     // in most English lines
        q("林");                       // one Han character
        q("合同");                     // two
        q("恨");
        q("ทรยศ", "th");              // a Thai word inside unspaced text
        q("สัญญา");
        q("الخيانة");                  // Arabic, folded
        q("العقد");                    // written without its diacritics
        q("traicion");                // Spanish without its accent
        q("\"miss lin\"");            // a phrase
        q("verite", "fr", "zhou");
        q("", "th", "", "ep" + std::to_string(1 + round * episodes / 10));  // one episode's Thai lines
        q("wedding hospital");
    }
    return out;
}

std::int64_t file_bytes(const std::string& path) {
    std::int64_t n = 0;
    for (const auto* suffix : {"", "-wal"}) {
        struct stat st {};
        if (::stat((path + suffix).c_str(), &st) == 0) n += st.st_size;
    }
    return n;
}

int search_bench(const std::string& url, int episodes, int lines_per_episode) {
    const bool postgres = url.rfind("postgres", 0) == 0;
    if (!postgres) fs::remove(url), fs::remove(url + "-wal"), fs::remove(url + "-shm");
    auto index = search::open_library_index(url);
    index->remove_series("bench");
    std::mt19937 rng(15);
    std::vector<std::vector<search::LibraryLine>> library;
    for (int e = 1; e <= episodes; ++e) library.push_back(make_episode(e, lines_per_episode, rng));
    const std::size_t rows = library.size() * library.front().size();
    std::cout << "library on " << (postgres ? "PostgreSQL" : "SQLite") << ": " << episodes << " episodes × 5 languages + the source, "
              << rows << " lines\n";

    // Baseline: the same rows into a plain table of the same database (no index of words).
    std::int64_t baseline_bytes = 0;
    double baseline_ms = 0;
    std::unique_ptr<pqxx::connection> pg;
    sqlite3* lite = nullptr;
    if (postgres) {
        pg = std::make_unique<pqxx::connection>(url);
        pqxx::work w(*pg);
        w.exec("DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain (series TEXT, episode TEXT, language TEXT, line INT, speaker TEXT, text TEXT)");
        w.commit();
        const auto t = Clock::now();
        for (const auto& ep : library) {
            pqxx::work tx(*pg);
            pqxx::stream_to copy(tx, "bench_plain", std::vector<std::string>{"series", "episode", "language", "line", "speaker", "text"});
            for (const auto& l : ep) copy << std::make_tuple(l.series, l.episode, l.language, l.line, l.speaker, l.text);
            copy.complete();
            tx.commit();
        }
        baseline_ms = ms_since(t);
        pqxx::work r(*pg);
        baseline_bytes = r.exec("SELECT pg_total_relation_size('bench_plain')")[0][0].as<long long>();
    } else {
        const std::string plain = url + ".plain";
        fs::remove(plain);
        sqlite3_open(plain.c_str(), &lite);
        sqlite3_exec(lite, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE bench_plain (series TEXT, episode TEXT, language TEXT, line INT, speaker TEXT, text TEXT)",
                     nullptr, nullptr, nullptr);
        const auto t = Clock::now();
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(lite, "INSERT INTO bench_plain VALUES (?, ?, ?, ?, ?, ?)", -1, &s, nullptr);
        for (const auto& ep : library) {
            sqlite3_exec(lite, "BEGIN", nullptr, nullptr, nullptr);
            for (const auto& l : ep) {
                sqlite3_bind_text(s, 1, l.series.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(s, 2, l.episode.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(s, 3, l.language.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_int(s, 4, l.line);
                sqlite3_bind_text(s, 5, l.speaker.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(s, 6, l.text.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_step(s);
                sqlite3_reset(s);
            }
            sqlite3_exec(lite, "COMMIT", nullptr, nullptr, nullptr);
        }
        sqlite3_finalize(s);
        sqlite3_wal_checkpoint_v2(lite, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        baseline_ms = ms_since(t);
        baseline_bytes = file_bytes(plain);
    }

    const auto t = Clock::now();
    for (const auto& ep : library) index->replace_episode("bench", ep.front().episode, ep);
    const double index_ms = ms_since(t);
    std::int64_t index_bytes = 0;
    if (postgres) {
        pqxx::work r(*pg);
        index_bytes = r.exec("SELECT pg_total_relation_size('dramaloc_lines')")[0][0].as<long long>();
    } else {
        sqlite3* db = nullptr;
        sqlite3_open(url.c_str(), &db);
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        sqlite3_close(db);
        index_bytes = file_bytes(url);
    }
    std::printf("  index time   %8.1f s  (%.0f lines/s)    baseline, the rows alone: %.1f s  ratio %.2f\n", index_ms / 1000,
                static_cast<double>(rows) / (index_ms / 1000), baseline_ms / 1000, index_ms / baseline_ms);
    std::printf("  index size   %8.1f MB (%.0f bytes/line)  baseline, the rows alone: %.1f MB ratio %.2f\n", static_cast<double>(index_bytes) / 1e6,
                static_cast<double>(index_bytes) / static_cast<double>(rows), static_cast<double>(baseline_bytes) / 1e6,
                static_cast<double>(index_bytes) / static_cast<double>(baseline_bytes));

    std::vector<double> took, scan;
    std::vector<std::pair<double, std::string>> slowest;
    std::size_t hits = 0;
    for (const auto& query : queries(episodes)) {
        const auto q0 = Clock::now();
        hits += index->search(query).size();
        took.push_back(ms_since(q0));
        slowest.emplace_back(took.back(), "\"" + query.text + "\"" + (query.language.empty() ? "" : " lang " + query.language) +
                                              (query.character.empty() ? "" : " character " + query.character) +
                                              (query.episode.empty() ? "" : " episode " + query.episode));
    }
    std::sort(slowest.rbegin(), slowest.rend());
    // The baseline: a LIKE scan for each query's first word (no index), 15 of them.
    for (const char* word : {"contract", "hate", "the", "林", "合同", "恨", "ทรยศ", "สัญญา", "الخيانة", "العَقد", "traición", "miss lin", "vérité", "wedding", "lin"}) {
        const std::string pattern = std::string("%") + word + "%";
        const auto q0 = Clock::now();
        if (postgres) {
            pqxx::work r(*pg);
            r.exec_params("SELECT episode, line FROM bench_plain WHERE text ILIKE $1 ORDER BY episode, language, line LIMIT 50", pattern);
        } else {
            sqlite3_stmt* s = nullptr;
            sqlite3_prepare_v2(lite, "SELECT episode, line FROM bench_plain WHERE text LIKE ? ORDER BY episode, language, line LIMIT 50", -1, &s, nullptr);
            sqlite3_bind_text(s, 1, pattern.c_str(), -1, SQLITE_TRANSIENT);
            while (sqlite3_step(s) == SQLITE_ROW) {
            }
            sqlite3_finalize(s);
        }
        scan.push_back(ms_since(q0));
    }
    std::printf("  queries      %zu (%zu hits): p50 %.2f ms  p99 %.2f ms  max %.2f ms   (target p99 <= 50 ms)\n", took.size(), hits,
                percentile(took, 0.5), percentile(took, 0.99), percentile(took, 1.0));
    std::printf("  slowest: %s %.1f ms; %s %.1f ms; %s %.1f ms\n", slowest[0].second.c_str(), slowest[0].first, slowest[1].second.c_str(),
                slowest[1].first, slowest[2].second.c_str(), slowest[2].first);
    std::printf("  baseline, a LIKE scan of the rows: p50 %.2f ms  p99 %.2f ms   ratio of p50s %.3f\n", percentile(scan, 0.5),
                percentile(scan, 0.99), percentile(took, 0.5) / percentile(scan, 0.5));
    if (lite) sqlite3_close(lite);
    if (pg) {
        pqxx::work w(*pg);
        w.exec("DROP TABLE bench_plain");
        w.commit();
    }
    return 0;
}

int review_bench(int terms, int patterns) {
    const fs::path dir = fs::temp_directory_path() / ("dramaloc-review-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::mt19937 rng(7);
    // Terms: made-up words in each script (none of the dialogue's words, so the figure is the
    // cost of looking, not of reporting) plus a handful that hit.
    const std::vector<std::string> alphabets = {"abcdefghijklmnopqrstuvwxyz", "กขคงจฉชซญดตถทนบปผพฟมยรลวสหอ"};
    std::uniform_int_distribution<int> len(4, 9);
    const auto word = [&](const std::string& alphabet) {
        std::string w;
        const bool thai = alphabet.size() > 26;
        const int n = len(rng);
        for (int i = 0; i < n; ++i) {
            const std::size_t k = std::uniform_int_distribution<std::size_t>(0, (thai ? alphabet.size() / 3 : alphabet.size()) - 1)(rng);
            w += thai ? alphabet.substr(k * 3, 3) : alphabet.substr(k, 1);
        }
        return w;
    };
    std::string term_pack = "[pack]\nname = \"terms\"\nversion = \"1\"\n\n";
    std::vector<std::string> term_words;
    for (int i = 0; i < terms; ++i) {
        const std::string w = i < 5 ? std::vector<std::string>{"hate", "traición", "ทรยศ", "恨", "الخيانة"}[static_cast<std::size_t>(i)]
                                    : word(alphabets[static_cast<std::size_t>(i % 2)]);
        term_words.push_back(w);
        term_pack += "[[term]]\ntext = \"" + w + "\"\nseverity = \"" + (i % 3 == 0 ? "block" : "warn") + "\"\ncategory = \"c" + std::to_string(i % 7) + "\"\n";
    }
    std::string pattern_pack = "[pack]\nname = \"patterns\"\nversion = \"1\"\n\n";
    std::vector<std::string> regexes;
    for (int i = 0; i < patterns; ++i) {
        const std::string r = i < 3 ? std::vector<std::string>{"(?i)\\\\bmoney\\\\b", "d[ií]nero", "เงิน"}[static_cast<std::size_t>(i)]
                                    : "(?i)\\\\b" + word(alphabets[0]) + "(s|es)?\\\\b";
        pattern_pack += "[[pattern]]\nregex = \"" + r + "\"\nreplacement = \"***\"\n";
        std::string unescaped = r;
        for (std::size_t at; (at = unescaped.find("\\\\")) != std::string::npos;) unescaped.replace(at, 2, "\\");
        regexes.push_back(unescaped);
    }
    std::ofstream(dir / "terms.toml") << term_pack;
    std::ofstream(dir / "patterns.toml") << pattern_pack;
    auto t = Clock::now();
    std::vector<policy::Pack> packs = {policy::load_pack(dir / "terms.toml"), policy::load_pack(dir / "patterns.toml")};
    const double load_ms = ms_since(t);
    t = Clock::now();
    policy::ContentReviewer content_reviewer(std::move(packs));
    const double compile_ms = ms_since(t);
    fs::remove_all(dir);

    // A 90-second episode: 40 lines, in 5 languages.
    const auto episode = make_episode(1, 40, rng);
    std::vector<std::vector<policy::ContentLine>> by_language;
    for (const auto& l : episode) {
        if (l.is_source) continue;
        if (by_language.empty() || by_language.back().front().language != l.language) by_language.emplace_back();
        by_language.back().push_back({l.episode, l.language, l.is_source, l.line, l.start_ms, l.end_ms, l.speaker, l.text, l.source});
    }
    std::vector<double> took;
    std::size_t findings = 0;
    for (int round = 0; round < 5; ++round)
        for (const auto& lines : by_language) {
            const auto t0 = Clock::now();
            findings += content_reviewer.review(lines).size();
            took.push_back(ms_since(t0));
        }
    // Baselines on the same lines: every pattern run on its own, and a substring search per term.
    std::vector<std::unique_ptr<RE2>> compiled;
    for (const auto& r : regexes) compiled.push_back(std::make_unique<RE2>(r, RE2::Quiet));
    std::vector<double> one_by_one;
    for (const auto& lines : by_language) {
        const auto t0 = Clock::now();
        std::size_t n = 0;
        for (const auto& l : lines) {
            for (const auto& re : compiled) n += RE2::PartialMatch(l.text, *re);
            for (const auto& w : term_words) n += l.text.find(w) != std::string::npos;
        }
        one_by_one.push_back(ms_since(t0));
        if (n == 0) std::cout << "";
    }
    std::printf("content review: packs of %d terms and %d patterns, a 90 s episode (40 lines) × %zu languages\n", terms, patterns, by_language.size());
    std::printf("  packs read %.0f ms, compiled %.0f ms (once per run or server)\n", load_ms, compile_ms);
    std::printf("  per episode-language: p50 %.2f ms  max %.2f ms  (%zu findings in %zu reviews)   (target <= 100 ms)\n", percentile(took, 0.5),
                percentile(took, 1.0), findings, took.size());
    std::printf("  baseline, each pattern and term on its own: p50 %.2f ms   ratio %.3f\n", percentile(one_by_one, 0.5),
                percentile(took, 0.5) / percentile(one_by_one, 0.5));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string what = argc > 1 ? argv[1] : "";
        if (what == "search" && argc > 2) return search_bench(argv[2], argc > 3 ? std::stoi(argv[3]) : 2000, argc > 4 ? std::stoi(argv[4]) : 40);
        if (what == "review") return review_bench(argc > 2 ? std::stoi(argv[2]) : 10000, argc > 3 ? std::stoi(argv[3]) : 10000);
        std::cerr << "usage: library_bench search URL [EPISODES] [LINES] | library_bench review [TERMS] [PATTERNS]\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "library_bench: " << e.what() << "\n";
        return 1;
    }
}
