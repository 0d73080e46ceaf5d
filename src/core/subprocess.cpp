#include "core/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/cancel.hpp"
#include "core/error.hpp"

extern char** environ;

namespace dramaloc {
namespace {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = other.release();
        }
        return *this;
    }
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read;
    Fd write;
};

Pipe make_pipe() {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
        throw EngineError(std::string("cannot create a pipe for a helper process: ") + std::strerror(errno));
    }
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

class SpawnActions {
public:
    SpawnActions() { posix_spawn_file_actions_init(&actions_); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_{};
};

class SpawnAttr {
public:
    SpawnAttr() { posix_spawnattr_init(&attr_); }
    ~SpawnAttr() { posix_spawnattr_destroy(&attr_); }
    SpawnAttr(const SpawnAttr&) = delete;
    SpawnAttr& operator=(const SpawnAttr&) = delete;
    posix_spawnattr_t* get() { return &attr_; }

private:
    posix_spawnattr_t attr_{};
};

// Owns a running child: if the call unwinds (cancel, time limit, error), the whole
// process group — a script and every stage of its pipeline — is killed and reaped.
class Child {
public:
    explicit Child(pid_t pid) : pid_(pid) {}
    ~Child() {
        if (pid_ > 0) {
            ::kill(-pid_, SIGKILL);
            int status = 0;
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0) {
            if (errno != EINTR) {
                pid_ = -1;
                return -1;
            }
        }
        pid_ = -1;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
    }

private:
    pid_t pid_;
};

// Writes to a pipe whose reader has gone away without letting SIGPIPE kill us: the signal
// is blocked in this thread for the write and a resulting pending one is consumed.
ssize_t write_without_sigpipe(int fd, const char* data, std::size_t size) {
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    const ssize_t n = ::write(fd, data, size);
    const int saved_errno = errno;
    if (n < 0 && saved_errno == EPIPE) {
        const timespec no_wait{};
        while (::sigtimedwait(&pipe_signal, nullptr, &no_wait) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    errno = saved_errno;
    return n;
}

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Feeds `input` to the child while reading its stdout and stderr, until both close; then
// reaps it. Cancellation and the deadline are checked at least every 100 ms.
ProcessResult drain(Child& child, Fd& in, std::string_view input, Fd& out_fd, Fd& err_fd, std::string_view what,
                    std::chrono::milliseconds time_limit) {
    for (const Fd* fd : {&in, &out_fd, &err_fd})
        if (fd->get() >= 0) set_nonblocking(fd->get());
    if (input.empty()) in.reset();
    ProcessResult result;
    std::size_t written = 0;
    const auto deadline = std::chrono::steady_clock::now() + time_limit;
    std::array<char, 65536> buffer{};
    while (out_fd.get() >= 0 || err_fd.get() >= 0) {
        throw_if_cancelled();  // unwinding kills the child (Child's destructor)
        if (std::chrono::steady_clock::now() > deadline) {
            throw EngineError(std::string(what) + " did not finish within " + std::to_string(time_limit.count() / 1000) +
                              " s; the input may be too large or the engine is stuck");
        }
        std::array<pollfd, 3> fds{};
        nfds_t count = 0;
        const auto watch = [&](const Fd& fd, short events) {
            if (fd.get() >= 0) fds[count++] = pollfd{fd.get(), events, 0};
        };
        watch(in, POLLOUT);
        watch(out_fd, POLLIN);
        watch(err_fd, POLLIN);
        // Short timeout: cancellation and the deadline are checked at least every 100 ms.
        const int ready = ::poll(fds.data(), count, 100);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw EngineError("waiting for " + std::string(what) + " failed: " + std::strerror(errno));
        }
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) continue;
            if (fds[i].fd == in.get()) {
                const ssize_t n = write_without_sigpipe(in.get(), input.data() + written, input.size() - written);
                if (n > 0) written += static_cast<std::size_t>(n);
                // EPIPE: the child stopped reading; its exit status tells what happened.
                if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in.reset();
            } else {
                Fd& source = fds[i].fd == out_fd.get() ? out_fd : err_fd;
                std::string& sink = fds[i].fd == out_fd.get() ? result.out : result.err;
                const ssize_t n = ::read(source.get(), buffer.data(), buffer.size());
                if (n > 0) {
                    sink.append(buffer.data(), static_cast<std::size_t>(n));
                } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                    source.reset();
                }
            }
        }
    }
    in.reset();
    result.exit_code = child.wait();
    return result;
}

}  // namespace

std::string find_in_path(std::string_view name) {
    if (name.find('/') != std::string_view::npos) {
        return ::access(std::string(name).c_str(), X_OK) == 0 ? std::string(name) : std::string();
    }
    const char* path_env = std::getenv("PATH");
    const std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
    std::size_t begin = 0;
    while (begin <= path.size()) {
        const std::size_t end = std::min(path.find(':', begin), path.size());
        const std::string dir = path.substr(begin, end - begin);
        if (!dir.empty()) {
            const std::string candidate = (std::filesystem::path(dir) / std::string(name)).string();
            if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
                return candidate;
            }
        }
        begin = end + 1;
    }
    return {};
}

ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds time_limit) {
    if (argv.empty()) throw EngineError("internal: run_process called without a program");
    Pipe in = make_pipe();
    Pipe out = make_pipe();
    Pipe err = make_pipe();

    SpawnActions actions;
    posix_spawn_file_actions_adddup2(actions.get(), in.read.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(actions.get(), out.write.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(actions.get(), err.write.get(), STDERR_FILENO);
    SpawnAttr attr;
    // A process group of its own, so a kill reaches every stage of the pipeline; default
    // signal dispositions, so a SIGPIPE ignored by the parent does not leak into the child.
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    posix_spawnattr_setsigdefault(attr.get(), &default_signals);
    posix_spawnattr_setpgroup(attr.get(), 0);
    posix_spawnattr_setflags(attr.get(), POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args[0], actions.get(), attr.get(), args.data(), environ);
    if (rc != 0) {
        throw EngineError("cannot run " + argv[0] + ": " + std::strerror(rc));
    }
    Child child(pid);
    in.read.reset();
    out.write.reset();
    err.write.reset();
    ProcessResult result = drain(child, in.write, input, out.read, err.read, argv[0], time_limit);
    return result;
}

ProcessResult run_in_child(const std::function<void(int out_fd)>& work, std::string_view what, std::chrono::milliseconds time_limit) {
    Pipe out = make_pipe();
    const pid_t pid = ::fork();
    if (pid < 0) throw EngineError("cannot start " + std::string(what) + ": fork failed: " + std::strerror(errno));
    if (pid == 0) {
        // The child: a process group of its own (a kill reaches whatever it starts), default
        // signal handling (the parent's Ctrl-C handler must not run here), then the work.
        ::setpgid(0, 0);
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        out.read.reset();
        int status = 0;
        try {
            work(out.write.get());
        } catch (...) {
            status = 1;
        }
        ::_exit(status);
    }
    Child child(pid);
    out.write.reset();
    Fd no_input, no_errors;
    return drain(child, no_input, {}, out.read, no_errors, what, time_limit);
}

std::string host_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "localhost";
    return host;
}

bool process_exists(long pid) {
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

}  // namespace dramaloc
