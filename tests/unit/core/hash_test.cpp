#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;

TEST(Hash, IsStableAndHex) {
    const auto h = hash_hex("dramaloc");
    EXPECT_EQ(h.size(), 32u);
    EXPECT_EQ(h, hash_hex("dramaloc"));
    EXPECT_NE(h, hash_hex("dramaloC"));
    EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Hash, FieldsAreLengthPrefixed) {
    EXPECT_NE(Hasher().field("ab").field("c").hex(), Hasher().field("a").field("bc").hex());
    EXPECT_EQ(Hasher().update("ab").update("c").hex(), Hasher().update("a").update("bc").hex());
}

TEST(Hash, FileMatchesContent) {
    test::TempDir dir;
    test::write_file(dir / "x.bin", std::string(200000, 'q'));
    EXPECT_EQ(hash_file_hex(dir / "x.bin"), hash_hex(std::string(200000, 'q')));
    EXPECT_THROW(hash_file_hex(dir / "missing"), InputError);
}
