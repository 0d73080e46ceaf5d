// One test per declarative case file (tests/cases/subtitles/README.md).
#include <gtest/gtest.h>

#include <sstream>

#include "case_file.hpp"
#include "subtitles/check.hpp"
#include "subtitles/segment.hpp"

namespace dramaloc::subtitles::test {
namespace {

std::string describe(const std::vector<SubtitleEvent>& events) {
    std::ostringstream out;
    for (const auto& e : events) {
        out << "event " << seconds(e.start) << " " << seconds(e.end);
        if (!e.speaker.empty()) out << " @" << e.speaker;
        out << "\n";
        for (const auto& l : e.lines) out << "> " << l << "\n";
    }
    return out.str();
}

std::string describe(const std::vector<ExpectedViolation>& violations) {
    std::ostringstream out;
    for (const auto& v : violations) out << "violation " << v.event_id << " " << v.rule << "\n";
    return out.str();
}

std::string test_name(const testing::TestParamInfo<std::filesystem::path>& info) {
    std::string name = info.param.stem().string();
    for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

class SegmentCase : public testing::TestWithParam<std::filesystem::path> {};
class CheckCase : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(SegmentCase, ProducesExpectedEvents) {
    const RuleCase c = read_case(GetParam());
    ASSERT_FALSE(c.script.lines.empty()) << c.path << ": a segment case needs line inputs";
    const auto events = segment_script(c.script, c.rules, c.frame_rate);
    // Compared as text so a failure prints what to paste into the case file.
    EXPECT_EQ(describe(events), describe(c.expected_events)) << c.path;
}

TEST_P(CheckCase, ReportsExpectedViolations) {
    const RuleCase c = read_case(GetParam());
    std::vector<ExpectedViolation> got;
    for (const auto& v : check_events(c.events, c.rules, c.frame_rate)) {
        got.push_back({v.event_id, v.rule});
        EXPECT_FALSE(v.message.empty());
        EXPECT_EQ(v.message.find('\n'), std::string::npos) << v.message;
    }
    EXPECT_EQ(describe(got), describe(c.expected_violations)) << c.path;
}

INSTANTIATE_TEST_SUITE_P(Files, SegmentCase, testing::ValuesIn(case_files("segment")), test_name);
INSTANTIATE_TEST_SUITE_P(Files, CheckCase, testing::ValuesIn(case_files("check")), test_name);

TEST(CaseFiles, EnoughCasesAreFound) {
    EXPECT_GE(case_files("segment").size(), 14u);
    EXPECT_GE(case_files("check").size(), 9u);
}

}  // namespace
}  // namespace dramaloc::subtitles::test
