// Names of compression algorithms as the options file spells them, and what
// the RocksDB library this plugin was linked with can actually do.
#pragma once

#include <string>
#include <string_view>

#include <rocksdb/compression_type.h>

namespace kahuna::rocksdb_storage {

// Maps "none", "snappy", "lz4", "zstd", "zlib"; false for any other name.
bool compression_from_name(std::string_view name, rocksdb::CompressionType& out);

// True when `name` is known and this RocksDB build can compress with it.
bool compression_supported(std::string_view name);

// The supported names, quoted and comma-separated, for error messages.
std::string supported_compressions();

}  // namespace kahuna::rocksdb_storage
