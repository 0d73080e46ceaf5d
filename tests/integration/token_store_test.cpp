// The review station's token store on both databases, the same tests: SQLite in a temporary
// file and PostgreSQL in a throwaway cluster started by the test (support/postgres_server.hpp).
// It shares the database with the job store and reads the tokens older stores hold.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include <pqxx/pqxx>
#include <sqlite3.h>

#include "core/error.hpp"
#include "jobs/job_store.hpp"
#include "server/token_store.hpp"
#include "support/postgres_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::server;

namespace {

class TokenStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        url_ = test::store_url_for(GetParam(), dir_.path());
        store_ = open_token_store(url_);
    }
    test::TempDir dir_;
    std::string url_;
    std::unique_ptr<TokenStore> store_;
};

TEST_P(TokenStoreTest, TokensAreFoundByTheirHashAndAHashIsKeptOnce) {
    EXPECT_FALSE(store_->find("0123"));
    store_->add("0123", "editor", "ana", 0);
    store_->add("4567", "viewer", "", 0);
    const auto ana = store_->find("0123");
    ASSERT_TRUE(ana);
    EXPECT_EQ(ana->role, "editor");
    EXPECT_EQ(ana->label, "ana");
    EXPECT_EQ(store_->find("4567")->role, "viewer");
    EXPECT_FALSE(store_->find("01234"));
    EXPECT_THROW(store_->add("0123", "admin", "eve", 0), Error) << "a second token with the same hash";
    EXPECT_EQ(store_->find("0123")->role, "editor");
    // Another connection (another worker or server) sees them.
    EXPECT_EQ(open_token_store(url_)->find("0123")->label, "ana");
}

TEST_P(TokenStoreTest, TokensAreListedRevokedByNameOrIdAndKeepTheirExpiryAndLastUse) {
    const std::string ana1(64, 'a'), ana2(64, 'b'), ben = "c" + std::string(63, '0');
    store_->add(ana1, "editor", "ana", 0);
    store_->add(ana2, "viewer", "ana", 4102444800000);  // 2100-01-01
    store_->add(ben, "admin", "ben", 1000);           // expired in 1970
    const auto list = store_->list();
    ASSERT_EQ(list.size(), 3u);
    std::map<std::string, TokenInfo> by_hash;
    for (const auto& t : list) by_hash[t.hash] = t;
    EXPECT_GT(by_hash[ana1].created_ms, 1'700'000'000'000) << "made now";
    EXPECT_EQ(by_hash[ana2].expires_ms, 4102444800000);
    EXPECT_TRUE(by_hash[ana2].live(by_hash[ana2].created_ms));
    EXPECT_FALSE(by_hash[ben].live(by_hash[ben].created_ms)) << "expired";
    EXPECT_EQ(by_hash[ana1].last_used_ms, 0);
    store_->touch(ana1);
    EXPECT_GE(store_->find(ana1)->last_used_ms, by_hash[ana1].created_ms);
    // By id: that one only; by name: every live one of the name; nothing twice.
    EXPECT_EQ(store_->revoke(ana2.substr(0, 12)), 1);
    EXPECT_GT(store_->find(ana2)->revoked_ms, 0);
    EXPECT_EQ(store_->find(ana1)->revoked_ms, 0);
    EXPECT_EQ(store_->revoke("ana"), 1);
    EXPECT_EQ(store_->revoke("ana"), 0);
    EXPECT_EQ(store_->revoke("nobody"), 0);
    EXPECT_FALSE(store_->find(ana1)->live(store_->find(ana1)->created_ms));
    EXPECT_EQ(open_token_store(url_)->list().size(), 3u) << "revoked tokens stay listed";
}

// A store made before tokens could expire or be revoked: its tokens keep working and gain the
// new columns when it is opened.
TEST(TokenStoreUpgrade, AnOlderStoresTokensGainExpiryAndRevocationWhenItIsOpened) {
    const std::string old_table = "CREATE TABLE dramaloc_tokens (hash TEXT PRIMARY KEY, role TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', "
                                  "created_ms BIGINT NOT NULL DEFAULT 0); INSERT INTO dramaloc_tokens VALUES ('" + std::string(64, 'd') +
                                  "', 'editor', 'ana', 5)";
    test::TempDir dir;
    const std::string file = (dir / "old.db").string();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, old_table.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    const std::string pg = test::shared_postgres().create_database();
    {
        pqxx::connection c(pg);
        pqxx::work w(c);
        w.exec(old_table);
        w.commit();
    }
    for (const std::string& url : {"sqlite:" + file, pg}) {
        auto store = open_token_store(url);
        const auto t = store->find(std::string(64, 'd'));
        ASSERT_TRUE(t) << url;
        EXPECT_EQ(t->label, "ana");
        EXPECT_TRUE(t->live(1'900'000'000'000)) << "never expires";
        EXPECT_EQ(store->revoke("ana"), 1) << url;
        EXPECT_FALSE(open_token_store(url)->find(std::string(64, 'd'))->live(6));
    }
}

// The job store and the token store in one database, opened in either order, each with its
// own tables; a job store opened after the tokens leaves them be.
TEST_P(TokenStoreTest, SharesTheDatabaseWithTheJobStore) {
    store_->add(std::string(64, 'e'), "viewer", "ana", 0);
    auto jobs = jobs::open_job_store(url_);
    jobs::JobSpec j;
    j.key = "ep1/src";
    j.kind = "source";
    jobs->add({j});
    EXPECT_EQ(jobs->list({}).size(), 1u);
    EXPECT_EQ(open_token_store(url_)->find(std::string(64, 'e'))->label, "ana");
    EXPECT_NE(store_->describe().find(GetParam() == "postgresql" ? "postgresql://" : "sqlite:"), std::string::npos);
}

TEST(TokenStoreUpgrade, AFolderThatDoesNotExistIsAnIoErrorNamingIt) {
    test::TempDir dir;
    try {
        open_token_store((dir / "no-such-folder" / "jobs.db").string());
        FAIL();
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("token store"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("no-such-folder"), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
