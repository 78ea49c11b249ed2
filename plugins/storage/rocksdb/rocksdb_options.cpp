#include "rocksdb_options.h"

#include <kahuna/plugin_options.h>
#include "rocksdb_compression.h"

namespace kahuna::rocksdb_storage {

Status parse_options(const toml::table* table, RocksdbOptions& out) {
  RocksdbOptions options;
  PluginOptionReader reader(table, "storage.rocksdb");
  reader.integer("block_cache_mb", 0, 1 << 20, options.block_cache_mb);
  reader.integer("write_buffer_mb", 1, 4096, options.write_buffer_mb);
  reader.choice("compression", {"none", "snappy", "lz4", "zstd", "zlib"}, options.compression);
  reader.integer("max_open_files", -1, 1 << 20, options.max_open_files);
  reader.integer("bloom_filter_bits", 0, 64, options.bloom_filter_bits);
  reader.integer("max_background_jobs", 1, 64, options.max_background_jobs);
  // RocksDB needs a few descriptors for itself; below this it fails oddly.
  if (options.max_open_files != -1 && options.max_open_files < 16) {
    reader.fail("max_open_files",
                std::to_string(options.max_open_files) + " is too small; use -1 (no limit) or at least 16");
  }
  options.compression_set = reader.has("compression");
  if (Status status = reader.finish(); !status.is_ok()) return status;

  if (!compression_supported(options.compression)) {
    if (options.compression_set) {
      return Status::invalid_argument("storage.rocksdb.compression: \"" + options.compression +
                                      "\" is not supported by this RocksDB build; it supports " +
                                      supported_compressions());
    }
    options.compression = "none";
  }
  out = options;
  return Status::ok();
}

}  // namespace kahuna::rocksdb_storage
