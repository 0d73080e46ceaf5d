#pragma once
// Error policy (docs/design.md, "Errors"):
//  - Exceptions derived from dramaloc::Error end a stage or a command. Their what()
//    is ONE line a person can act on: what is wrong, and what to do about it.
//  - Expected outcomes (a line that does not fit, a rule violation) are return values.
//  - Cancelled is distinct so callers can tell a user's Ctrl-C from a failure.
//  - Thread, C-callback and HTTP boundaries catch everything and convert it.
#include <stdexcept>
#include <string>

namespace dramaloc {

enum class ErrorKind { Usage, Input, Engine, Config, Io, Cancelled, Internal };

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

// A command-line option whose value cannot be used (an unknown --source, a language tag that
// is no language, a length out of range): the same exit code as an unknown option, in every
// command.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(ErrorKind::Usage, message) {}
};

// The user's input is unusable: corrupt media, no audio stream, malformed subtitle file.
class InputError : public Error {
public:
    explicit InputError(const std::string& message) : Error(ErrorKind::Input, message) {}
};

// An engine (library or server) failed or is missing.
class EngineError : public Error {
public:
    explicit EngineError(const std::string& message) : Error(ErrorKind::Engine, message) {}
};

// Configuration is invalid: bad TOML, unknown key, value out of range.
class ConfigError : public Error {
public:
    explicit ConfigError(const std::string& message) : Error(ErrorKind::Config, message) {}
};

// Reading or writing our own files failed: permissions, full disk.
class IoError : public Error {
public:
    explicit IoError(const std::string& message) : Error(ErrorKind::Io, message) {}
};

// A bug of dramaloc's own (a broken invariant), not a problem of the input or the machine.
class InternalError : public Error {
public:
    explicit InternalError(const std::string& message) : Error(ErrorKind::Internal, message) {}
};

// The user or a supervisor asked the work to stop.
class Cancelled : public Error {
public:
    Cancelled() : Error(ErrorKind::Cancelled, "cancelled") {}
};

// Exit codes used by the CLI for each kind (documented in docs/cli.md).
int exit_code_for(ErrorKind kind) noexcept;
// A run that finished, but in which one or more target languages failed (their outputs were
// not published; the others were). Documented in docs/cli.md.
constexpr int kExitFailedLanguages = 7;
const char* to_string(ErrorKind kind) noexcept;

}  // namespace dramaloc
