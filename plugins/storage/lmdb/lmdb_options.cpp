#include "lmdb_options.h"

#include <string>

#include <kahuna/plugin_options.h>

namespace kahuna::lmdb_storage {
namespace {

// The map is one mapping of the process's address space, which is 128 TiB
// on x86-64 Linux; half of it is already more than any disk here.
constexpr std::int64_t kLargestMapMb = std::int64_t{64} << 20;

}  // namespace

Status parse_options(const toml::table* table, LmdbOptions& out) {
  LmdbOptions options;
  PluginOptionReader reader(table, "storage.lmdb");
  reader.integer("map_size_mb", 1, kLargestMapMb, options.map_size_mb);
  reader.integer("max_map_size_mb", 1, kLargestMapMb, options.max_map_size_mb);
  reader.integer("max_readers", 1, 1 << 16, options.max_readers);
  reader.integer("map_resize_timeout_ms", 0, 10 * 60 * 1000, options.map_resize_timeout_ms);
  if (options.max_map_size_mb < options.map_size_mb) {
    // Only the key the file set can be at fault; blame the one given.
    const bool max_given = reader.has("max_map_size_mb");
    reader.fail(max_given ? "max_map_size_mb" : "map_size_mb",
                "max_map_size_mb (" + std::to_string(options.max_map_size_mb) +
                    ") is smaller than map_size_mb (" + std::to_string(options.map_size_mb) + ")");
  }
  if (Status status = reader.finish(); !status.is_ok()) return status;
  out = options;
  return Status::ok();
}

}  // namespace kahuna::lmdb_storage
