#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "engines/tesseract/fpe_guard.hpp"

using dramaloc::engines::run_catching_sigfpe;

namespace {

volatile int g_sink = 0;

// Stored in a volatile so the compiler cannot drop the division.
// (Not instrumented by UBSan, which would report the division itself: the point is the trap.)
__attribute__((no_sanitize("undefined"))) void divide_into_sink(int a, int b) {
#if defined(__x86_64__) || defined(__i386__)
    g_sink = a / b;  // traps on x86
#else
    if (b == 0) std::raise(SIGFPE);  // integer division does not trap on every architecture
    else g_sink = a / b;
#endif
}

}  // namespace

TEST(FpeGuard, AnIntegerDivisionByZeroIsCaughtAndTheThreadGoesOn) {
    volatile int zero = 0;
    int result = -1;
    EXPECT_FALSE(run_catching_sigfpe([&] { divide_into_sink(7, zero), result = g_sink; }));
    EXPECT_EQ(result, -1);  // the assignment never happened
    EXPECT_TRUE(run_catching_sigfpe([&] { divide_into_sink(8, 2), result = g_sink; }));
    EXPECT_EQ(result, 4);
    // Again: the handler stays installed and the jump point is restored each time.
    EXPECT_FALSE(run_catching_sigfpe([&] { divide_into_sink(9, zero); }));
}

TEST(FpeGuard, WorksOnEveryThreadIndependently) {
    volatile int zero = 0;
    bool caught[2] = {true, true};
    std::thread a([&] { caught[0] = run_catching_sigfpe([&] { divide_into_sink(3, zero); }); });
    std::thread b([&] { caught[1] = run_catching_sigfpe([] {}); });
    a.join();
    b.join();
    EXPECT_FALSE(caught[0]);
    EXPECT_TRUE(caught[1]);
}

TEST(FpeGuard, ExceptionsPassThrough) {
    EXPECT_THROW(run_catching_sigfpe([] { throw std::runtime_error("x"); }), std::runtime_error);
    EXPECT_TRUE(run_catching_sigfpe([] {}));
}
