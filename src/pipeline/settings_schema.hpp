#pragma once
// The schemas of the configuration files a run reads (core/config_schema.hpp), in one place:
//  - a settings file (`localize --config`, `subs check --config`): [engines.*], [fit], [mix],
//    [qc], [hardsubs], [cast.*], [glossary.*], [subtitles.rules.*] and [series] synopsis;
//  - a series file (`dramaloc run`): the same tables and the whole [series] table.
// Adding a key is one line in settings_schema.cpp (its type, default and range); the code
// that uses it reads it by name (apply_config in localize.cpp, load_series_project).
namespace dramaloc {
class ConfigSchema;
}

namespace dramaloc::pipeline {

const ConfigSchema& settings_file_schema();
const ConfigSchema& series_file_schema();

}  // namespace dramaloc::pipeline
