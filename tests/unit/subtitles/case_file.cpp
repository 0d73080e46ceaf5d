#include "case_file.hpp"
#include "support/test_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dramaloc::subtitles::test {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path, int line, const std::string& what) {
    throw std::runtime_error(path.string() + ":" + std::to_string(line) + ": " + what);
}

// "12", "1.5", "1.250" seconds → ms, exactly.
bool parse_seconds(const std::string& s, TimeMs& out) {
    const auto dot = s.find('.');
    const std::string whole = s.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    if (whole.empty() || frac.size() > 3) return false;
    if (!std::all_of(whole.begin(), whole.end(), ::isdigit) || !std::all_of(frac.begin(), frac.end(), ::isdigit))
        return false;
    TimeMs ms = std::stoll(whole) * 1000;
    if (!frac.empty()) ms += std::stoll(frac + std::string(3 - frac.size(), '0'));
    out = ms;
    return true;
}

std::string rest_after(const std::string& line, std::size_t words) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < words; ++i) {
        pos = line.find_first_not_of(' ', pos);
        pos = line.find(' ', pos);
        if (pos == std::string::npos) return {};
    }
    const auto start = line.find_first_not_of(' ', pos);
    return start == std::string::npos ? std::string() : line.substr(start);
}

}  // namespace

std::string seconds(TimeMs t) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(t / 1000), static_cast<long long>(t % 1000));
    return buf;
}

RuleCase read_case(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path.string() + ": cannot open");
    RuleCase c;
    c.path = path;
    bool expecting = false;
    bool language_set = false;
    std::vector<std::pair<std::string, std::string>> settings;
    SubtitleEvent* current_event = nullptr;
    std::string raw;
    int number = 0;
    while (std::getline(in, raw)) {
        ++number;
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        if (raw.rfind("> ", 0) == 0 || raw == ">") {
            if (!current_event) fail(path, number, "a '>' text line must follow an event line");
            current_event->lines.push_back(raw.size() > 2 ? raw.substr(2) : "");
            continue;
        }
        const auto first = raw.find_first_not_of(' ');
        if (first == std::string::npos || raw[first] == '#') continue;
        std::istringstream words(raw);
        std::string keyword;
        words >> keyword;
        if (keyword == "language") {
            if (language_set) fail(path, number, "language given twice");
            words >> c.language;
            language_set = true;
        } else if (keyword == "fps") {
            std::string fps;
            words >> fps;
            const auto slash = fps.find('/');
            c.frame_rate.num = std::stoi(fps.substr(0, slash));
            c.frame_rate.den = slash == std::string::npos ? 1 : std::stoi(fps.substr(slash + 1));
        } else if (keyword == "set") {
            std::string name, value;
            words >> name >> value;
            settings.emplace_back(name, value);
        } else if (keyword == "expect") {
            expecting = true;
            current_event = nullptr;
        } else if (keyword == "line" || keyword == "word" || keyword == "event") {
            std::string a, b;
            words >> a >> b;
            TimeMs start = 0, end = 0;
            if (!parse_seconds(a, start) || !parse_seconds(b, end))
                fail(path, number, "expected: " + keyword + " START END ... with times in seconds like 1.250");
            std::string text = rest_after(raw, 3);
            std::string speaker;
            if (keyword != "word" && text.rfind('@', 0) == 0) {
                const auto space = text.find(' ');
                speaker = text.substr(1, space == std::string::npos ? std::string::npos : space - 1);
                text = space == std::string::npos ? "" : text.substr(space + 1);
            }
            if (keyword == "line") {
                if (expecting) fail(path, number, "line inputs must come before 'expect'");
                Line l;
                l.id = static_cast<int>(c.script.lines.size()) + 1;
                l.start = start;
                l.end = end;
                l.speaker = speaker;
                l.text = text;
                c.script.lines.push_back(l);
            } else if (keyword == "word") {
                if (expecting || c.script.lines.empty()) fail(path, number, "a word must follow its line");
                c.script.lines.back().words.push_back(Word{text, start, end, 1.0f});
            } else {
                auto& list = expecting ? c.expected_events : c.events;
                SubtitleEvent e;
                e.id = static_cast<int>(list.size()) + 1;
                e.start = start;
                e.end = end;
                e.speaker = speaker;
                list.push_back(e);
                current_event = &list.back();
                if (!text.empty()) current_event->lines.push_back(text);
            }
        } else if (keyword == "violation") {
            if (!expecting) fail(path, number, "violations are expectations: put them after 'expect'");
            ExpectedViolation v;
            words >> v.event_id >> v.rule;
            if (v.event_id <= 0 || v.rule.empty()) fail(path, number, "expected: violation EVENT_ID RULE");
            c.expected_violations.push_back(v);
        } else {
            fail(path, number, "unknown keyword \"" + keyword + "\"");
        }
    }
    if (!language_set) fail(path, 1, "missing 'language' line");
    c.script.language = c.language;
    c.rules = rules_for_language(c.language);
    for (const auto& [name, value] : settings) {
        if (name == "max_lines") c.rules.max_lines = std::stoi(value);
        else if (name == "max_chars_per_line") c.rules.max_chars_per_line = std::stoi(value);
        else if (name == "max_chars_per_second") c.rules.max_chars_per_second = std::stod(value);
        else if (name == "min_duration") c.rules.min_duration = std::stoll(value);
        else if (name == "max_duration") c.rules.max_duration = std::stoll(value);
        else if (name == "min_gap_frames") c.rules.min_gap_frames = std::stoi(value);
        else fail(path, 1, "unknown rule \"" + name + "\" in a set line");
    }
    return c;
}

std::vector<fs::path> case_files(const std::string& kind) {
    const fs::path root = dramaloc::test::source_dir();
    std::vector<fs::path> out;
    const fs::path dir = root / "tests" / "cases" / "subtitles" / kind;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".case") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace dramaloc::subtitles::test
