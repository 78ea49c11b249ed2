// LmdbOptions: the [storage.lmdb] table of the server's TOML file, with its
// defaults. parse_options() is the only place that reads the table.
//
//   map_size_mb           = 1024     initial size of the memory map, MiB (at least 1, at
//                                    most max_map_size_mb); an existing larger file keeps
//                                    its size
//   max_map_size_mb       = 1048576  the map doubles whenever a write needs more room, up
//                                    to this many MiB; a write that needs more than that
//                                    fails with kStorageFull and changes nothing
//   max_readers           = 256      read transactions open at once: every live snapshot
//                                    and iterator holds one, every get() one briefly
//   map_resize_timeout_ms = 2000     growing the map needs every read transaction of the
//                                    process closed; a write waits this long for live
//                                    snapshots and iterators, then fails with kStorageFull
#pragma once

#include <cstdint>

#include <toml++/toml.h>

#include <kahuna/status.h>

namespace kahuna::lmdb_storage {

struct LmdbOptions {
  std::int64_t map_size_mb = 1024;
  std::int64_t max_map_size_mb = 1 << 20;
  std::int64_t max_readers = 256;
  std::int64_t map_resize_timeout_ms = 2000;
};

// Fills `out` from `table` (may be null: all defaults). Unknown keys, wrong
// types and out-of-range values are refused with kInvalidArgument naming
// "storage.lmdb.<key>".
Status parse_options(const toml::table* table, LmdbOptions& out);

}  // namespace kahuna::lmdb_storage
