#include "core/error.hpp"

namespace dramaloc {

int exit_code_for(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::Usage: return 2;
        case ErrorKind::Input: return 3;
        case ErrorKind::Engine: return 4;
        case ErrorKind::Config: return 2;  // like a usage error: what was asked cannot be done as written
        case ErrorKind::Io: return 6;
        case ErrorKind::Cancelled: return 130;
        case ErrorKind::Internal: return 70;
    }
    return 70;
}

const char* to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::Usage: return "usage error";
        case ErrorKind::Input: return "input error";
        case ErrorKind::Engine: return "engine error";
        case ErrorKind::Config: return "configuration error";
        case ErrorKind::Io: return "i/o error";
        case ErrorKind::Cancelled: return "cancelled";
        case ErrorKind::Internal: return "internal error";
    }
    return "error";
}

}  // namespace dramaloc
