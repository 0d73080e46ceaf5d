// Translation registry and the apertium backend. These run the real apertium program with
// the Debian pair packages (label: integration); the text helpers are checked directly.
#include "engines/translate.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <future>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "engines/apertium/apertium_text.hpp"
#include "engines/apertium/apertium_translator.hpp"
#include "support/test_support.hpp"

namespace dramaloc::engines {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// apertium capitalises the start of every paragraph, so words are compared case-blind (ASCII).
bool contains_word(std::string haystack, std::string needle) {
    for (char& c : haystack) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : needle) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return haystack.find(needle) != std::string::npos;
}

bool has_pair(const std::vector<LanguagePair>& pairs, std::string_view from, std::string_view to) {
    for (const LanguagePair& p : pairs) {
        if (p.from == from && p.to == to) return true;
    }
    return false;
}

TEST(ApertiumText, CleansMarksEntitiesAndSpacing) {
    using apertium::clean_translation;
    EXPECT_EQ(clean_translation("El *xyzzyq #cantó  @bien."), "El xyzzyq cantó bien.");
    EXPECT_EQ(clean_translation(" Tom &amp; Jerry &lt;3 &#x27;ok&#39;  "), "Tom & Jerry <3 'ok'");
    EXPECT_EQ(clean_translation("&quot; Te quiero,&quot;  dijo."), "\"Te quiero,\" dijo.");
    // A speaker's own '#' before a digit or '@' inside an address is not a mark.
    EXPECT_EQ(clean_translation("Sala #1, escribe a ana@correo.es"), "Sala #1, escribe a ana@correo.es");
}

TEST(ApertiumText, ParagraphFramingIsCheckedNotTrusted) {
    const std::string html = apertium::to_html_paragraphs({"a < b & c", "two\nlines"});
    EXPECT_EQ(html, "<p>a &lt; b &amp; c</p>\n<p>two lines</p>\n");
    EXPECT_EQ(apertium::split_html_paragraphs(html, 2)->at(1), "two lines");
    EXPECT_FALSE(apertium::split_html_paragraphs(html, 3).has_value());
    EXPECT_FALSE(apertium::split_html_paragraphs("<p>a<p>b</p>", 1).has_value());
}

class ApertiumTest : public ::testing::Test {
protected:
    void TearDown() override { reset_cancel(); }
    std::unique_ptr<Translator> translator = make_translator("apertium");
};

TEST_F(ApertiumTest, EnglishToSpanishKeepsCountAndOrder) {
    const std::vector<std::string> in = {"Hello.", "Where is my brother?", "I have three dogs.",
                                         "The house is red.", "Thank you very much."};
    const std::vector<std::string> out = translator->translate(in, "en", "es");
    ASSERT_EQ(out.size(), in.size());
    EXPECT_TRUE(contains(out[0], "Hola")) << out[0];
    EXPECT_TRUE(contains(out[1], "hermano")) << out[1];
    EXPECT_TRUE(contains(out[2], "perros")) << out[2];
    EXPECT_TRUE(contains(out[3], "casa")) << out[3];
    EXPECT_TRUE(contains_word(out[4], "gracias")) << out[4];
}

TEST_F(ApertiumTest, UnknownWordsComeBackWithoutMarks) {
    const std::vector<std::string> out = translator->translate({"The zorblax plonked the door."}, "en", "es");
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(contains(out[0], "zorblax")) << out[0];
    EXPECT_EQ(out[0].find_first_of("*#@"), std::string::npos) << out[0];
}

TEST_F(ApertiumTest, PivotsThroughSpanishWhenThereIsNoDirectPair) {
    const auto& apertium = dynamic_cast<const ApertiumTranslator&>(*translator);
    EXPECT_EQ(apertium.route("en", "fr"), (std::vector<std::string>{"eng-spa", "es-fr"}));
    const std::vector<std::string> out = translator->translate({"My brother is here.", "The zorblax."}, "en", "fr");
    ASSERT_EQ(out.size(), 2u);
    EXPECT_TRUE(contains(out[0], "frère")) << out[0];
    EXPECT_EQ(out[1].find('*'), std::string::npos) << out[1];
}

