#include "pipeline/stage.hpp"

#include <chrono>

#include "core/error.hpp"
#include "core/hash.hpp"

namespace dramaloc::pipeline {

std::string stage_key(StageId stage, std::string_view engine, std::initializer_list<std::string_view> inputs,
                      std::string_view parameters) {
    const StageDecl& decl = pipeline::stage(stage);
    Hasher h;
    h.field("dramaloc-stage").field(decl.name).field(decl.version).field(engine);
    h.field(static_cast<std::int64_t>(inputs.size()));
    for (auto input : inputs) h.field(input);
    h.field(parameters);
    return h.hex();
}

std::filesystem::path run_stage(StageContext& context, const StageSpec& spec,
                                const std::function<void(const std::filesystem::path&)>& produce) {
    const StageDecl& decl = stage(spec.stage);
    const std::string name(decl.name);
    if (auto found = context.store.find(spec.key)) {
        context.log.add({name, spec.scope, spec.key, spec.engine, true, 0.0});
        return *found;
    }
    const auto start = std::chrono::steady_clock::now();
    auto folder = context.store.get_or_create(spec.key, [&](const std::filesystem::path& dir) {
        produce(dir);
        for (const auto& output : decl.outputs)
            if (output.required && !std::filesystem::exists(dir / output.file))
                throw InternalError("stage " + name + " (" + spec.scope + ") made no " + std::string(output.file) +
                                    ", which pipeline/stage_graph.cpp declares it stores");
    });
    context.log.add({name, spec.scope, spec.key, spec.engine, false, seconds_since(start)});
    return folder;
}

}  // namespace dramaloc::pipeline
