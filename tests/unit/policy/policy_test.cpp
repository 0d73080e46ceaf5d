// Content review: policy packs read (and refused with their file and line), and their terms,
// patterns and glossary rules found in Chinese, Thai, Arabic and Spanish, on whole words only.
#include "policy/policy.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using policy::ContentLine;

namespace {

std::filesystem::path write_pack(const test::TempDir& dir, const std::string& name, const std::string& text) {
    const auto file = dir.path() / name;
    std::ofstream(file) << text;
    return file;
}

ContentLine line(const std::string& language, int id, const std::string& text, const std::string& source = "") {
    ContentLine l;
    l.episode = "ep1";
    l.language = language;
    l.is_source = language == "zh";
    l.line = id;
    l.start_ms = id * 1000;
    l.end_ms = l.start_ms + 900;
    l.speaker = "lin";
    l.text = text;
    l.source = source;
    return l;
}

// "language/line:match" of each finding.
std::vector<std::string> found(const policy::ContentReviewer& r, const std::vector<ContentLine>& lines) {
    std::vector<std::string> out;
    for (const auto& f : r.review(lines))
        out.push_back(f.language + "/" + std::to_string(f.line) + ":" + f.text.substr(f.match_start, f.match_end - f.match_start));
    return out;
}

const char* const kPack = R"([pack]
name = "market"
version = "2026.11"

[[term]]
text = "赌博"
severity = "block"
category = "gambling"

[[term]]
text = "เรียน"
severity = "note"

[[term]]
text = "خمر"
severity = "block"
category = "alcohol"

[[term]]
text = "cerveza"
category = "alcohol"

[[term]]
text = "ass"
languages = ["en"]

[[pattern]]
regex = "(?i)\\bdamn(ed)?\\b"
replacement = "darn"
category = "profanity"

[[glossary]]
source = "林氏集团"
en = "Lin Group"
es = "Grupo Lin"
)";

}  // namespace

TEST(Policy, TermsAreFoundOnWholeWordsInEveryScript) {
    test::TempDir dir;
    policy::ContentReviewer r({policy::load_pack(write_pack(dir, "market.toml", kPack))});
    EXPECT_EQ(r.entries(), 7u);
    const std::vector<ContentLine> lines = {
        line("zh", 1, "他们在地下赌博。"),               // Chinese, no spaces
        line("th", 2, "เขาเรียนหนังสือทุกวัน"),          // a Thai word inside an unspaced sentence
        line("th", 3, "ฉันไปโรงเรียน"),                  // … but not inside โรงเรียน (school)
        line("ar", 4, "لا تشرب الخَمْر"),                 // with diacritics and the article: not a whole word
        line("ar", 5, "هذا خَمر"),                        // with diacritics
        line("es", 6, "Una CERVEZA fría."),               // case folded
        line("es", 7, "Cervezas para todos."),            // a longer word: no hit
        line("en", 8, "What a damned class, you ass."),   // pattern, term; not inside "class"
        line("en", 9, "Passing the glass."),
    };
    EXPECT_EQ(found(r, lines), (std::vector<std::string>{"zh/1:赌博", "th/2:เรียน", "ar/5:خَمر", "es/6:CERVEZA", "en/8:damned", "en/8:ass"}));
}

TEST(Policy, FindingsCarryWhereWhoAndWhatToDo) {
    test::TempDir dir;
    policy::ContentReviewer r({policy::load_pack(write_pack(dir, "market.toml", kPack))});
    const auto findings = r.review({line("en", 8, "What a damned class."), line("zh", 1, "他们在地下赌博。")});
    ASSERT_EQ(findings.size(), 2u);
    const auto& block = findings[0];
    EXPECT_EQ(block.severity, policy::Severity::Block);
    EXPECT_EQ(block.category, "gambling");
    EXPECT_EQ(block.pack, "market");
    EXPECT_EQ(block.pack_version, "2026.11");
    EXPECT_EQ(block.start_ms, 1000);
    EXPECT_EQ(block.speaker, "lin");
    EXPECT_NE(block.rule.find("market.toml:5"), std::string::npos) << block.rule;
    EXPECT_EQ(findings[1].suggestion, "What a darn class.");
    EXPECT_EQ(findings[1].severity, policy::Severity::Warn);
    // The same line and pack: the same id; another text: another.
    EXPECT_EQ(r.review({line("en", 8, "What a damned class.")})[0].id, findings[1].id);
    EXPECT_NE(r.review({line("en", 8, "What a damned day.")})[0].id, findings[1].id);
}