TEST_F(ApertiumTest, PairsListDirectAndPivotPairs) {
    const std::vector<LanguagePair> pairs = translator->pairs();
    EXPECT_TRUE(has_pair(pairs, "en", "es"));
    EXPECT_TRUE(has_pair(pairs, "es", "en"));
    EXPECT_TRUE(has_pair(pairs, "es", "pt"));
    EXPECT_TRUE(has_pair(pairs, "en", "fr"));  // pivot
    EXPECT_TRUE(has_pair(pairs, "en", "ca"));  // pivot
    EXPECT_FALSE(has_pair(pairs, "en", "en"));
    EXPECT_TRUE(translator->supports("en-US", "pt-BR"));
    EXPECT_FALSE(translator->supports("en", "th"));
}

TEST_F(ApertiumTest, RegionalTargetUsesItsVariantMode) {
    const auto& apertium = dynamic_cast<const ApertiumTranslator&>(*translator);
    EXPECT_EQ(apertium.route("es", "pt-BR"), (std::vector<std::string>{"es-pt_BR"}));
    EXPECT_EQ(apertium.route("es", "pt"), (std::vector<std::string>{"es-pt"}));
    EXPECT_EQ(apertium.route("en", "pt-BR"), (std::vector<std::string>{"eng-spa", "es-pt_BR"}));
}

TEST_F(ApertiumTest, EmptyInputGivesEmptyOutput) {
    EXPECT_TRUE(translator->translate({}, "en", "es").empty());
    EXPECT_EQ(translator->translate({"", "  "}, "en", "es"), (std::vector<std::string>{"", ""}));
}

