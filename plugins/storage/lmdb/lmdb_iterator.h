// LmdbIterator: kahuna::Iterator over a RawCursor, enforcing the bounds of
// its IteratorOptions. It shares its read transaction with the snapshot it
// reads (or owns one taken at its creation), and locks that transaction's
// mutex for each move, since several iterators of one snapshot may be used
// from different threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <lmdb.h>

#include <kahuna/storage_engine.h>

#include "key_layout.h"
#include "raw_cursor.h"
#include "read_txn.h"

namespace kahuna::lmdb_storage {

class LmdbIterator final : public Iterator {
 public:
  LmdbIterator(std::shared_ptr<ReadTxn> txn, MDB_dbi dbi, const KeyLayout& layout,
               const IteratorOptions& options);
  // An iterator that is never valid and reports `error`.
  explicit LmdbIterator(Status error) : error_(std::move(error)) {}
  ~LmdbIterator() override;

  LmdbIterator(const LmdbIterator&) = delete;
  LmdbIterator& operator=(const LmdbIterator&) = delete;

  void seek_to_first() noexcept override;
  void seek_to_last() noexcept override;
  void seek(std::string_view target) noexcept override;
  void seek_for_prev(std::string_view target) noexcept override;
  void next() noexcept override;
  void prev() noexcept override;

  bool valid() const noexcept override { return valid_; }
  std::string_view key() const noexcept override { return cursor_->key(); }
  std::string_view value() const noexcept override { return cursor_->value(); }
  Status status() const override { return error_; }

 private:
  enum class Bound { kLower, kUpper };

  // Runs `move` (which returns a Status) under the transaction's lock, then
  // leaves the iterator invalid if the key it reached is past `bound`.
  template <class Move>
  void guarded(Bound bound, Move move) noexcept;
  // The last key < target.
  Status seek_lt(std::string_view target);

  std::shared_ptr<ReadTxn> txn_;  // declared first: outlives the cursor
  std::optional<RawCursor> cursor_;
  std::optional<std::string> lower_;
  std::optional<std::string> upper_;
  bool empty_range_ = false;
  bool valid_ = false;
  Status error_;
};

}  // namespace kahuna::lmdb_storage
