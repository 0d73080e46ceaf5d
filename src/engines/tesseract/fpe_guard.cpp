#include "engines/tesseract/fpe_guard.hpp"

#include <csetjmp>
#include <csignal>
#include <mutex>

namespace dramaloc::engines {
namespace {

thread_local sigjmp_buf* t_jump = nullptr;

extern "C" void on_sigfpe(int signal_number) {
    if (t_jump) siglongjmp(*t_jump, 1);
    // Not inside a guard: behave as if we had never been installed.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

void install_handler_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_handler = on_sigfpe;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_NODEFER;
        sigaction(SIGFPE, &action, nullptr);
    });
}

// Kept apart so that no object with a destructor lives in the frame that sigsetjmp marks.
bool guarded_call(const std::function<void()>& work, sigjmp_buf& jump) {
    if (sigsetjmp(jump, 1) != 0) return false;  // came back from the handler
    work();
    return true;
}

}  // namespace

bool run_catching_sigfpe(const std::function<void()>& work) {
    install_handler_once();
    sigjmp_buf jump;
    sigjmp_buf* const outer = t_jump;
    t_jump = &jump;
    bool completed = false;
    try {
        completed = guarded_call(work, jump);
    } catch (...) {
        t_jump = outer;
        throw;
    }
    t_jump = outer;
    return completed;
}

}  // namespace dramaloc::engines
