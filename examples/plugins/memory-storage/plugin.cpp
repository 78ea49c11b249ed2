// The plugin's entry point: its descriptor and its factory.
//
// Options ([storage.memory] in the server's TOML file):
//   compact_ratio_percent = 200   rewrite the log on open when it holds more
//                                 than this percentage of the bytes of the
//                                 live data (0 = never)
#include <string>

#include <kahuna/plugin.h>
#include <kahuna/plugin_options.h>

#include "memory_engine.h"

namespace {

// Reads [storage.memory] the way every plugin should: typed, range-checked,
// and refusing keys it does not know.
kahuna::Status read_options(const toml::table& options, double& compact_ratio) {
  kahuna::PluginOptionReader reader(&options, "storage.memory");
  std::int64_t ratio_percent = static_cast<std::int64_t>(compact_ratio * 100);
  reader.integer("compact_ratio_percent", 0, 100000, ratio_percent);
  compact_ratio = static_cast<double>(ratio_percent) / 100.0;
  return reader.finish();
}

// The factory: KAHUNA_DEFINE_PLUGIN turns an exception leaving it into a
// Status, since none may cross into the host.
kahuna::Status create(const kahuna::PluginContext& context, std::unique_ptr<kahuna::Plugin>& out) {
  double compact_ratio = 2.0;
  if (kahuna::Status s = read_options(*context.options, compact_ratio); !s) return s;
  std::unique_ptr<memory_storage::MemoryEngine> engine;
  if (kahuna::Status s = memory_storage::MemoryEngine::open(context.data_dir, compact_ratio, engine); !s) {
    return s;
  }
  out = std::move(engine);
  return kahuna::Status::ok();
}

}  // namespace

KAHUNA_DEFINE_PLUGIN(kahuna::PluginKind::kStorage, "memory", "1.0.0", create)
