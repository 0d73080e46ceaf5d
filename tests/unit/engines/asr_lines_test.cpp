#include "engines/asr_lines.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace dramaloc::engines {
namespace {

// Words of `text` starting at `start`, each `word_ms` long with `gap_ms` between them.
std::vector<Word> timed_words(const std::string& text, TimeMs start, TimeMs word_ms = 300, TimeMs gap_ms = 50) {
    std::vector<Word> words;
    std::istringstream in(text);
    std::string w;
    TimeMs t = start;
    while (in >> w) {
        words.push_back({w, t, t + word_ms, 0.9f});
        t += word_ms + gap_ms;
    }
    return words;
}

std::vector<Word> concat(std::vector<Word> a, const std::vector<Word>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

TEST(WordsToLines, SplitsAtPausesAndKeepsWordsAndTimes) {
    const std::vector<Word> first = timed_words("where are you going tonight", 1000);
    const std::vector<Word> second = timed_words("i am going home", first.back().end + 800);
    const std::vector<Line> lines = words_to_lines(concat(first, second));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].id, 1);
    EXPECT_EQ(lines[1].id, 2);
    EXPECT_EQ(lines[0].text, "Where are you going tonight?");
    EXPECT_EQ(lines[1].text, "I am going home.");
    EXPECT_EQ(lines[0].start, 1000);
    EXPECT_EQ(lines[0].end, first.back().end);
    EXPECT_EQ(lines[1].start, second.front().start);
    // Words keep their times; their text carries the line's corrections.
    ASSERT_EQ(lines[0].words.size(), first.size());
    ASSERT_EQ(lines[1].words.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(lines[0].words[i].start, first[i].start);
        EXPECT_EQ(lines[0].words[i].end, first[i].end);
    }
    for (std::size_t i = 0; i < second.size(); ++i) EXPECT_EQ(lines[1].words[i].start, second[i].start);
    std::vector<std::string> texts0, texts1;
    for (const auto& w : lines[0].words) texts0.push_back(w.text);
    for (const auto& w : lines[1].words) texts1.push_back(w.text);
    EXPECT_EQ(texts0, (std::vector<std::string>{"Where", "are", "you", "going", "tonight?"}));
    EXPECT_EQ(texts1, (std::vector<std::string>{"I", "am", "going", "home."}));
    EXPECT_EQ(lines[0].origin, LineOrigin::Asr);
    EXPECT_TRUE(lines[0].speaker.empty());
}

TEST(WordsToLines, ShortPausesDoNotSplitAndThePauseIsConfigurable) {
    const std::vector<Word> a = timed_words("hello my name is john", 0);
    const std::vector<Word> b = timed_words("nice to meet you", a.back().end + 300);
    EXPECT_EQ(words_to_lines(concat(a, b)).size(), 1u);  // 300 ms < 350 ms default
    LinePolicy policy;
    policy.split_pause_ms = 250;
    EXPECT_EQ(words_to_lines(concat(a, b), policy).size(), 2u);
}

TEST(WordsToLines, LongUtterancesSplitAtTheirWidestPauseWithinLimits) {
    // 30 words without a long pause; the widest gap (200 ms) is after word 12.
    std::vector<Word> words = timed_words("one two three four five six seven eight nine ten eleven twelve", 0);
    const std::vector<Word> rest = timed_words(
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty one two three four five six seven "
        "eight nine ten",
        words.back().end + 200);
    words = concat(words, rest);
    ASSERT_EQ(words.size(), 30u);
    const std::vector<Line> lines = words_to_lines(words);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines[0].words.size(), 12u);
    std::size_t total = 0;
    for (const Line& line : lines) {
        EXPECT_LE(line.words.size(), 20u);
        EXPECT_LE(line.duration(), 6000);
        total += line.words.size();
    }
    EXPECT_EQ(total, 30u);
    for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i].id, static_cast<int>(i + 1));
}

TEST(WordsToLines, DurationLimitSplitsSlowSpeech) {
    const std::vector<Word> slow = timed_words("we waited for you all night long", 0, 900, 100);  // 7 s
    LinePolicy policy;
    const std::vector<Line> lines = words_to_lines(slow, policy);
    ASSERT_EQ(lines.size(), 2u);
    for (const Line& line : lines) EXPECT_LE(line.duration(), policy.max_line_ms);
}

TEST(WordsToLines, EmptyInputAndEmptyWords) {
    EXPECT_TRUE(words_to_lines({}).empty());
    EXPECT_TRUE(words_to_lines({Word{"", 0, 100, 1.0f}}).empty());
}

TEST(WordsToLines, APauseBetweenSpeechRegionsEndsALineThatWordsRunAcross) {
    // Under music a recogniser's words run across the 350 ms pause between two lines (gaps of
    // 50 ms only; "i" at 2750-3050 ms reaches into it); the speech regions (VAD) show the pause.
    const std::vector<Word> words = timed_words("why did you come back i came back for you", 1000, 300, 50);
    const std::vector<SpeechRegion> speech = {{1000, 2650}, {3000, 4500}};
    EXPECT_EQ(words_to_lines(words).size(), 1u);
    const std::vector<Line> lines = words_to_lines(words, speech);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "Why did you come back?");
    EXPECT_EQ(lines[1].text, "I came back for you.");
}

