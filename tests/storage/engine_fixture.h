// Helpers of the engine-specific storage tests: the built plugins' paths,
// opening an engine by path through LoadedPlugin (as the server does) with
// given options, and temporary data directories.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include <kahuna/plugin_loader.h>
#include <kahuna/storage_engine.h>

namespace kahuna::storage_tests {

// The plugin file built for `engine` ("rocksdb" or "lmdb").
std::filesystem::path plugin_path(std::string_view engine);

// Opens `engine` in `data_dir` with `options` as its [storage.<engine>] table.
Status open_engine(std::string_view engine, const toml::table& options, const std::filesystem::path& data_dir,
                   PluginObject<StorageEngine>& out);

// Parses TOML text into a table (the text must be valid).
toml::table options_from(std::string_view toml_text);

// A fresh directory under the system's temporary directory, removed on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kahuna::storage_tests
