// RocksdbOptions: the [storage.rocksdb] table of the server's TOML file, with
// its defaults. parse_options() is the only place that reads the table.
//
//   block_cache_mb      = 64      LRU cache of uncompressed blocks, MiB; 0 disables it
//   write_buffer_mb     = 64      size of one memtable before it is flushed, MiB (1..4096)
//   compression         = "lz4"   "none", "snappy", "lz4", "zstd" or "zlib"; refused when
//                                 this RocksDB build lacks it (the default falls back to
//                                 "none" in that case)
//   max_open_files      = -1      table files kept open; -1 keeps all of them open
//   bloom_filter_bits   = 10      bits per key of the table files' bloom filters (0 disables them
//                                 and the memtable's whole-key filter too; up to 64)
//   max_background_jobs = 2       threads for flushes and compactions (1..64)
#pragma once

#include <cstdint>
#include <string>

#include <toml++/toml.h>

#include <kahuna/status.h>

namespace kahuna::rocksdb_storage {

struct RocksdbOptions {
  std::int64_t block_cache_mb = 64;
  std::int64_t write_buffer_mb = 64;
  std::string compression = "lz4";
  bool compression_set = false;  // true when the file chose `compression` explicitly
  std::int64_t max_open_files = -1;
  std::int64_t bloom_filter_bits = 10;
  std::int64_t max_background_jobs = 2;
};

// Fills `out` from `table` (may be null: all defaults). Unknown keys, wrong
// types, out-of-range values and unsupported compressions are refused with
// kInvalidArgument naming "storage.rocksdb.<key>".
Status parse_options(const toml::table* table, RocksdbOptions& out);

}  // namespace kahuna::rocksdb_storage
