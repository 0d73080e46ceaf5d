#pragma once
// A guard against SIGFPE inside a C library call (tesseract was seen to die with SIGFPE
// on a few percent of subtitle bands). The signal is synchronous, so it arrives on the
// thread that divided by zero; a thread-local jump point takes that thread back here.
// What the interrupted call had allocated is leaked and its object must be abandoned:
// callers throw away the engine instance and make a new one.
#include <functional>

namespace dramaloc::engines {

// Runs `work`; returns false when it raised SIGFPE (the work was abandoned). A SIGFPE on a
// thread outside any guard keeps its default effect (the process ends). `work` must not
// throw through this function's caller boundary into C code; exceptions pass through.
bool run_catching_sigfpe(const std::function<void()>& work);

}  // namespace dramaloc::engines
