// The plugin's entry point: its descriptor and its factory.
//
// Options ([storage.memory] in the server's TOML file):
//   compact_ratio = 2.0   rewrite the log on open when it holds more than this
//                         many times the bytes of the live data (0 = never)
#include <string>

#include <kahuna/plugin.h>

#include "memory_engine.h"

namespace {

kahuna::Status read_options(const toml::table& options, double& compact_ratio) {
  for (const auto& [key, node] : options) {
    if (key.str() != "compact_ratio") {
      return kahuna::Status::invalid_argument("storage.memory." + std::string(key.str()) + ": unknown key");
    }
    if (!node.is_number()) {
      return kahuna::Status::invalid_argument("storage.memory.compact_ratio: expected a number");
    }
    compact_ratio = node.value<double>().value_or(2.0);
    if (compact_ratio < 0) {
      return kahuna::Status::invalid_argument("storage.memory.compact_ratio: must not be negative");
    }
  }
  return kahuna::Status::ok();
}

// No exception may leave a factory: the host is not prepared to catch it.
kahuna::Status create(const kahuna::PluginContext& context, std::unique_ptr<kahuna::Plugin>& out) noexcept {
  try {
    double compact_ratio = 2.0;
    if (kahuna::Status s = read_options(*context.options, compact_ratio); !s) return s;
    std::unique_ptr<memory_storage::MemoryEngine> engine;
    if (kahuna::Status s = memory_storage::MemoryEngine::open(context.data_dir, compact_ratio, engine); !s) {
      return s;
    }
    out = std::move(engine);
    return kahuna::Status::ok();
  } catch (const std::exception& error) {
    return kahuna::Status::internal(std::string("memory storage: ") + error.what());
  }
}

const kahuna::PluginDescriptor descriptor{
    .abi_version = kahuna::kPluginAbiVersion,
    .kind = kahuna::PluginKind::kStorage,
    .name = "memory",
    .version = "1.0.0",
    .create = &create,
};

}  // namespace

KAHUNA_EXPORT_PLUGIN(descriptor)
