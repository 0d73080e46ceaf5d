#include "pipeline/stage.hpp"

#include <chrono>

#include "core/hash.hpp"

namespace dramaloc::pipeline {

std::string stage_key(std::string_view stage, int version, std::string_view engine,
                      std::initializer_list<std::string_view> inputs, std::string_view parameters) {
    Hasher h;
    h.field("dramaloc-stage").field(stage).field(version).field(engine);
    h.field(static_cast<std::int64_t>(inputs.size()));
    for (auto input : inputs) h.field(input);
    h.field(parameters);
    return h.hex();
}

std::filesystem::path run_stage(StageContext& context, const StageSpec& spec,
                                const std::function<void(const std::filesystem::path&)>& produce) {
    if (auto found = context.store.find(spec.key)) {
        context.log.add({spec.stage, spec.scope, spec.key, spec.engine, true, 0.0});
        return *found;
    }
    const auto start = std::chrono::steady_clock::now();
    auto folder = context.store.get_or_create(spec.key, produce);
    context.log.add({spec.stage, spec.scope, spec.key, spec.engine, false, seconds_since(start)});
    return folder;
}

}  // namespace dramaloc::pipeline
