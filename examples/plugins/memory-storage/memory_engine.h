// MemoryEngine: an ordered map in memory, made durable by an AppendLog.
//
// Reads never touch the disk. Snapshots and iterators share the current
// version of the map (a shared_ptr to an immutable map); a write that finds
// the version shared copies it first (copy on write), so readers keep the
// view they started with and writers never wait for them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <kahuna/storage_engine.h>

#include "append_log.h"

namespace memory_storage {

using Map = std::map<std::string, std::string, std::less<>>;

class MemoryEngine final : public kahuna::StorageEngine {
 public:
  // Replays <data_dir>/memory.log. Compacts it first when it holds more than
  // `compact_ratio` times the bytes of the live data.
  static kahuna::Status open(const std::string& data_dir, double compact_ratio,
                             std::unique_ptr<MemoryEngine>& out);

  kahuna::Status write(const kahuna::WriteBatch& batch,
                       const kahuna::WriteOptions& options) noexcept override;
  kahuna::Status get(std::string_view key, std::string& value,
                     const kahuna::Snapshot* snapshot = nullptr) noexcept override;
  kahuna::Status snapshot(std::unique_ptr<kahuna::Snapshot>& out) noexcept override;
  std::unique_ptr<kahuna::Iterator> iterator(const kahuna::IteratorOptions& options) noexcept override;
  kahuna::Status approximate_size(std::string_view begin, std::string_view end,
                                  std::uint64_t& bytes) noexcept override;
  kahuna::Status flush() noexcept override;
  kahuna::Status checkpoint() noexcept override;

 private:
  MemoryEngine() = default;
  std::shared_ptr<const Map> current() const;

  mutable std::mutex mutex_;  // guards current_ and the log (but for checkpoint's sync)
  std::shared_ptr<Map> current_ = std::make_shared<Map>();
  AppendLog log_;
};

}  // namespace memory_storage
