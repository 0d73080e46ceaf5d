#pragma once
// An S3-protocol server for the object store tests: s3rver (npm, installed by
// scripts/install-deps.sh into tests/s3server/, pinned by its lockfile), run by Node.js on
// 127.0.0.1 and a free port with its data in a temporary folder and one bucket,
// "dramaloc-test"; stopped and removed at the end. Its keys are S3RVER / S3RVER. When Node.js
// or the package is missing the test fails saying so, it does not skip.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace dramaloc::test {

class S3Server {
public:
    S3Server();  // throws std::runtime_error saying what is missing or what failed
    ~S3Server();
    S3Server(const S3Server&) = delete;
    S3Server& operator=(const S3Server&) = delete;

    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
    static constexpr const char* kBucket = "dramaloc-test";
    // Sets DRAMALOC_S3_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this process
    // (and the dramaloc processes it starts).
    void export_environment() const;
    pid_t pid() const { return pid_; }

private:
    std::filesystem::path dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

S3Server& shared_s3();

}  // namespace dramaloc::test
