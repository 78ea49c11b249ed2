// The RocksDB storage plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/storage_engine.h>

#include "rocksdb_engine.h"
#include "rocksdb_options.h"

namespace kahuna::rocksdb_storage {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) {
  RocksdbOptions options;
  if (Status s = parse_options(context.options, options); !s.is_ok()) return s;
  std::unique_ptr<RocksdbEngine> engine;
  if (Status s = RocksdbEngine::open(options, context.data_dir, engine); !s.is_ok()) return s;
  out = std::move(engine);
  return Status::ok();
}

}  // namespace

KAHUNA_DEFINE_PLUGIN(PluginKind::kStorage, "rocksdb", "0.1.0", create)

}  // namespace kahuna::rocksdb_storage
