#include "rocksdb_compression.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <rocksdb/convenience.h>

namespace kahuna::rocksdb_storage {
namespace {

constexpr std::array<std::pair<std::string_view, rocksdb::CompressionType>, 5> kNames{{
    {"none", rocksdb::kNoCompression},
    {"snappy", rocksdb::kSnappyCompression},
    {"lz4", rocksdb::kLZ4Compression},
    {"zstd", rocksdb::kZSTD},
    {"zlib", rocksdb::kZlibCompression},
}};

bool built_with(rocksdb::CompressionType type) {
  if (type == rocksdb::kNoCompression) return true;
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  return std::find(supported.begin(), supported.end(), type) != supported.end();
}

}  // namespace

bool compression_from_name(std::string_view name, rocksdb::CompressionType& out) {
  for (const auto& [known, type] : kNames) {
    if (known == name) {
      out = type;
      return true;
    }
  }
  return false;
}

bool compression_supported(std::string_view name) {
  rocksdb::CompressionType type;
  return compression_from_name(name, type) && built_with(type);
}

std::string supported_compressions() {
  std::string listed;
  for (const auto& [name, type] : kNames) {
    if (!built_with(type)) continue;
    if (!listed.empty()) listed += ", ";
    listed.append(1, '"').append(name).append(1, '"');
  }
  return listed;
}

}  // namespace kahuna::rocksdb_storage
