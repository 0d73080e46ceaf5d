#include "pipeline/script_source.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/text_codec.hpp"
#include "hardsubs/ocr_text.hpp"
#include "subtitles/format.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

namespace {

// A line that matches nothing still pairs with a neighbour's slot in the alignment when it is
// at least this alike (a heavily misread line), rather than leaving both unmatched.
constexpr double kAlignable = 0.3;

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

ScriptFile read_text_script(const fs::path& file) {
    std::string text = read_text_file(file);
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // Notepad's "UTF-8 with BOM"
    ScriptFile out;
    out.timed = false;
    std::size_t number = 0;
    for (std::size_t at = 0; at <= text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view raw(text.data() + at, end - at);
        ++number;
        const std::string where = file.string() + ":" + std::to_string(number) + ": ";
        for (std::size_t i = 0; i < raw.size();) {
            const std::size_t n = utf8_sequence_length(raw, i);
            if (n == 0) throw InputError(where + "not UTF-8 text; save the script as UTF-8");
            if (n == 1 && static_cast<unsigned char>(raw[i]) < 0x20 && raw[i] != '\t' && raw[i] != '\r')
                throw InputError(where + "a control character in the text; one subtitle a line, plain text");
            i += n;
        }
        if (std::string line = trimmed(raw); !line.empty()) {
            Line l;
            l.id = static_cast<int>(out.lines.size()) + 1;
            l.text = std::move(line);
            l.origin = LineOrigin::Import;
            out.lines.push_back(std::move(l));
        }
        at = end + 1;
    }
    return out;
}

ScriptFile read_subtitle_script(const fs::path& file) {
    const auto doc = subtitles::read_subtitles(file);
    ScriptFile out;
    for (const auto& e : doc.events) {
        Line line;
        line.start = e.start;
        line.end = e.end;
        line.speaker = e.speaker;
        for (const auto& l : e.lines) line.text += (line.text.empty() ? "" : " ") + l;
        line.origin = LineOrigin::Import;
        if (!line.text.empty()) out.lines.push_back(std::move(line));
    }
    std::stable_sort(out.lines.begin(), out.lines.end(), [](const Line& a, const Line& b) { return a.start < b.start; });
    for (std::size_t i = 0; i < out.lines.size(); ++i) out.lines[i].id = static_cast<int>(i) + 1;
    return out;
}

// The same text but for spaces and punctuation (which OCR and scripts write differently).
bool same_words(std::string_view a, std::string_view b) {
    const auto letters = [](std::string_view s) {
        std::u32string out;
        for (const char32_t c : code_points(s))
            if (u_isalnum(static_cast<UChar32>(c))) out += c;
        return out;
    };
    return letters(a) == letters(b);
}

TimeMs overlap(const Line& a, const Line& b) { return std::max<TimeMs>(0, std::min(a.end, b.end) - std::max(a.start, b.start)); }

// Lines still at 0-0 take the stretch between their timed neighbours, shared evenly. Where
// that stretch is too short for them (back-to-back subtitles touch: a line the studio split in
// two falls between them), they share the previous line's time too, then the next one's.
void fill_gaps(std::vector<Line>& lines, TimeMs duration_ms) {
    constexpr TimeMs kShortestLine = 300;
    for (std::size_t i = 0; i < lines.size();) {
        if (lines[i].end > lines[i].start) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < lines.size() && lines[j].end <= lines[j].start) ++j;
        std::size_t first = i, last = j;  // the lines sharing [from, to)
        TimeMs from = i > 0 ? lines[i - 1].end : 0;
        TimeMs to = j < lines.size() ? lines[j].start : duration_ms;
        const auto too_short = [&] { return to - from < static_cast<TimeMs>(last - first) * kShortestLine; };
        if (too_short() && i > 0) first = i - 1, from = lines[i - 1].start;
        if (too_short() && j < lines.size()) last = j + 1, to = lines[j].end;
        if (too_short()) to = from + static_cast<TimeMs>(last - first) * kShortestLine;  // past the end rather than backwards
        const auto n = static_cast<TimeMs>(last - first);
        for (std::size_t k = first; k < last; ++k) {
            const auto p = static_cast<TimeMs>(k - first);
            lines[k].start = from + (to - from) * p / n;
            lines[k].end = from + (to - from) * (p + 1) / n;
        }
        i = last;
    }
}

}  // namespace

ScriptFile read_script_file(const fs::path& file) {
    std::string extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    ScriptFile out = extension == ".txt" ? read_text_script(file) : read_subtitle_script(file);
    if (out.lines.empty()) throw InputError(file.string() + ": the script has no line of text");
    return out;
}

