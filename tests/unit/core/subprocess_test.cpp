#include "core/subprocess.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "core/cancel.hpp"
#include "core/error.hpp"

using namespace dramaloc;
using namespace std::chrono_literals;

namespace {

double seconds_of(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST(Subprocess, RunsAProgramFeedingItsInputAndReadingBothOutputs) {
    const std::string big(300000, 'x');  // more than a pipe holds: feeding and draining interleave
    const auto r = run_process({"sh", "-c", "cat; echo oops >&2; exit 3"}, big, 10s);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.out, big);
    EXPECT_EQ(r.err, "oops\n");
    EXPECT_THROW(run_process({"/nonexistent/program"}, "", 10s), EngineError);
    EXPECT_FALSE(find_in_path("sh").empty());
    EXPECT_TRUE(find_in_path("no-such-program-here").empty());
}

TEST(Subprocess, ATimeLimitOrCtrlCKillsTheWholeProcessGroupAtOnce) {
    // A shell that starts a child of its own: the kill must reach both.
    EXPECT_THROW(run_process({"sh", "-c", "sleep 30 & wait"}, "", 300ms), EngineError);
    reset_cancel();
    std::thread ctrl_c([] {
        std::this_thread::sleep_for(200ms);
        request_cancel();
    });
    const double seconds = seconds_of([] { EXPECT_THROW(run_process({"sh", "-c", "sleep 30 & wait"}, "", 60s), Cancelled); });
    ctrl_c.join();
    reset_cancel();
    EXPECT_LT(seconds, 1.0);
}

TEST(Subprocess, RunsAFunctionInAForkedCopy) {
    const auto r = run_in_child([](int fd) {
        const char text[] = "from the child";
        EXPECT_EQ(::write(fd, text, std::strlen(text)), static_cast<ssize_t>(std::strlen(text)));
    }, "a test", 10s);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "from the child");
    EXPECT_EQ(run_in_child([](int) { throw std::runtime_error("x"); }, "a test", 10s).exit_code, 1);
    // Cancellation reaches a forked child too.
    std::thread ctrl_c([] {
        std::this_thread::sleep_for(200ms);
        request_cancel();
    });
    const double seconds = seconds_of([] { EXPECT_THROW(run_in_child([](int) { ::sleep(30); }, "a test", 60s), Cancelled); });
    ctrl_c.join();
    reset_cancel();
    EXPECT_LT(seconds, 1.0);
}