TEST(WordsToLines, LineEdgesMoveOntoTheSpeech) {
    // The recogniser dropped the first words of the second line ("I am sorry" heard as
    // "sorry"): its dub must still start with the voice. A third region was not recognised at
    // all; it is 200 ms before the last line and 900 ms after the one before: it goes to the last.
    std::vector<Word> words = timed_words("where were you", 1000);
    const auto sorry = timed_words("sorry", 3600);
    const auto late = timed_words("it is late", 8000);
    words.insert(words.end(), sorry.begin(), sorry.end());
    words.insert(words.end(), late.begin(), late.end());
    const std::vector<SpeechRegion> speech = {{950, 2100}, {2900, 4000}, {6700, 7800}, {8000, 9100}};
    const std::vector<Line> lines = words_to_lines(words, speech);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].start, 950);
    EXPECT_EQ(lines[0].end, 2100);
    EXPECT_EQ(lines[1].start, 2900);
    EXPECT_EQ(lines[1].end, 4000);
    EXPECT_EQ(lines[2].start, 6700);
    EXPECT_EQ(lines[2].end, 9100);
    // A word placed in the pause (music heard as a word) does not start its line there.
    std::vector<Word> stray = timed_words("you", 2400);
    stray.insert(stray.end(), sorry.begin(), sorry.end());
    const auto moved = words_to_lines(stray, {{2900, 4000}}, LinePolicy{.split_pause_ms = 2000});
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0].start, 2900);
}

TEST(SplitLineAtTurns, EachVoiceGetsItsWordsAndItsTime) {
    Line line = words_to_lines(timed_words("that is not a good reason i know", 1000, 300, 50)).at(0);
    line.origin = LineOrigin::Asr;
    // Another voice starts at "i" (word 6), after a pause heard from 3000 to 3400 ms.
    const auto parts = split_line_at_turns(line, {{6, 3000, 3400}});
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].text, "That is not a good reason.");
    EXPECT_EQ(parts[1].text, "I know.");
    EXPECT_EQ(parts[0].start, line.start);
    EXPECT_EQ(parts[0].end, 3000);
    EXPECT_EQ(parts[1].start, 3400);
    EXPECT_EQ(parts[1].end, line.end);
    EXPECT_EQ(parts[1].words.size(), 2u);
    EXPECT_EQ(split_line_at_turns(line, {}).size(), 1u);
}

TEST(PunctuateUtterance, QuestionsCapitalsAndTheFirstPersonPronoun) {
    EXPECT_EQ(punctuate_utterance({"what", "do", "you", "want"}), "What do you want?");
    EXPECT_EQ(punctuate_utterance({"did", "i", "say", "that"}), "Did I say that?");
    EXPECT_EQ(punctuate_utterance({"can't", "you", "see"}), "Can't you see?");
    EXPECT_EQ(punctuate_utterance({"i'm", "sure", "i'll", "go", "if", "i've", "time", "i'd", "say"}),
              "I'm sure I'll go if I've time I'd say.");
    EXPECT_EQ(punctuate_utterance({"she", "is", "here"}), "She is here.");
    EXPECT_EQ(punctuate_utterance({"it", "is", "mine", "isn't", "it"}), "It is mine isn't it.");  // rule-based
    // Words that already carry case or final punctuation are the engine's; keep them.
    EXPECT_EQ(punctuate_utterance({"Where", "is", "Chén?"}), "Where is Chén?");
    EXPECT_EQ(punctuate_utterance({"ok", "iPhone"}), "Ok iPhone.");
    EXPECT_EQ(punctuate_utterance({"wait,"}), "Wait.");
    EXPECT_EQ(punctuate_utterance({}), "");
}

TEST(WordErrorRate, CountsSubstitutionsDeletionsAndInsertions) {
    EXPECT_DOUBLE_EQ(word_error_rate("hello my name is john", "hello my name is john"), 0.0);
    EXPECT_DOUBLE_EQ(word_error_rate("Hello, my name is John.", "hello my name is john"), 0.0);
    EXPECT_DOUBLE_EQ(word_error_rate("and mister john dashwood", "and Mr. John Dashwood"), 0.0);
    const WordErrors e = count_word_errors("where are you going tonight", "where you going to night");
    EXPECT_EQ(e.reference_words, 5u);
    EXPECT_EQ(e.deletions + e.substitutions + e.insertions, 3u);  // "are" deleted, "tonight" → "to night"
    EXPECT_DOUBLE_EQ(e.rate(), 0.6);
    EXPECT_DOUBLE_EQ(word_error_rate("a b c", ""), 1.0);
    EXPECT_DOUBLE_EQ(word_error_rate("", ""), 0.0);
    EXPECT_DOUBLE_EQ(word_error_rate("", "noise"), 1.0);
    EXPECT_DOUBLE_EQ(word_error_rate("a b", "x a b y z"), 1.5);  // insertions can push WER past 1
    EXPECT_DOUBLE_EQ(word_error_rate("don't stop", "dont stop"), 0.5);  // apostrophes matter
}

TEST(WordErrorRate, CorpusRateSumsErrorsOverReferenceWords) {
    WordErrors total;
    total += count_word_errors("one two three four", "one two three four");
    total += count_word_errors("five six", "five");
    EXPECT_EQ(total.reference_words, 6u);
    EXPECT_EQ(total.errors(), 1u);
    EXPECT_NEAR(total.rate(), 1.0 / 6.0, 1e-12);
}

}  // namespace
}  // namespace dramaloc::engines
