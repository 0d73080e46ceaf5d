#include "engines/asr_lines.hpp"

#include "core/edit_distance.hpp"

#include <algorithm>
#include <iterator>
#include <cctype>
#include <iterator>
#include <string>

namespace dramaloc::engines {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

bool has_upper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_sentence_end(char c) { return c == '.' || c == '?' || c == '!' || c == ','; }

// Openers of English yes/no and wh- questions.
constexpr std::string_view kQuestionOpeners[] = {
    "what",   "where",   "why",     "how",      "who",      "whom",     "whose",     "when",    "which",
    "do",     "does",    "did",     "are",      "is",       "was",      "were",      "am",      "can",
    "could",  "will",    "would",   "should",   "shall",    "have",     "has",       "had",     "may",
    "might",  "must",    "isn't",   "aren't",   "don't",    "didn't",   "doesn't",   "won't",   "can't",
    "wasn't", "weren't", "haven't", "hasn't",   "couldn't", "wouldn't", "shouldn't", "what's",  "where's",
    "who's",  "how's",   "why's",   "when's"};

bool opens_question(std::string_view word) {
    const std::string w = lowercase(word);
    return std::find(std::begin(kQuestionOpeners), std::end(kQuestionOpeners), w) != std::end(kQuestionOpeners);
}

// "i", "i'm", "i'll", "i've", "i'd" -> capital I; other all-lower-case words unchanged.
std::string truecase(std::string_view word) {
    if (word == "i" || word.starts_with("i'")) {
        std::string out(word);
        out[0] = 'I';
        return out;
    }
    return std::string(word);
}

Line make_line(const std::vector<Word>& words, std::size_t first, std::size_t last) {
    Line line;
    line.origin = LineOrigin::Asr;
    line.start = words[first].start;
    line.end = words[last].end;
    std::vector<std::string_view> texts;
    for (std::size_t i = first; i <= last; ++i) {
        line.words.push_back(words[i]);
        line.end = std::max(line.end, words[i].end);
        texts.push_back(words[i].text);
    }
    line.text = punctuate_utterance(texts);
    // The words carry the same corrections as the text ("I", the capital, the final mark),
    // because subtitles are built from word times and must read like the line.
    std::vector<std::string> tokens;
    for (std::size_t pos = 0; pos < line.text.size();) {
        const std::size_t end = std::min(line.text.find(' ', pos), line.text.size());
        if (end > pos) tokens.push_back(line.text.substr(pos, end - pos));
        pos = end + 1;
    }
    if (tokens.size() == line.words.size())
        for (std::size_t i = 0; i < tokens.size(); ++i) line.words[i].text = tokens[i];
    return line;
}

// Splits [first, last] at its widest pause until every piece fits the limits.
void split_long(const std::vector<Word>& words, std::size_t first, std::size_t last, const LinePolicy& policy,
                std::vector<Line>& out) {
    const std::size_t count = last - first + 1;
    const TimeMs span = words[last].end - words[first].start;
    if (count <= 1 || (count <= policy.max_line_words && span <= policy.max_line_ms)) {
        out.push_back(make_line(words, first, last));
        return;
    }
    // Widest gap; among equal gaps the one nearest the middle, so pieces stay balanced.
    std::size_t cut = first;
    TimeMs best_gap = -1;
    std::size_t best_balance = count;
    for (std::size_t i = first; i < last; ++i) {
        const TimeMs gap = words[i + 1].start - words[i].end;
        const std::size_t left = i - first + 1;
        const std::size_t balance = left > count - left ? left - (count - left) : (count - left) - left;
        if (gap > best_gap || (gap == best_gap && balance < best_balance)) {
            best_gap = gap;
            best_balance = balance;
            cut = i;
        }
    }
    split_long(words, first, cut, policy, out);
    split_long(words, cut + 1, last, policy, out);
}

// Titles the recogniser's dictionary writes abbreviated, as transcripts spell them (the usual
// normalisation of English ASR evaluation: "Mr" and "mister" are the same word heard).
std::string spelled_out(std::string token) {
    static const std::pair<const char*, const char*> kTitles[] = {{"mr", "mister"}, {"mrs", "missus"}, {"dr", "doctor"}, {"st", "saint"}};
    for (const auto& [abbreviation, word] : kTitles)
        if (token == abbreviation) return word;
    return token;
}

std::vector<std::string> normalised_tokens(std::string_view text) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r') ++j;
        std::string token = lowercase(text.substr(i, j - i));
        const auto is_punct = [](unsigned char c) { return c < 0x80 && !std::isalnum(c); };
        while (!token.empty() && is_punct(static_cast<unsigned char>(token.back()))) token.pop_back();
        std::size_t lead = 0;
        while (lead < token.size() && is_punct(static_cast<unsigned char>(token[lead]))) ++lead;
        token.erase(0, lead);
        if (!token.empty()) tokens.push_back(spelled_out(std::move(token)));
        i = j;
    }
    return tokens;
}

}  // namespace

