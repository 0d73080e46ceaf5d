#include "engines/backend_registry.hpp"

#include "core/error.hpp"

namespace dramaloc::engines {

void throw_missing_backend(std::string_view family, std::string_view name, const std::vector<std::string>& available,
                           std::span<const KnownBackend> known) {
    for (const KnownBackend& k : known) {
        if (k.name == name) {
            throw EngineError(std::string(family) + " \"" + std::string(name) +
                              "\" is not built into this dramaloc; rebuild with -D" + std::string(k.build_option));
        }
    }
    std::string list;
    for (const std::string& n : available) list += (list.empty() ? "" : ", ") + n;
    throw EngineError("unknown " + std::string(family) + " \"" + std::string(name) + "\"; available: " +
                      (list.empty() ? std::string("none in this build") : list));
}

}  // namespace dramaloc::engines
