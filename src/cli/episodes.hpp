#pragma once
// The episode loop shared by `localize` and `run` (after pipeline::validate): each episode in
// turn, progress on stderr, its files on stdout, and one episode's failure reported and
// counted without stopping the others. Returns the exit code (0, or 3 when an episode failed).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pipeline/localize.hpp"

namespace dramaloc::cli {

struct EpisodeHooks {
    // Sets what the episode starts from (the characters known before it).
    std::function<void(const std::string& name, pipeline::LocalizeOptions&)> before;
    // Records what it found; `options` are those the next episode starts from.
    std::function<void(const std::string& name, pipeline::LocalizeOptions& options, const pipeline::EpisodeOutputs&)> after;
};

// Per target language, over the episodes of a run: what the end-of-run QC summary prints.
struct LanguageTotals {
    int episodes = 0;
    int failed = 0;
    pipeline::LanguageQc qc;
    double lufs_low = 0, lufs_high = 0;
    bool has_lufs = false;
    void add(const pipeline::LanguageQc& q);
};
// "QC es: 120 lines in 3 episodes, 0 untranslated, …" per language, on stdout.
void print_qc_summary(const std::map<std::string, LanguageTotals>& totals, double target_lufs);

// 7 (kExitFailedLanguages) with one line on stderr when a language failed somewhere, else 0.
int failed_languages_exit(const std::map<std::string, LanguageTotals>& totals);

// Which backend and endpoint each engine of the run uses, once, on stderr, before the work
// ("translate: openai at http://127.0.0.1:8080/v1 (model qwen2.5-7b-instruct)").
void print_engines(const pipeline::LocalizeOptions& options);

// Prints the engines (unless quiet), then localizes each episode in turn.
int localize_episodes(const std::vector<std::string>& episodes, pipeline::LocalizeOptions options, bool quiet,
                      const EpisodeHooks& hooks);

}  // namespace dramaloc::cli
