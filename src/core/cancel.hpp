#pragma once
// Cooperative cancellation. The CLI's SIGINT/SIGTERM handler calls request_cancel();
// long loops call throw_if_cancelled() between units of work, and unwinding removes
// every temporary output (AtomicFile), so Ctrl-C leaves nothing partial behind.
namespace dramaloc {

void request_cancel() noexcept;  // async-signal-safe
bool cancel_requested() noexcept;
void reset_cancel() noexcept;    // for tests
void throw_if_cancelled();       // throws Cancelled

}  // namespace dramaloc
