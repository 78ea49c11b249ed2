// RawCursor: an LMDB cursor that walks raw keys, expanding bucket records in
// place (see key_layout.h), so callers see every key in memcmp order as if
// LMDB stored it directly. It knows nothing of iterator bounds.
//
// The key and value views point into the memory map (or, for the key of a
// bucket entry, into the cursor) and stay valid until the cursor moves or
// its transaction ends. The caller serializes use with the transaction's
// other users.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <lmdb.h>

#include <kahuna/status.h>

#include "bucket.h"
#include "key_layout.h"

namespace kahuna::lmdb_storage {

class RawCursor {
 public:
  explicit RawCursor(const KeyLayout& layout) noexcept : layout_(layout) {}
  ~RawCursor();

  RawCursor(const RawCursor&) = delete;
  RawCursor& operator=(const RawCursor&) = delete;

  Status open(MDB_txn* txn, MDB_dbi dbi);

  // Each move leaves the cursor on a key (valid()) or off the end; a failed
  // move leaves it invalid and returns the error.
  Status first();
  Status last();
  Status seek_ge(std::string_view target);  // the first key >= target
  Status seek_le(std::string_view target);  // the last key <= target
  Status next();                            // requires valid()
  Status prev();                            // requires valid()

  bool valid() const noexcept { return valid_; }
  std::string_view key() const noexcept { return key_; }
  std::string_view value() const noexcept { return value_; }

 private:
  enum class Edge { kFirst, kLast };

  // Moves LMDB's cursor with `op` (`stored` is the key for MDB_SET_RANGE)
  // and lands on the record found, on its first or last raw key.
  Status step(MDB_cursor_op op, Edge edge, std::string_view stored = {});
  Status land(const MDB_val& key, const MDB_val& value, Edge edge);
  void show_entry(std::size_t index);

  const KeyLayout& layout_;
  MDB_cursor* cursor_ = nullptr;
  bool valid_ = false;

  // The current record; for a bucket, its decoded entries and our place.
  std::string_view record_key_;
  bool in_bucket_ = false;
  std::vector<BucketEntry> entries_;
  std::size_t index_ = 0;

  std::string key_buffer_;  // prefix + suffix of the current bucket entry
  std::string lookup_;      // scratch for stored keys to look up
  std::string_view key_;
  std::string_view value_;
};

}  // namespace kahuna::lmdb_storage
