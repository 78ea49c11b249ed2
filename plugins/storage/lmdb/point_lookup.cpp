#include "point_lookup.h"

#include <vector>

#include "bucket.h"
#include "lmdb_status.h"

namespace kahuna::lmdb_storage {

Status point_lookup(MDB_txn* txn, MDB_dbi dbi, const KeyLayout& layout, std::string_view key,
                    std::string& value) {
  std::string stored;
  const bool in_bucket = layout.is_long(key);
  if (in_bucket) {
    layout.bucket_key(key, stored);
  } else {
    layout.plain_key(key, stored);
  }
  MDB_val k{stored.size(), stored.data()};
  MDB_val v{0, nullptr};
  const int rc = mdb_get(txn, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return Status::not_found();
  if (rc != 0) return from_mdb(rc, "reading a key from LMDB");
  const std::string_view found(static_cast<const char*>(v.mv_data), v.mv_size);
  if (!in_bucket) {
    value.assign(found);
    return Status::ok();
  }
  std::vector<BucketEntry> entries;
  if (Status s = decode_bucket(found, entries); !s.is_ok()) return s;
  const std::string_view suffix = layout.suffix(key);
  const std::size_t index = lower_bound(entries, suffix);
  if (index == entries.size() || entries[index].suffix != suffix) return Status::not_found();
  value.assign(entries[index].value);
  return Status::ok();
}

}  // namespace kahuna::lmdb_storage
