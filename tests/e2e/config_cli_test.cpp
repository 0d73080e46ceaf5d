// Configuration through the CLI as a user meets it (issue 29): what a file says that dramaloc
// does not understand stops every command that reads it in one line naming the file, the line
// and the key, before anything is written; `dramaloc config check` prints every setting with
// where it came from, and never a secret.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Exit code of a configuration error (docs/cli.md, "Exit codes").
constexpr int kConfigError = 2;

const std::string kHead = "[series]\nfrom = \"en\"\nto = [\"es\"]\nepisodes = [\"ep1.mp4\"]\nout = \"out\"\n";  // lines 1-5

// Sets an environment variable for the life of the object (the CLI runs inherit it).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST(ConfigCli, AMistakeInAnyTableIsOneLineWithFileLineAndKeyAndNothingIsWritten) {
    TempDir dir;
    write_file(dir / "ep1.mp4", "never read");
    const std::string series = (dir / "series.toml").string();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"scrpit = \"x.srt\"\n", "series.toml:6: unknown key \"scrpit\" in [series]; did you mean \"script\"?"},
        {"\n[engines.translate]\nbacknd = \"openai\"\n", "series.toml:8: unknown key \"backnd\" in [engines.translate]; did you mean \"backend\"?"},
        {"\n[qc]\nmax_untranslted = 0.1\n", "series.toml:8: unknown key \"max_untranslted\" in [qc]; did you mean \"max_untranslated\"?"},
        {"\n[cast.lin]\nnmae = \"Lin Xia\"\n", "series.toml:8: unknown key \"nmae\" in [cast.lin]; did you mean \"name\"?"},
        {"\n[glossary.\"林小姐\"]\nenn = \"Miss Lin\"\n", "series.toml:8: unknown language \"enn\" in [glossary.\"林小姐\"]; did you mean \"en\"?"},
        {"\n[qcc]\nmax_untranslated = 0.1\n", "series.toml:7: unknown table [qcc]; did you mean [qc]?"},
        {"\n[fit]\nshorten_rounds = \"two\"\n", "series.toml:8: key \"shorten_rounds\" in [fit] must be an integer (found a string)"},
        {"\n[mix]\ntarget_lufs = 3\n", "series.toml:8: key \"target_lufs\" in [mix] must be between -40 and -5 (found 3)"},
    };
    for (const auto& [tail, expected] : cases) {
        write_file(dir / "series.toml", kHead + tail);
        for (const auto& args : std::vector<std::vector<std::string>>{{"run", series}, {"config", "check", series}, {"status", series}}) {
            const auto r = run_dramaloc(args);
            EXPECT_EQ(r.exit_code, kConfigError) << args[0] << " " << tail << r.err;
            EXPECT_EQ(count_lines(r.err), 1) << args[0] << " " << tail << r.err;
            EXPECT_NE(r.err.find(expected), std::string::npos) << args[0] << ": " << r.err;
        }
        EXPECT_EQ(list_files(dir.path()), (std::vector<std::string>{"ep1.mp4", "series.toml"})) << tail;
    }
    // A settings file for localize: the same, and no output folder either.
    write_file(dir / "engines.toml", "[engines.translate]\nbackend = \"openai\"\nurl = \"http://127.0.0.1:9/v1\"\ntimeout_s = 0\n");
    const auto r = run_dramaloc({"localize", (dir / "ep1.mp4").string(), "--to", "es", "--config", (dir / "engines.toml").string(), "--out",
                                 (dir / "out").string()});
    EXPECT_EQ(r.exit_code, kConfigError) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("engines.toml:4: key \"timeout_s\" in [engines.translate] must be more than 0"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(ConfigCli, ConfigCheckListsEveryProblemAndExitsNonZero) {
    TempDir dir;
    write_file(dir / "series.toml", kHead + "scrpit = \"x\"\n\n[qcc]\nx = 1\n");
    auto r = run_dramaloc({"config", "check", (dir / "series.toml").string()});
    EXPECT_EQ(r.exit_code, kConfigError);
    EXPECT_EQ(count_lines(r.err), 2) << r.err;  // both, for a CI log to show at once
    EXPECT_TRUE(r.out.empty()) << r.out;
    r = run_dramaloc({"config", "check", (dir / "series.toml").string(), "--json"});
    EXPECT_EQ(r.exit_code, kConfigError);
    const json answer = json::parse(r.out);
    EXPECT_EQ(answer["valid"], false);
    EXPECT_EQ(answer["problems"].size(), 2u);
    EXPECT_EQ(run_dramaloc({"config", "check"}).exit_code, 2);  // nothing to check: a usage error
}

TEST(ConfigCli, ConfigCheckShowsEachSettingsOriginAndNeverASecret) {
    TempDir dir;
    const std::string api_key = "sk-e2e-secret-7f3a", access_key = "AKIAE2ESECRETID", secret_key = "aws-e2e-secret-9x",
                      db_password = "db-e2e-secret", url_password = "url-e2e-secret";
    ScopedEnv translate_key("DRAMALOC_E2E_TRANSLATE_KEY", api_key);
    ScopedEnv access("AWS_ACCESS_KEY_ID", access_key);
    ScopedEnv secret("AWS_SECRET_ACCESS_KEY", secret_key);
    write_file(dir / "ep1.mp4", "never read");
    write_file(dir / "series.toml", kHead +
                                        "source = \"srt:scripts/ep1.srt\"\nartifacts = \"s3://bucket/drama\"\n\n"  // lines 6-8
                                        "[engines.translate]\nbackend = \"openai\"\n"                           // lines 9-10
                                        "url = \"http://bot:" + url_password + "@127.0.0.1:9/v1\"\nmodel = \"qwen-test\"\n"  // 11-12
                                        "api_key_env = \"DRAMALOC_E2E_TRANSLATE_KEY\"\n");                       // 13
    write_file(dir / "engines.toml", "[engines.translate]\nmax_retries = 1\n");
    const std::vector<std::string> args = {"config", "check", (dir / "series.toml").string(), "--config", (dir / "engines.toml").string(),
                                           "--out", (dir / "elsewhere").string(), "--db", "postgresql://ana:" + db_password + "@127.0.0.1/jobs"};
    auto r = run_dramaloc(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Each file as its command reads it: the series file as run, the settings file as localize.
    const auto split = r.out.find("\n\n# ");
    ASSERT_NE(split, std::string::npos) << r.out;
    const std::string series_part = r.out.substr(0, split + 1), engines_part = r.out.substr(split + 1);
    EXPECT_NE(series_part.find("series.toml: a valid series file, as dramaloc run reads it"), std::string::npos) << r.out;
    EXPECT_NE(engines_part.find("engines.toml: a valid settings file, as dramaloc localize --config reads it"), std::string::npos) << r.out;
    const auto line_of = [](const std::string& part, const std::string& key) {
        const auto at = part.find("\n" + key + " ");
        return at == std::string::npos ? std::string() : part.substr(at + 1, part.find('\n', at + 1) - at - 1);
    };
    const auto expect_line = [&](const std::string& part, const std::string& key, const std::string& value, const std::string& origin) {
        const std::string line = line_of(part, key);
        EXPECT_EQ(line.rfind(key + " = " + value, 0), 0u) << key << ": " << line << "\n" << r.out;
        EXPECT_NE(line.find("  # "), std::string::npos) << line;
        EXPECT_NE(line.find(origin, line.find("  # ")), std::string::npos) << key << ": " << line;
    };
    expect_line(series_part, "series.from", "\"en\"", "series.toml:2");
    expect_line(series_part, "engines.translate.backend", "\"openai\"", "series.toml:10");
    expect_line(series_part, "engines.translate.url", "\"http://bot:********@127.0.0.1:9/v1\"", "series.toml:11");
    expect_line(series_part, "engines.translate.max_retries", "4", "default");
    expect_line(series_part, "engines.translate.batch_lines", "12", "default");
    expect_line(series_part, "engines.translate.api_key", "\"********\"", "environment ($DRAMALOC_E2E_TRANSLATE_KEY)");
    expect_line(series_part, "series.out", "\"" + (dir / "elsewhere").string() + "\"", "command line (--out)");
    expect_line(series_part, "db", "\"postgresql://ana:********@127.0.0.1/jobs\"", "command line (--db)");
    expect_line(series_part, "artifacts.secret_access_key", "\"********\"", "environment ($AWS_SECRET_ACCESS_KEY)");
    EXPECT_NE(line_of(series_part, "series.title").find("# not set"), std::string::npos) << r.out;
    EXPECT_NE(line_of(series_part, "series.script").find("# not set"), std::string::npos) << r.out;
    expect_line(engines_part, "engines.translate.max_retries", "1", "engines.toml:2");
    expect_line(engines_part, "engines.translate.backend", "\"apertium\"", "default");

    r = run_dramaloc([&] {
        auto with_json = args;
        with_json.push_back("--json");
        return with_json;
    }());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json answer = json::parse(r.out);
    EXPECT_EQ(answer["valid"], true);
    ASSERT_EQ(answer["files"].size(), 2u);
    std::map<std::string, json> settings;
    for (const auto& s : answer["files"][0]["settings"]) settings[s["key"].get<std::string>()] = s;
    EXPECT_EQ(settings["engines.translate.timeout_s"]["origin"], "default");
    EXPECT_EQ(settings["engines.translate.model"]["origin"], (dir / "series.toml").string() + ":12");
    EXPECT_EQ(settings["engines.translate.api_key"]["secret"], true);
    EXPECT_EQ(settings["artifacts.access_key_id"]["value"], "********");
    EXPECT_EQ(answer["files"][1]["read_by"], "dramaloc localize --config");

    // No secret, in either form, on either stream.
    for (const auto& run : {run_dramaloc(args), r})
        for (const std::string& s : {api_key, access_key, secret_key, db_password, url_password}) {
            EXPECT_EQ(run.out.find(s), std::string::npos) << s << " printed:\n" << run.out;
            EXPECT_EQ(run.err.find(s), std::string::npos) << s << " printed:\n" << run.err;
        }
    EXPECT_EQ(list_files(dir.path()), (std::vector<std::string>{"engines.toml", "ep1.mp4", "series.toml"}));
}
