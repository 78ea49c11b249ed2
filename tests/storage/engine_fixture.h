// Helpers of the engine-specific storage tests: the built plugins' paths,
// opening an engine by path through LoadedPlugin (as the server does) with
// given options, and temporary data directories (the conformance kit's).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include <kahuna/plugin_loader.h>
#include <kahuna/storage_engine.h>

#include "temp_dir.h"

namespace kahuna::storage_tests {

// The plugin file built for `engine` ("rocksdb" or "lmdb").
std::filesystem::path plugin_path(std::string_view engine);

// Opens `engine` in `data_dir` with `options` as its [storage.<engine>] table.
Status open_engine(std::string_view engine, const toml::table& options, const std::filesystem::path& data_dir,
                   PluginObject<StorageEngine>& out);

// Parses TOML text into a table (the text must be valid).
toml::table options_from(std::string_view toml_text);

// Fresh data directories, as the conformance kit makes them.
using testkit::TempDir;

}  // namespace kahuna::storage_tests
