#pragma once
// The registry every engine family shares: a table of the backends compiled into this
// build, preferred first, looked up by name; and the backends the project knows but this
// build may lack, so that asking for one says which build option turns it on.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::engines {

template <typename Interface>
struct Backend {
    std::string_view name;
    std::function<std::unique_ptr<Interface>()> create;
};

struct KnownBackend {
    std::string_view name;
    std::string_view build_option;  // e.g. "DRAMALOC_WITH_ESPEAK=ON (needs libespeak-ng-dev)"
};

template <typename Interface>
std::vector<std::string> backend_names(const std::vector<Backend<Interface>>& backends) {
    std::vector<std::string> names;
    for (const Backend<Interface>& backend : backends) names.emplace_back(backend.name);
    return names;
}

// Throws EngineError for a `family` backend ("speech synthesizer") called `name` that this
// build does not have: the build option when `known` lists it, else the `available` names.
[[noreturn]] void throw_missing_backend(std::string_view family, std::string_view name,
                                        const std::vector<std::string>& available, std::span<const KnownBackend> known);

// A new instance of the backend `name`; throws EngineError (see above) when there is none.
template <typename Interface>
std::unique_ptr<Interface> create_backend(std::string_view family, std::string_view name,
                                          const std::vector<Backend<Interface>>& backends,
                                          std::span<const KnownBackend> known = {}) {
    for (const Backend<Interface>& backend : backends) {
        if (backend.name == name) return backend.create();
    }
    throw_missing_backend(family, name, backend_names(backends), known);
}

}  // namespace dramaloc::engines