TEST(Policy, AGlossaryRenderingNotUsedIsFound) {
    test::TempDir dir;
    policy::ContentReviewer r({policy::load_pack(write_pack(dir, "market.toml", kPack))});
    const auto findings = r.review({line("en", 1, "The Lin group signed.", "林氏集团签了。"), line("es", 1, "Firmó la empresa.", "林氏集团签了。"),
                                    line("en", 2, "Lin Holdings signed.", "他签了。")});
    ASSERT_EQ(findings.size(), 1u);  // en has it (case folded); es does not; line 2's source lacks the term
    EXPECT_EQ(findings[0].language, "es");
    EXPECT_EQ(findings[0].kind, "glossary");
    EXPECT_NE(findings[0].reason.find("Grupo Lin"), std::string::npos) << findings[0].reason;
}

TEST(Policy, PacksApplyToTheirLanguagesAndTheSourceScript) {
    test::TempDir dir;
    const auto file = write_pack(dir, "zh.toml", "[pack]\nname = \"cn\"\nversion = \"1\"\nlanguages = [\"zh\", \"en\"]\n\n"
                                                  "[[term]]\ntext = \"赌博\"\n\n[[term]]\ntext = \"casino\"\nlanguages = [\"en\"]\n");
    policy::ContentReviewer r({policy::load_pack(file)});
    EXPECT_EQ(found(r, {line("zh", 1, "赌博"), line("ja", 2, "赌博"), line("en", 3, "casino"), line("zh", 4, "casino")}),
              (std::vector<std::string>{"zh/1:赌博", "en/3:casino"}));
}

TEST(Policy, AMalformedPackIsRefusedWithItsFileAndLine) {
    test::TempDir dir;
    const auto expect_refused = [&](const std::string& text, const std::string& where, const std::string& what) {
        const auto file = write_pack(dir, "bad.toml", text);
        try {
            policy::load_pack(file);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const ConfigError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("bad.toml:" + where + ":"), std::string::npos) << message;
            EXPECT_NE(message.find(what), std::string::npos) << message;
        }
    };
    const std::string head = "[pack]\nname = \"p\"\nversion = \"1\"\n";
    expect_refused(head + "[[term]]\ntext = \"a\"\nseverity = \"fatal\"\n", "6", "severity is");
    expect_refused(head + "[[term]]\nseverity = \"warn\"\n", "4", "needs text");
    expect_refused(head + "\n[[pattern]]\nregex = \"(unclosed\"\n", "5", "regex (unclosed");
    expect_refused(head + "[[term]]\ntext = \"a\"\ncolour = \"red\"\n", "6", "unknown key \"colour\" in [[term]]");
    expect_refused(head + "[[trem]]\ntext = \"a\"\n", "4", "unknown table [[trem]]; did you mean [[term]]?");
    expect_refused(head + "[[glossary]]\nsource = \"林\"\nenn = \"Lin\"\n", "6", "unknown language \"enn\" in [[glossary]]; did you mean \"en\"?");
    expect_refused(head + "[[term]]\ntext = \"!!\"\n", "4", "no words");
    expect_refused(head + "[[term]\ntext = \"a\"\n", "4", "bad.toml:4:");         // not TOML: the parser's words, its line
    expect_refused("[pack]\nname = \"p\"\n", "1", "needs a version");
    expect_refused(head + "[[glossary]]\nsource = \"林\"\n", "4", "names no rendering");
    expect_refused(head + "[[model]]\nquestion = \"Is it rude?\"\nseverity = \"block\"\n", "4", "never blocks");
    EXPECT_THROW(policy::load_pack(dir.path() / "missing.toml"), InputError);
}

TEST(Policy, AFindingKeepsItsIdWhenThePackGrowsAboveItsRule) {
    test::TempDir dir;
    const std::string head = "[pack]\nname = \"p\"\nversion = \"1\"\n";
    const std::string rule = "[[term]]\ntext = \"casino\"\nseverity = \"block\"\n";
    policy::ContentReviewer before({policy::load_pack(write_pack(dir, "a.toml", head + rule))});
    policy::ContentReviewer after({policy::load_pack(write_pack(dir, "b.toml", head + "# a new rule first\n[[term]]\ntext = \"dice\"\n\n" + rule))});
    const auto a = before.review({line("en", 3, "The casino is open.")});
    const auto b = after.review({line("en", 3, "The casino is open.")});
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(a[0].id, b[0].id);
    EXPECT_NE(a[0].rule, b[0].rule);  // the rule's place is shown, not part of the id
}
