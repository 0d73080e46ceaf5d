// Tokens of `dramaloc serve`: random, hashed with SHA-256, roles ordered.
#include "server/auth.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace dramaloc::server;

TEST(Auth, TokensAreLongRandomAndDifferent) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string t = new_token();
        ASSERT_EQ(t.size(), 4u + 64u) << t;
        EXPECT_EQ(t.rfind("dlt_", 0), 0u);
        EXPECT_EQ(t.find_first_not_of("0123456789abcdef", 4), std::string::npos) << t;
        seen.insert(t);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(Auth, TheStoredHashIsSha256OfTheToken) {
    // FIPS 180-2's test vector.
    EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_NE(token_hash("dlt_a"), token_hash("dlt_b"));
}

TEST(Auth, RolesAreOrderedAndReadBack) {
    EXPECT_LT(Role::Viewer, Role::Editor);
    EXPECT_LT(Role::Editor, Role::Admin);
    for (const Role r : {Role::Viewer, Role::Editor, Role::Admin}) EXPECT_EQ(role_from_string(to_string(r)), r);
    EXPECT_FALSE(role_from_string("root"));
    EXPECT_FALSE(role_from_string(""));
}

TEST(Auth, TheTokenCookieIsFoundAmongOthers) {
    EXPECT_EQ(token_cookie("dramaloc_token=dlt_ab"), "dlt_ab");
    EXPECT_EQ(token_cookie("a=1; dramaloc_token=dlt_ab; b=2"), "dlt_ab");
    EXPECT_EQ(token_cookie("a=1;dramaloc_token=dlt_cd"), "dlt_cd");
    EXPECT_EQ(token_cookie("xdramaloc_token=dlt_ab; a=1"), "") << "another cookie's name ending the same";
    EXPECT_EQ(token_cookie("a=1; b=2"), "");
    EXPECT_EQ(token_cookie(""), "");
}
