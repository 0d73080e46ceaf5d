// The episode loop shared by `localize` and `run` (cli/episodes.hpp).
#include "cli/episodes.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/language.hpp"
#include "series/edit_log.hpp"

namespace dramaloc::cli {

void LanguageTotals::add(const pipeline::LanguageQc& q) {
    ++episodes;
    qc.lines += q.lines;
    qc.untranslated += q.untranslated;
    qc.over_reading_speed += q.over_reading_speed;
    qc.fit_overflows += q.fit_overflows;
    if (q.integrated_lufs) {
        lufs_low = has_lufs ? std::min(lufs_low, *q.integrated_lufs) : *q.integrated_lufs;
        lufs_high = has_lufs ? std::max(lufs_high, *q.integrated_lufs) : *q.integrated_lufs;
        has_lufs = true;
    }
}

void print_qc_summary(const std::map<std::string, LanguageTotals>& totals, double target_lufs) {
    for (const auto& [language, t] : totals) {
        char loudness[64] = "silent";
        if (t.has_lufs)
            std::snprintf(loudness, sizeof loudness, t.lufs_low == t.lufs_high ? "%.1f LUFS" : "%.1f to %.1f LUFS", t.lufs_low, t.lufs_high);
        std::cout << "QC " << language << ": ";
        if (t.episodes > 0)
            std::cout << t.qc.lines << " lines in " << t.episodes << (t.episodes == 1 ? " episode" : " episodes") << ", "
                      << t.qc.untranslated << " untranslated, " << t.qc.over_reading_speed << " over reading speed, "
                      << t.qc.fit_overflows << " fit overflows, " << loudness << " (target " << target_lufs << ")";
        if (t.failed > 0) std::cout << (t.episodes > 0 ? "; " : "") << "FAILED in " << t.failed << (t.failed == 1 ? " episode" : " episodes");
        std::cout << "\n";
    }
}

int failed_languages_exit(const std::map<std::string, LanguageTotals>& totals) {
    int failed_languages = 0;
    for (const auto& [language, t] : totals) failed_languages += t.failed > 0;
    if (failed_languages == 0) return 0;
    std::cerr << "dramaloc: finished, but " << failed_languages << (failed_languages == 1 ? " language" : " languages")
              << " failed and " << (failed_languages == 1 ? "was" : "were") << " not published (see above and qc.json)\n";
    return kExitFailedLanguages;
}

void print_engines(const pipeline::LocalizeOptions& options) {
    for (const auto& [stage, engine] : pipeline::run_engines(options)) std::cerr << stage << ": " << engines::describe(engine) << "\n";
}

int localize_episodes(const std::vector<std::string>& episodes, pipeline::LocalizeOptions options, bool quiet,
                      const EpisodeHooks& hooks) {
    if (!quiet) print_engines(options);
    int failed = 0;
    std::map<std::string, LanguageTotals> totals;
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < episodes.size(); ++k) {
        const std::string name = std::filesystem::path(episodes[k]).stem().string();
        const std::string label = (episodes.size() > 1 ? "[" + std::to_string(k + 1) + "/" + std::to_string(episodes.size()) + "] " : "") +
                                  std::filesystem::path(episodes[k]).filename().string();
        options.run.on_stage = [&](const std::string& what) {
            if (!quiet) std::cerr << label << ": " << what << "\n";
        };
        try {
            if (hooks.before) hooks.before(name, options);
            // Lines people edited (dramaloc edit, or the published script file): kept, not overwritten.
            options.languages.edits = series::gather_edits(options.run.out_dir, name, [&](const std::string& what) {
                if (!quiet) std::cerr << "dramaloc: " << what << "\n";
            });
            options.languages.revisions = series::line_revisions(series::EditLog(options.run.out_dir).history(), name);
            const auto result = pipeline::localize_episode(episodes[k], options);
            for (const auto& note : result.edit_notes) std::cerr << "dramaloc: edit kept: " << note << "\n";
            if (hooks.after) hooks.after(name, options, result);
            std::cout << label << ": " << result.stages_computed << " stages computed, " << result.stages_reused << " reused\n";
            for (const auto& f : result.files) std::cout << "  " << f.string() << "\n";
            for (const auto& [language, qc] : result.languages) totals[language].add(qc);
            for (const auto& [language, why] : result.failed_languages) {
                ++totals[language].failed;
                std::cerr << "dramaloc: " << name << ": " << why << "\n";
            }
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            // One episode's bad input must not stop the batch.
            std::cerr << "dramaloc: " << e.what() << "\n";
            ++failed;
        }
        if (!quiet && episodes.size() > 1 && k + 1 < episodes.size()) {
            const double per_episode = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() / static_cast<double>(k + 1);
            const auto left = static_cast<int>(per_episode * static_cast<double>(episodes.size() - k - 1) + 0.5);
            std::cerr << "[" << k + 1 << "/" << episodes.size() << "] done; about " << (left >= 120 ? left / 60 : left)
                      << (left >= 120 ? " min" : " s") << " left\n";
        }
    }
    print_qc_summary(totals, options.languages.mix.target_lufs);
    if (failed > 0 && episodes.size() > 1)
        std::cerr << "dramaloc: " << failed << " of " << episodes.size() << " episodes failed\n";
    if (failed > 0) return 3;
    return failed_languages_exit(totals);
}

}  // namespace dramaloc::cli
