// The artifact store, the same tests on a folder and on an S3-protocol server started by the
// test (support/s3_server.hpp): what is produced is found again, whole, by another store on
// "another machine" (another local folder); a producer that fails leaves nothing anywhere;
// two producers of one artifact at once leave one, intact.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "store/artifact_store.hpp"
#include "store/object_store.hpp"
#include "support/s3_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::store;
using namespace dramaloc::test;
namespace fs = std::filesystem;

namespace {

class ArtifactStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "s3") {
            shared_s3().export_environment();
            // Each test its own prefix in the bucket: the tests do not see each other's artifacts.
            static int n = 0;
            url_ = std::string("s3://") + S3Server::kBucket + "/t" + std::to_string(::getpid()) + "-" + std::to_string(n++);
        }
    }
    // A store as one machine sees it: its own local folder, and the shared place (the same
    // folder for the folder backend, the bucket for S3).
    std::unique_ptr<ArtifactStore> machine(const std::string& name) {
        if (GetParam() == "s3") return std::make_unique<ArtifactStore>(dir_ / name, make_s3_object_store(s3_location_from_url(url_)));
        return std::make_unique<ArtifactStore>(dir_ / "shared");
    }
    TempDir dir_;
    std::string url_;
};

const std::string kKey = "0123456789abcdef0123456789abcdef";

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

TEST_P(ArtifactStoreTest, WhatIsProducedIsFoundAgainWholeFromAnotherMachine) {
    auto a = machine("a");
    std::string big(3 << 20, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7919 % 251);
    int runs = 0;
    const fs::path made = a->get_or_create(kKey, [&](const fs::path& d) {
        ++runs;
        write(d / "script.json", "{\"lines\": []}");
        write(d / "dub" / "mix.wav", big);
    });
    EXPECT_EQ(read_file(made / "script.json"), "{\"lines\": []}");
    EXPECT_EQ(a->get_or_create(kKey, [&](const fs::path&) { ++runs; }), made);
    auto b = machine("b");
    const auto found = b->find(kKey);
    ASSERT_TRUE(found);
    EXPECT_EQ(read_file(*found / "script.json"), "{\"lines\": []}");
    EXPECT_EQ(read_file(*found / "dub" / "mix.wav"), big);
    EXPECT_EQ(list_files(*found), (std::vector<std::string>{"dub/mix.wav", "script.json"}));
    b->get_or_create(kKey, [&](const fs::path&) { ++runs; });
    EXPECT_EQ(runs, 1);
    EXPECT_FALSE(b->find("fedcba9876543210fedcba9876543210"));
}

TEST_P(ArtifactStoreTest, AProducerThatFailsLeavesNothingAnywhere) {
    auto a = machine("a");
    EXPECT_THROW(a->get_or_create(kKey, [&](const fs::path& d) {
        write(d / "half.wav", "RIFF");
        throw IoError("disk full");
    }), IoError);
    EXPECT_FALSE(a->find(kKey));
    EXPECT_FALSE(machine("b")->find(kKey));
    EXPECT_TRUE(list_files(a->root() / "tmp").empty());
}

TEST_P(ArtifactStoreTest, TwoProducersAtOnceLeaveOneIntactArtifact) {
    std::atomic<int> runs{0};
    std::vector<fs::path> got(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            auto store = machine("m" + std::to_string(t));
            got[static_cast<std::size_t>(t)] = store->get_or_create(kKey, [&](const fs::path& d) {
                ++runs;
                write(d / "out.txt", std::string(100000, 'x'));
            });
        });
    for (auto& t : threads) t.join();
    EXPECT_GE(runs.load(), 1);
    for (const auto& p : got) EXPECT_EQ(read_file(p / "out.txt"), std::string(100000, 'x'));
    EXPECT_EQ(read_file(*machine("late")->find(kKey) / "out.txt"), std::string(100000, 'x'));
}

INSTANTIATE_TEST_SUITE_P(Backends, ArtifactStoreTest, ::testing::Values("folder", "s3"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(S3Location, NamesWhatIsMissing) {
    ::setenv("AWS_ACCESS_KEY_ID", "k", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
    ::setenv("DRAMALOC_S3_ENDPOINT", "http://127.0.0.1:9/", 1);
    const auto at = s3_location_from_url("s3://bucket/series/heiress/");
    EXPECT_EQ(at.bucket, "bucket");
    EXPECT_EQ(at.prefix, "series/heiress");
    EXPECT_EQ(at.endpoint, "http://127.0.0.1:9");
    EXPECT_THROW(s3_location_from_url("s3:///x"), ConfigError);
    EXPECT_THROW(s3_location_from_url("https://bucket/x"), ConfigError);
    ::unsetenv("AWS_SECRET_ACCESS_KEY");
    try {
        s3_location_from_url("s3://bucket");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << e.what();
    }
}

TEST(S3Objects, AnUnreachableEndpointIsOneLineWithoutTheSecret) {
    S3Location at;
    at.endpoint = "http://127.0.0.1:9";
    at.bucket = "b";
    at.access_key = "AKIAEXAMPLE";
    at.secret_key = "very-secret";
    const auto store = make_s3_object_store(at);
    test::TempDir dir;
    try {
        store->get("x", dir / "x");
        FAIL();
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("very-secret"), std::string::npos) << what;
        EXPECT_NE(what.find("127.0.0.1:9"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    EXPECT_TRUE(list_files(dir.path()).empty());
}

TEST(S3Objects, AnUnknownKeyIsRefusedWithTheServersReason) {
    shared_s3().export_environment();
    auto at = s3_location_from_url(std::string("s3://") + S3Server::kBucket + "/refused");
    at.access_key = "NOBODY";
    test::TempDir dir;
    write(dir / "f", "x");
    try {
        make_s3_object_store(at)->put("f", dir / "f");
        FAIL();
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find("InvalidAccessKeyId"), std::string::npos) << e.what();
    }
}

}  // namespace
