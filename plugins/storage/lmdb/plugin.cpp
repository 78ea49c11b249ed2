// The LMDB storage plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/storage_engine.h>

#include "lmdb_engine.h"
#include "lmdb_options.h"

namespace kahuna::lmdb_storage {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) {
  LmdbOptions options;
  if (Status s = parse_options(context.options, options); !s.is_ok()) return s;
  std::unique_ptr<LmdbEngine> engine;
  if (Status s = LmdbEngine::open(options, context.data_dir, engine); !s.is_ok()) return s;
  out = std::move(engine);
  return Status::ok();
}

}  // namespace

KAHUNA_DEFINE_PLUGIN(PluginKind::kStorage, "lmdb", "0.1.0", create)

}  // namespace kahuna::lmdb_storage
