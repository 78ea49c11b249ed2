// RocksdbIterator: kahuna::Iterator over a rocksdb::Iterator, with the
// bounds enforced both by RocksDB (iterate_lower/upper_bound, which lets it
// skip work) and here, where seeks outside the bounds are clamped as the
// interface promises rather than left to RocksDB's undefined cases.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <rocksdb/db.h>

#include <kahuna/storage_engine.h>

namespace kahuna::rocksdb_storage {

class RocksdbIterator final : public Iterator {
 public:
  // `snapshot` may be null: RocksDB then pins the state as of this call.
  RocksdbIterator(rocksdb::DB* db, const rocksdb::Snapshot* snapshot, const IteratorOptions& options);
  // An iterator that is never valid and reports `error`.
  explicit RocksdbIterator(Status error) : error_(std::move(error)) {}

  RocksdbIterator(const RocksdbIterator&) = delete;
  RocksdbIterator& operator=(const RocksdbIterator&) = delete;

  void seek_to_first() noexcept override;
  void seek_to_last() noexcept override;
  void seek(std::string_view target) noexcept override;
  void seek_for_prev(std::string_view target) noexcept override;
  void next() noexcept override;
  void prev() noexcept override;

  bool valid() const noexcept override;
  std::string_view key() const noexcept override;
  std::string_view value() const noexcept override;
  Status status() const override;

 private:
  // Runs `move` on the RocksDB iterator, turning an exception into an error.
  template <class Move>
  void guarded(Move move) noexcept;

  // The bound strings must outlive the Slices RocksDB points to, and the
  // Slices must outlive the iterator: all three live here, declared before
  // `it_` so they are destroyed after it.
  std::optional<std::string> lower_;
  std::optional<std::string> upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
  bool empty_range_ = false;  // lower >= upper: never valid
  bool off_ = true;           // positioned outside the bounds by a clamped seek
  Status error_;
};

}  // namespace kahuna::rocksdb_storage
