// The LMDB storage plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/storage_engine.h>

#include "lmdb_engine.h"
#include "lmdb_options.h"
#include "lmdb_status.h"

namespace kahuna::lmdb_storage {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) noexcept {
  try {
    LmdbOptions options;
    if (Status s = parse_options(context.options, options); !s.is_ok()) return s;
    std::unique_ptr<LmdbEngine> engine;
    if (Status s = LmdbEngine::open(options, context.data_dir, engine); !s.is_ok()) return s;
    out = std::move(engine);
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("creating the LMDB storage engine");
  }
}

}  // namespace

extern const PluginDescriptor descriptor;
const PluginDescriptor descriptor{
    .abi_version = kPluginAbiVersion,
    .kind = PluginKind::kStorage,
    .name = "lmdb",
    .version = "0.1.0",
    .create = &create,
};

KAHUNA_EXPORT_PLUGIN(descriptor)

}  // namespace kahuna::lmdb_storage
