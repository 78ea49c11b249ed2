#include "engine_fixture.h"

#include <stdexcept>

namespace kahuna::storage_tests {

std::filesystem::path plugin_path(std::string_view engine) {
  if (engine == "rocksdb") return KAHUNA_ROCKSDB_PLUGIN;
  if (engine == "lmdb") return KAHUNA_LMDB_PLUGIN;
  throw std::invalid_argument("no such storage engine: " + std::string(engine));
}

Status open_engine(std::string_view engine, const toml::table& options, const std::filesystem::path& data_dir,
                   PluginObject<StorageEngine>& out) {
  LoadedPlugin plugin;
  if (Status s = LoadedPlugin::open(plugin_path(engine), PluginKind::kStorage, plugin); !s.is_ok()) {
    return s;
  }
  PluginContext context;
  context.options = &options;
  context.data_dir = data_dir.string();
  return plugin.create<StorageEngine>(context, out);
}

toml::table options_from(std::string_view toml_text) { return toml::parse(toml_text); }

}  // namespace kahuna::storage_tests