std::string punctuate_utterance(const std::vector<std::string_view>& words) {
    std::string text;
    for (std::string_view w : words) {
        if (w.empty()) continue;
        if (!text.empty()) text += ' ';
        text += has_upper(w) ? std::string(w) : truecase(w);
    }
    if (text.empty()) return text;
    text[0] = ascii_upper(text[0]);
    if (is_sentence_end(text.back()) && text.back() != ',') return text;
    if (text.back() == ',') text.pop_back();
    std::string_view first_word;
    for (std::string_view w : words) {
        if (!w.empty()) {
            first_word = w;
            break;
        }
    }
    text += opens_question(first_word) ? '?' : '.';
    return text;
}

std::vector<Line> words_to_lines(const std::vector<Word>& input, const LinePolicy& policy) {
    return words_to_lines(input, {}, policy);
}

std::vector<Line> words_to_lines(const std::vector<Word>& input, const std::vector<SpeechRegion>& speech, const LinePolicy& policy) {
    std::vector<Word> words;
    for (const Word& w : input) {
        if (!w.text.empty()) words.push_back(w);
    }
    // The speech region of each word: the one holding its middle, else the nearest within
    // 300 ms (recognisers stretch words into silence); -1 for none.
    const auto region_of = [&](const Word& w) -> std::ptrdiff_t {
        const TimeMs middle = (w.start + w.end) / 2;
        std::ptrdiff_t best = -1;
        TimeMs nearest = 300;
        for (std::size_t r = 0; r < speech.size(); ++r) {
            const TimeMs d = middle < speech[r].start ? speech[r].start - middle : middle > speech[r].end ? middle - speech[r].end : 0;
            if (d < nearest) nearest = d, best = static_cast<std::ptrdiff_t>(r);
            if (d == 0) break;
        }
        return best;
    };
    std::vector<std::ptrdiff_t> regions(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) regions[i] = region_of(words[i]);

    std::vector<Line> lines;
    std::vector<std::ptrdiff_t> first_region, last_region;  // per line
    std::size_t first = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const bool last_word = i + 1 == words.size();
        const bool new_region = !last_word && regions[i] >= 0 && regions[i + 1] >= 0 && regions[i] != regions[i + 1];
        if (last_word || new_region || words[i + 1].start - words[i].end >= policy.split_pause_ms) {
            const std::size_t before = lines.size();
            split_long(words, first, i, policy, lines);
            for (std::size_t l = before; l < lines.size(); ++l) {
                first_region.push_back(l == before ? regions[first] : -1);
                last_region.push_back(l + 1 == lines.size() ? regions[i] : -1);
            }
            first = i + 1;
        }
    }
    // Edges onto the speech. A line that starts (ends) in a pause, where a recogniser put a
    // word in the music, starts (ends) with the speech. The first line of a region starts with
    // it and the last ends with it; and a region in which nothing was recognised (the
    // recogniser dropped a whole sentence) goes to the line it is closest to, the next one
    // on a tie, within snap_to_speech_ms: the dub of that line then starts with its voice.
    std::vector<bool> has_words(speech.size(), false);
    for (const auto r : regions)
        if (r >= 0) has_words[static_cast<std::size_t>(r)] = true;
    const auto inside = [&](TimeMs t) {
        return std::any_of(speech.begin(), speech.end(), [&](const SpeechRegion& r) { return r.start <= t && t < r.end; });
    };
    for (Line& line : lines) {
        if (speech.empty() || inside(line.start)) continue;
        for (const SpeechRegion& r : speech)
            if (r.start > line.start && r.start < line.end) {
                line.start = r.start;
                break;
            }
    }
    for (Line& line : lines) {
        if (speech.empty() || inside(line.end - 1)) continue;
        for (auto r = speech.rbegin(); r != speech.rend(); ++r)
            if (r->end < line.end && r->end > line.start) {
                line.end = r->end;
                break;
            }
    }
    for (std::size_t l = 0; l < lines.size(); ++l) {
        if (const auto r = first_region[l]; r >= 0 && (l == 0 || last_region[l - 1] != r)) {
            const TimeMs edge = speech[static_cast<std::size_t>(r)].start;
            if (edge < lines[l].start && lines[l].start - edge <= policy.snap_to_speech_ms && (l == 0 || lines[l - 1].end <= edge))
                lines[l].start = edge;
        }
        if (const auto r = last_region[l]; r >= 0 && (l + 1 == lines.size() || first_region[l + 1] != r)) {
            const TimeMs edge = speech[static_cast<std::size_t>(r)].end;
            if (edge > lines[l].end && edge - lines[l].end <= policy.snap_to_speech_ms &&
                (l + 1 == lines.size() || lines[l + 1].start >= edge))
                lines[l].end = edge;
        }
    }
    for (std::size_t r = 0; r < speech.size(); ++r) {
        if (has_words[r] || lines.empty()) continue;
        const SpeechRegion& wordless = speech[r];
        const auto next = std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.start >= wordless.end; });
        const TimeMs to_next = next == lines.end() ? policy.snap_to_speech_ms + 1 : next->start - wordless.end;
        const auto previous = next == lines.begin() ? lines.end() : std::prev(next);
        const TimeMs from_previous =
            previous == lines.end() || previous->end > wordless.start ? policy.snap_to_speech_ms + 1 : wordless.start - previous->end;
        if (to_next <= from_previous && to_next <= policy.snap_to_speech_ms && next->start - wordless.start <= policy.snap_to_speech_ms + 1500)
            next->start = wordless.start;
        else if (from_previous < to_next && from_previous <= policy.snap_to_speech_ms)
            previous->end = wordless.end;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) lines[i].id = static_cast<int>(i + 1);
    return lines;
}

