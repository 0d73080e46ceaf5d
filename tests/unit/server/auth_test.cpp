// Tokens of `dramaloc serve`: random, hashed with SHA-256, roles ordered.
#include "server/auth.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/error.hpp"

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

TEST(Auth, TheSessionCookieIsFoundAmongOthers) {
    EXPECT_EQ(session_cookie("dramaloc_session=dlt_ab"), "dlt_ab");
    EXPECT_EQ(session_cookie("a=1; dramaloc_session=dlt_ab; b=2"), "dlt_ab");
    EXPECT_EQ(session_cookie("a=1;dramaloc_session=dlt_cd"), "dlt_cd");
    EXPECT_EQ(session_cookie("xdramaloc_session=dlt_ab; a=1"), "") << "another cookie's name ending the same";
    EXPECT_EQ(session_cookie("a=1; b=2"), "");
    EXPECT_EQ(session_cookie(""), "");
}

TEST(Auth, AnOriginIsTheServersOwnOnlyWhenItNamesItsHost) {
    EXPECT_TRUE(same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
    EXPECT_TRUE(same_origin("https://Review.Example.com", "review.example.com"));
    EXPECT_FALSE(same_origin("http://127.0.0.1:8081", "127.0.0.1:8080"));
    EXPECT_FALSE(same_origin("http://evil.example", "review.example.com"));
    EXPECT_FALSE(same_origin("http://review.example.com.evil.example", "review.example.com"));
    EXPECT_FALSE(same_origin("null", "review.example.com"));
    EXPECT_FALSE(same_origin("", "review.example.com"));
    EXPECT_FALSE(same_origin("http://", ""));
}

TEST(Auth, ATokensLifetimeIsANumberAndAUnitOrNever) {
    using dramaloc::server::token_lifetime_ms;
    EXPECT_EQ(token_lifetime_ms("30d"), 30LL * 86'400'000);
    EXPECT_EQ(token_lifetime_ms("12h"), 12LL * 3'600'000);
    EXPECT_EQ(token_lifetime_ms("90m"), 90LL * 60'000);
    EXPECT_EQ(token_lifetime_ms("3600s"), 3'600'000);
    EXPECT_EQ(token_lifetime_ms("never"), 0);
    for (const char* bad : {"", "30", "d", "-1d", "0d", "30w", "1.5d", "99999999d", "30 d"})
        EXPECT_THROW(token_lifetime_ms(bad), dramaloc::UsageError) << bad;
    EXPECT_EQ(dramaloc::server::time_or_never(0), "never");
    EXPECT_EQ(dramaloc::server::time_or_never(1'700'000'000'000), "2023-11-14T22:13:20Z");
}