std::vector<Line> time_by_matching_lines(std::vector<Line> untimed, const std::vector<Line>& timed, TimeMs duration_ms) {
    // Needleman-Wunsch over the two sequences: a pair scores its similarity, a line left
    // unmatched scores nothing; pairs below kAlignable are not made.
    const std::size_t n = untimed.size(), m = timed.size();
    std::vector<std::vector<double>> best(n + 1, std::vector<double>(m + 1, 0.0));
    std::vector<std::vector<double>> alike(n, std::vector<double>(m, 0.0));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < m; ++j) alike[i][j] = hardsubs::text_similarity(untimed[i].text, timed[j].text);
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            best[i][j] = std::max(best[i - 1][j], best[i][j - 1]);
            if (alike[i - 1][j - 1] >= kAlignable) best[i][j] = std::max(best[i][j], best[i - 1][j - 1] + alike[i - 1][j - 1]);
        }
    std::vector<std::ptrdiff_t> match(n, -1);  // the timed line each untimed one took
    for (std::size_t i = n, j = m; i > 0 && j > 0;) {
        if (alike[i - 1][j - 1] >= kAlignable && best[i][j] == best[i - 1][j - 1] + alike[i - 1][j - 1]) {
            match[i - 1] = static_cast<std::ptrdiff_t>(j - 1);
            --i, --j;
        } else if (best[i][j] == best[i - 1][j]) {
            --i;
        } else {
            --j;
        }
    }
    // Between two matched lines, as many unmatched lines on each side: the same lines in the
    // same order, rewritten since the picture was made. They pair up in order.
    for (std::size_t i = 0; i < n;) {
        if (match[i] >= 0) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < n && match[end] < 0) ++end;
        const std::ptrdiff_t after = i > 0 ? match[i - 1] + 1 : 0, before = end < n ? match[end] : static_cast<std::ptrdiff_t>(m);
        if (before - after == static_cast<std::ptrdiff_t>(end - i))
            for (std::size_t k = i; k < end; ++k) match[k] = after + static_cast<std::ptrdiff_t>(k - i);
        i = end;
    }
    for (std::size_t i = 0; i < n; ++i) {
        untimed[i].start = match[i] >= 0 ? timed[static_cast<std::size_t>(match[i])].start : 0;
        untimed[i].end = match[i] >= 0 ? timed[static_cast<std::size_t>(match[i])].end : 0;
    }
    fill_gaps(untimed, duration_ms);
    return untimed;
}

std::vector<Line> time_by_speech(std::vector<Line> untimed, const std::vector<engines::SpeechRegion>& regions, TimeMs duration_ms) {
    if (untimed.empty()) return untimed;
    std::vector<engines::SpeechRegion> stretches(regions.begin(), regions.end());
    if (stretches.empty()) stretches.push_back({0, duration_ms});
    // Too many stretches: merge the two closest (the shortest pause between them).
    while (stretches.size() > untimed.size()) {
        std::size_t at = 0;
        for (std::size_t i = 1; i + 1 < stretches.size(); ++i)
            if (stretches[i + 1].start - stretches[i].end < stretches[at + 1].start - stretches[at].end) at = i;
        stretches[at].end = stretches[at + 1].end;
        stretches.erase(stretches.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    }
    // Too few: split the longest, between the lines it would hold, in proportion to their text.
    std::vector<std::size_t> holds(stretches.size(), 1);
    for (std::size_t extra = untimed.size() - stretches.size(); extra > 0; --extra) {
        std::size_t longest = 0;
        for (std::size_t i = 1; i < stretches.size(); ++i)
            if ((stretches[i].end - stretches[i].start) / static_cast<TimeMs>(holds[i]) > (stretches[longest].end - stretches[longest].start) / static_cast<TimeMs>(holds[longest]))
                longest = i;
        ++holds[longest];
    }
    std::size_t line = 0;
    for (std::size_t s = 0; s < stretches.size(); ++s) {
        double chars = 0;
        for (std::size_t k = 0; k < holds[s]; ++k) chars += static_cast<double>(std::max<std::size_t>(1, utf8_length(untimed[line + k].text)));
        const TimeMs from = stretches[s].start, length = stretches[s].end - stretches[s].start;
        double done = 0;
        for (std::size_t k = 0; k < holds[s]; ++k, ++line) {
            untimed[line].start = from + static_cast<TimeMs>(std::llround(static_cast<double>(length) * done / chars));
            done += static_cast<double>(std::max<std::size_t>(1, utf8_length(untimed[line].text)));
            untimed[line].end = from + static_cast<TimeMs>(std::llround(static_cast<double>(length) * done / chars));
        }
    }
    return untimed;
}

std::vector<ScriptDisagreement> compare_script_with_picture(const std::vector<Line>& script, const std::vector<Line>& picture) {
    std::vector<ScriptDisagreement> out;
    std::vector<bool> covered(picture.size(), false);
    for (const Line& line : script) {
        const Line* best = nullptr;
        TimeMs most = 0;
        for (std::size_t j = 0; j < picture.size(); ++j) {
            const TimeMs o = overlap(line, picture[j]);
            if (o > 0) covered[j] = true;
            if (o > most) most = o, best = &picture[j];
        }
        if (best && same_words(line.text, best->text)) continue;
        out.push_back({line.id, line.start, line.end, line.text, best ? best->text : std::string()});
    }
    for (std::size_t j = 0; j < picture.size(); ++j)
        if (!covered[j]) out.push_back({0, picture[j].start, picture[j].end, {}, picture[j].text});
    std::stable_sort(out.begin(), out.end(), [](const ScriptDisagreement& a, const ScriptDisagreement& b) { return a.start < b.start; });
    return out;
}

}  // namespace dramaloc::pipeline