std::vector<Line> split_line_at_turns(const Line& line, const std::vector<VoiceTurn>& turns) {
    std::vector<Line> parts;
    std::size_t first = 0;
    TimeMs start = line.start;
    for (std::size_t n = 0; n <= turns.size(); ++n) {
        const bool last = n == turns.size();
        const std::size_t end = last ? line.words.size() : turns[n].word;
        if (end <= first || end > line.words.size()) continue;
        Line part = make_line(line.words, first, end - 1);
        part.id = 0;
        part.origin = line.origin;
        part.speaker = line.speaker;
        part.start = start;
        part.end = last ? line.end : std::clamp(turns[n].previous_ends, start + 1, line.end);
        if (!last) start = std::clamp(turns[n].starts, part.end, line.end);
        parts.push_back(std::move(part));
        first = end;
    }
    if (parts.empty()) parts.push_back(line);
    return parts;
}

double WordErrors::rate() const {
    if (reference_words == 0) return insertions > 0 ? 1.0 : 0.0;
    return static_cast<double>(errors()) / static_cast<double>(reference_words);
}

WordErrors& WordErrors::operator+=(const WordErrors& other) {
    substitutions += other.substitutions;
    deletions += other.deletions;
    insertions += other.insertions;
    reference_words += other.reference_words;
    return *this;
}

WordErrors count_word_errors(std::string_view reference, std::string_view hypothesis) {
    const std::vector<std::string> ref = normalised_tokens(reference);
    const std::vector<std::string> hyp = normalised_tokens(hypothesis);
    const EditCounts edits = align_edits(ref, hyp);
    WordErrors e;
    e.reference_words = ref.size();
    e.substitutions = edits.substitutions;
    e.deletions = edits.deletions;
    e.insertions = edits.insertions;
    return e;
}

double word_error_rate(std::string_view reference, std::string_view hypothesis) {
    return count_word_errors(reference, hypothesis).rate();
}

}  // namespace dramaloc::engines
