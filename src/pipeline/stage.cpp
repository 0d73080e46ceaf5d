#include "pipeline/stage.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/parallel.hpp"

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

void run_stages(std::initializer_list<StagePhase> phases, const StageSteps& steps, std::size_t lines, int jobs) {
    std::vector<const StageDecl*> walk;
    for (const auto& decl : stage_graph())
        if (std::find(phases.begin(), phases.end(), decl.phase) != phases.end()) walk.push_back(&decl);
    for (const auto& [id, step] : steps)
        if (std::find_if(walk.begin(), walk.end(), [id = id](const StageDecl* d) { return d->id == id; }) == walk.end())
            throw InternalError("a step is given for stage " + std::string(stage(id).name) + ", which this walk of the graph does not reach");
    const auto step_of = [&](const StageDecl& decl) -> const StageStep& {
        const auto it = steps.find(decl.id);
        const bool line = decl.scope == StageScope::Line;
        if (it == steps.end() || !(line ? bool(it->second.per_line) : bool(it->second.run)))
            throw InternalError("stage " + std::string(decl.name) + " is declared in pipeline/stage_graph.cpp but this walk has no " +
                                (line ? "per-line " : "") + "step for it");
        return it->second;
    };
    std::vector<const StageStep*> resolved;  // all of them before anything runs
    for (const auto* decl : walk) resolved.push_back(&step_of(*decl));
    for (std::size_t k = 0; k < walk.size();) {
        if (walk[k]->scope != StageScope::Line) {
            resolved[k++]->run();
            continue;
        }
        const std::size_t first = k;
        while (k < walk.size() && walk[k]->scope == StageScope::Line) ++k;
        parallel_for(lines, jobs, [&, first, end = k](std::size_t, std::size_t line) {
            for (std::size_t g = first; g < end; ++g) resolved[g]->per_line(line);
        });
    }
}

}  // namespace dramaloc::pipeline
