// BatchWriter: applies a kahuna::WriteBatch inside one LMDB write
// transaction, turning raw keys into plain and bucket records (see
// key_layout.h). Committing or aborting the transaction is the caller's job.
//
// Edits of long keys are gathered per bucket in memory and each bucket is
// written once, at the end of the batch or before a delete-range (which
// reads the stored records), so n long keys sharing a prefix cost one
// rewrite of their bucket rather than n.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <lmdb.h>

#include <kahuna/status.h>
#include <kahuna/write_batch.h>

#include "bucket.h"
#include "key_layout.h"

namespace kahuna::lmdb_storage {

class BatchWriter {
 public:
  BatchWriter(MDB_txn* txn, MDB_dbi dbi, const KeyLayout& layout) noexcept
      : txn_(txn), dbi_(dbi), layout_(layout) {}

  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Applies every operation of `batch`, in order. After a failure the
  // transaction must be aborted; map_full() then says whether it failed for
  // want of room in the map, so that growing the map and retrying can help.
  Status apply(const WriteBatch& batch);
  bool map_full() const noexcept { return map_full_; }

 private:
  Status put(std::string_view key, std::string_view value);
  Status remove(std::string_view key);
  Status remove_range(std::string_view begin, std::string_view end);
  // Removes [begin, end) from the bucket record under the cursor, whose
  // key is `stored`; `done` is set when no later record can hold keys < end.
  Status trim_bucket(MDB_cursor* cursor, const std::string& stored, const MDB_val& value,
                     std::string_view begin, std::string_view end, MDB_cursor_op& next, bool& done);

  // The pending edits of the bucket that holds long key `key`, loaded from
  // the transaction on first use.
  Status bucket_for(std::string_view key, BucketMap*& out);
  Status write_buckets();

  Status check(int rc, std::string_view what);

  MDB_txn* txn_;
  MDB_dbi dbi_;
  const KeyLayout& layout_;
  bool map_full_ = false;
  std::map<std::string, BucketMap, std::less<>> dirty_;  // by stored bucket key
  std::string scratch_;
};

}  // namespace kahuna::lmdb_storage