TEST_F(ApertiumTest, UnsupportedPairListsPairsAndNamesAPackage) {
    try {
        translator->translate({"Hello."}, "en", "th");
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_TRUE(contains(what, "en→th")) << what;
        EXPECT_TRUE(contains(what, "en→es")) << what;        // the pairs that exist
        EXPECT_TRUE(contains(what, "apertium-en-es")) << what;  // a package name
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    EXPECT_THROW(translator->translate({}, "en", "th"), EngineError);  // fails before any work
}

TEST_F(ApertiumTest, TrickyLinesKeepTheirAlignment) {
    const std::vector<std::string> in = {
        "Wait... what?!", "", "?", "...", "\"I love you,\" she said.", "I have 3 dogs and 2.5 cats.",
        "I saw the", "red car", "Tom & Jerry <3 you", "42", "Line one.\nStill line one.", "Mr. Smith went home. He slept.",
        "[Music]", "Price: $5 {ok} a/b c\\d ^x$", "Ha ha ha!"};
    const std::vector<std::string> out = translator->translate(in, "en", "es");
    ASSERT_EQ(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) std::printf("  [%zu] %s\n", i, out[i].c_str());
    EXPECT_TRUE(contains(out[0], "...")) << out[0];
    EXPECT_EQ(out[1], "");
    EXPECT_EQ(out[2], "?");
    EXPECT_EQ(out[3], "...");
    EXPECT_TRUE(contains(out[4], "dijo")) << out[4];
    EXPECT_TRUE(contains(out[5], "3") && contains(out[5], "2.5") && contains(out[5], "perros")) << out[5];
    EXPECT_TRUE(contains_word(out[6], "vi")) << out[6];
    EXPECT_TRUE(contains_word(out[7], "coche")) << out[7];  // words never move across lines
    EXPECT_TRUE(contains(out[8], "Tom & Jerry <3")) << out[8];
    EXPECT_EQ(out[9], "42");
    EXPECT_EQ(out[10].find('\n'), std::string::npos) << out[10];
    EXPECT_TRUE(contains(out[11], "Smith") && contains(out[11], "casa")) << out[11];
    EXPECT_TRUE(contains(out[12], "Música")) << out[12];
    EXPECT_TRUE(contains(out[13], "$5")) << out[13];
    EXPECT_TRUE(contains(out[14], "ha ha!")) << out[14];

    // Same result whatever the batching.
    ApertiumOptions small;
    small.max_lines_per_call = 4;
    EXPECT_EQ(ApertiumTranslator(small).translate(in, "en", "es"), out);
}

TEST_F(ApertiumTest, FortyLinesInOneCallAndConcurrentCallsAgree) {
    std::vector<std::string> in;
    for (int i = 0; i < 40; ++i) in.push_back("Line " + std::to_string(i) + ": where is my brother tonight?");
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::string> out = translator->translate(in, "en", "es");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    RecordProperty("en_es_40_lines_ms", static_cast<int>(ms.count()));
    std::printf("en->es 40 lines: %lld ms\n", static_cast<long long>(ms.count()));
    ASSERT_EQ(out.size(), 40u);
    for (int i = 0; i < 40; ++i) EXPECT_TRUE(contains(out[static_cast<std::size_t>(i)], std::to_string(i))) << i;

    std::vector<std::future<std::vector<std::string>>> runs;
    for (int t = 0; t < 4; ++t) {
        runs.push_back(std::async(std::launch::async, [&] { return translator->translate(in, "en", "es"); }));
    }
    for (auto& run : runs) EXPECT_EQ(run.get(), out);
}

TEST_F(ApertiumTest, CancellationStopsTheCall) {
    request_cancel();
    EXPECT_THROW(translator->translate({"Hello."}, "en", "es"), Cancelled);
}

TEST_F(ApertiumTest, VersionIsStableAndNamesTheEngine) {
    EXPECT_EQ(translator->name(), "apertium");
    EXPECT_EQ(translator->version(), make_translator("apertium")->version());
    EXPECT_EQ(translator->version().rfind("apertium-", 0), 0u);
}

// A stand-in apertium whose behaviour the test chooses, to reach the paths the real one
// does not take: lost paragraphs, a failing pipeline.
class FakeApertium {
public:
    explicit FakeApertium(const std::string& body) {
        std::filesystem::create_directories(dir_.path() / "modes");
        test::write_file(dir_ / "modes/eng-spa.mode", "cat\n");
        program_ = dir_ / "apertium";
        test::write_file(program_, "#!/bin/sh\n" + body);
        std::filesystem::permissions(program_, std::filesystem::perms::owner_all);
    }
    ApertiumTranslator translator() const {
        ApertiumOptions options;
        options.program = program_.string();
        options.data_dir = dir_.path();
        return ApertiumTranslator(options);
    }

private:
    test::TempDir dir_;
    std::filesystem::path program_;
};

TEST(ApertiumFallback, LostAlignmentFallsBackToOneCallPerLine) {
    // Echoes its input, but merges paragraphs whenever it is given more than one.
    const FakeApertium fake("input=$(cat)\ncount=$(printf '%s' \"$input\" | grep -c '<p>')\n"
                            "if [ \"$count\" -gt 1 ]; then printf '<p>merged</p>'; else printf '%s' \"$input\"; fi\n");
    ApertiumTranslator translator = fake.translator();
    EXPECT_EQ(translator.translate({"one", "two", "three"}, "en", "es"),
              (std::vector<std::string>{"one", "two", "three"}));
}

TEST(ApertiumFallback, AFailingPipelineIsAnEngineErrorWithItsMessage) {
    const FakeApertium fake("cat >/dev/null\necho 'Error: Mode eng-spa is broken' >&2\nexit 3\n");
    ApertiumTranslator translator = fake.translator();
    try {
        translator.translate({"Hello."}, "en", "es");
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        EXPECT_TRUE(contains(e.what(), "exit 3")) << e.what();
        EXPECT_TRUE(contains(e.what(), "Mode eng-spa is broken")) << e.what();
    }
}

TEST(ApertiumFallback, AProgramThatNeverReadsItsInputDoesNotHang) {
    // Exits without reading a large input: the writer must see EPIPE, not block or die of SIGPIPE.
    const FakeApertium fake("exit 0\n");
    ApertiumTranslator translator = fake.translator();
    const std::vector<std::string> lines(3000, std::string(200, 'x'));
    EXPECT_THROW(translator.translate(lines, "en", "es"), EngineError);
}

TEST(TranslatorRegistry, MissingProgramSaysWhatToInstall) {
    ApertiumOptions options;
    options.program = "apertium-not-installed-here";
    try {
        ApertiumTranslator translator(options);
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        EXPECT_TRUE(contains(e.what(), "install apertium")) << e.what();
    }
}

TEST(TranslatorRegistry, UnknownBackendListsTheAvailableOnes) {
    try {
        make_translator("deepl");
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        EXPECT_TRUE(contains(e.what(), "\"deepl\"")) << e.what();
        EXPECT_TRUE(contains(e.what(), "available: apertium")) << e.what();
    }
}

}  // namespace
}  // namespace dramaloc::engines
