// load_config: reads and validates a node's TOML file, completely, before
// anything starts. Every error names the file, the key and the reason.
#pragma once

#include <filesystem>

#include <kahuna/status.h>

#include "config/config.h"

namespace kahuna {

// `default_plugin_dir` is used when the file has no plugins.dir. Besides the
// syntax and the values, this checks the world the values point at: the
// storage plugin file exists, the data directory exists or can be created,
// and it is writable.
Status load_config(const std::filesystem::path& file, const std::filesystem::path& default_plugin_dir,
                   Config& out);

// The same, from TOML text (`file` is only used in messages and to resolve
// nothing: relative paths are relative to the working directory).
Status load_config_text(std::string_view text, const std::filesystem::path& file,
                        const std::filesystem::path& default_plugin_dir, Config& out);

}  // namespace kahuna
