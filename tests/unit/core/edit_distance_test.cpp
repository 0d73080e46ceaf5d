#include "core/edit_distance.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/text_codec.hpp"

using namespace dramaloc;

TEST(EditDistance, CountsEachKindOfEdit) {
    EXPECT_EQ(edit_distance(code_points("我来了"), code_points("我来啦")), 1u);
    EXPECT_EQ(edit_distance(code_points(""), code_points("你好")), 2u);
    EXPECT_EQ(edit_distance(code_points("kitten"), code_points("sitting")), 3u);
    const std::vector<std::string> ref{"why", "did", "you", "come", "back"};
    const auto e = align_edits(ref, std::vector<std::string>{"why", "you", "came", "back", "home"});
    EXPECT_EQ(e.substitutions, 1u);  // come -> came
    EXPECT_EQ(e.deletions, 1u);      // did
    EXPECT_EQ(e.insertions, 1u);     // home
    // A changed word is one substitution, not a deletion and an insertion.
    const auto s = align_edits(std::vector<std::string>{"a", "b"}, std::vector<std::string>{"a", "c"});
    EXPECT_EQ(s.substitutions, 1u);
    EXPECT_EQ(s.total(), 1u);
    EXPECT_EQ(align_edits(ref, std::vector<std::string>{}).deletions, 5u);
}
