// `dramaloc config check [SERIES.toml] [--config FILE] [--json]`: each file checked as the
// command that reads it checks it before any work (`run` a series file, `localize --config` a
// settings file), then printed as it is in effect — every setting, its value, and where it came
// from (a default, the file and line, the environment, the command line) — with secrets
// masked. Exits 0 only when the configuration is valid, so that a studio's CI can run it.
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/effective_config.hpp"
#include "core/error.hpp"
#include "pipeline/localize.hpp"
#include "store/object_store.hpp"
#include "series/project.hpp"
#include "pipeline/settings_schema.hpp"
#include "policy/content_review.hpp"

namespace dramaloc::cli {

namespace {

using nlohmann::json;

struct CheckArgs {
    std::string series, config, out, store, artifacts, db;
    bool json_out = false;
};

// Each file against its schema, all problems of all files, before anything reads a value:
// a CI run sees every mistake at once.
std::vector<std::string> schema_problems(const CheckArgs& a) {
    std::vector<std::string> problems;
    const auto check = [&](const std::string& file, const ConfigSchema& schema) {
        try {
            Config::load(file, schema);
        } catch (const InvalidConfig& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
        }
    };
    if (!a.series.empty()) check(a.series, pipeline::series_file_schema());
    if (!a.config.empty()) check(a.config, pipeline::settings_file_schema());
    return problems;
}

void replace_setting(std::vector<Setting>& settings, Setting s) {
    for (auto& existing : settings)
        if (existing.key == s.key) return void(existing = std::move(s));
    settings.push_back(std::move(s));
}

// What a file leaves to the environment and the command line: the keys the engines read from
// their variables, the object store's, and for a series file the options given here as to run.
void add_outside_settings(std::vector<Setting>& settings, const CheckArgs& a, const pipeline::LocalizeOptions& options, bool series) {
    for (const auto& [stage, engine] : pipeline::run_engines(options)) {
        if (engine.api_key_env.empty()) continue;
        const char* key = std::getenv(engine.api_key_env.c_str());
        const bool set = key && *key;
        settings.push_back({"engines." + stage + ".api_key", set ? json(kMaskedSecret) : json(nullptr), "environment ($" + engine.api_key_env + ")",
                            set ? "" : "$" + engine.api_key_env + " is empty: the engine will not start", true});
    }
    if (!series) return;
    const auto from_command_line = [&](const std::string& key, const std::string& value, const std::string& option) {
        if (!value.empty()) replace_setting(settings, {key, value, "command line (" + option + ")", "", false});
    };
    from_command_line("series.out", a.out, "--out");
    from_command_line("series.store", a.store, "--store");
    from_command_line("series.artifacts", a.artifacts, "--artifacts");
    settings.push_back(a.db.empty() ? Setting{"db", nullptr, "default", "OUT/.dramaloc-jobs.db (SQLite)", false}
                                    : Setting{"db", a.db, "command line (--db)", "", false});
    if (options.run.artifacts_url.empty()) return;
    const auto s3 = store::s3_location_from_url(options.run.artifacts_url);  // ConfigError when its keys are not set
    const auto env_origin = [](std::initializer_list<const char*> names) {
        for (const char* name : names)
            if (const char* v = std::getenv(name); v && *v) return "environment ($" + std::string(name) + ")";
        return std::string("default");
    };
    settings.push_back({"artifacts.endpoint", s3.endpoint, env_origin({"DRAMALOC_S3_ENDPOINT", "AWS_ENDPOINT_URL"}), "", false});
    settings.push_back({"artifacts.region", s3.region, env_origin({"AWS_REGION", "AWS_DEFAULT_REGION"}), "", false});
    settings.push_back({"artifacts.access_key_id", kMaskedSecret, "environment ($AWS_ACCESS_KEY_ID)", "", true});
    settings.push_back({"artifacts.secret_access_key", kMaskedSecret, "environment ($AWS_SECRET_ACCESS_KEY)", "", true});
}

// A value as printed: never a secret, never a password inside a URL.
json shown(const Setting& s) {
    if (s.secret) return s.value.is_null() ? json(nullptr) : json(kMaskedSecret);
    if (s.value.is_string()) return mask_url_credentials(s.value.get<std::string>());
    if (s.value.is_array()) {
        json out = json::array();
        for (const auto& item : s.value) out.push_back(item.is_string() ? json(mask_url_credentials(item.get<std::string>())) : item);
        return out;
    }
    return s.value;
}

// One checked file and the configuration it makes, as the command that reads it has it.
struct Checked {
    std::string file, kind, read_by;
    std::vector<Setting> settings;
};

void print(const std::vector<Checked>& checked, bool as_json) {
    if (as_json) {
        json files = json::array();
        for (const auto& c : checked) {
            json list = json::array();
            for (const auto& s : c.settings) {
                json j = {{"key", s.key}, {"value", shown(s)}, {"origin", s.origin}};
                if (!s.note.empty()) j["note"] = s.note;
                if (s.secret) j["secret"] = true;
                list.push_back(std::move(j));
            }
            files.push_back({{"file", c.file}, {"kind", c.kind}, {"read_by", c.read_by}, {"settings", list}});
        }
        std::cout << json{{"valid", true}, {"files", files}}.dump(2) << "\n";
        return;
    }
    for (std::size_t i = 0; i < checked.size(); ++i) {
        const auto& c = checked[i];
        std::cout << (i ? "\n" : "") << "# " << c.file << ": a valid " << c.kind << ", as " << c.read_by << " reads it\n";
        for (const auto& s : c.settings) {
            const json value = shown(s);
            std::string line = value.is_null() ? s.key : s.key + " = " + value.dump();
            const std::string origin = value.is_null() ? (s.note.empty() ? "not set" : "not set: " + s.note) : s.origin;
            if (line.size() < 56) line.resize(56, ' ');
            std::cout << line << "  # " << origin << "\n";
        }
    }
}

void check(const CheckArgs& a) {
    if (a.series.empty() && a.config.empty()) throw UsageError("config check needs a series file, or --config FILE (or both)");
    if (a.series.empty() && !(a.out.empty() && a.store.empty() && a.artifacts.empty() && a.db.empty()))
        throw UsageError("--out, --store, --artifacts and --db are a series' (as for dramaloc run): give its series file");
    if (const auto problems = schema_problems(a); !problems.empty()) throw InvalidConfig(problems);

    // Each file as the command that reads it has it, with what that command checks before any
    // work. No command reads both: they are checked and shown one by one.
    std::vector<Checked> checked;
    if (!a.series.empty()) {
        auto project = series::load_series_project(a.series);
        if (!a.artifacts.empty()) project.options.run.artifacts_url = a.artifacts;
        pipeline::validate(project.options, /*episode_files=*/false);  // engines, pairs and voices
        policy::content_reviewer_of(project);                              // the policy packs
        auto settings = effective_settings(pipeline::series_file_schema(), {project.options.languages.config.get()});
        add_outside_settings(settings, a, project.options, true);
        checked.push_back({a.series, "series file", "dramaloc run", std::move(settings)});
    }
    if (!a.config.empty()) {
        const auto config = Config::load(a.config, pipeline::settings_file_schema());
        pipeline::LocalizeOptions options;
        pipeline::apply_config(options, config);
        pipeline::validate(options, /*episode_files=*/false);
        auto settings = effective_settings(pipeline::settings_file_schema(), {&config});
        add_outside_settings(settings, a, options, false);
        checked.push_back({a.config, "settings file", "dramaloc localize --config", std::move(settings)});
    }
    print(checked, a.json_out);
}

}  // namespace

void register_config_commands(CLI::App& app) {
    auto* config = app.add_subcommand("config", "Configuration files: check them");
    config->require_subcommand(1);
    auto a = std::make_shared<CheckArgs>();
    auto* cmd = config->add_subcommand(
        "check", "Check a series file (and/or a --config settings file) as run and localize would, and print every setting with its origin");
    cmd->add_option("series", a->series, "series file (as for dramaloc run)");
    cmd->add_option("--config", a->config, "settings file (as for dramaloc localize --config)");
    cmd->add_option("--out", a->out, "as for run: the output folder");
    cmd->add_option("--store", a->store, "as for run: the artifact store folder");
    cmd->add_option("--artifacts", a->artifacts, "as for run: s3://BUCKET/PREFIX");
    cmd->add_option("--db", a->db, "as for run: the job store (its password is masked)");
    cmd->add_flag("--json", a->json_out, "JSON on stdout");
    cmd->callback([a] {
        try {
            check(*a);
        } catch (const Cancelled&) {
            throw;
        } catch (const UsageError&) {
            throw;
        } catch (const Error& e) {
            // Every problem on its own line (all of them, not the first alone), and for --json
            // the same on stdout; the exit code of the kind of error, as everywhere.
            const auto* invalid = dynamic_cast<const InvalidConfig*>(&e);
            const std::vector<std::string> problems = invalid ? invalid->problems() : std::vector<std::string>{e.what()};
            for (const auto& p : problems) std::cerr << "dramaloc: " << p << "\n";
            if (a->json_out) std::cout << json{{"valid", false}, {"problems", problems}}.dump(2) << "\n";
            g_command_exit_code = exit_code_for(e.kind());
        }
    });
}

}  // namespace dramaloc::cli
