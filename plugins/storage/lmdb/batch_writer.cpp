#include "batch_writer.h"

#include <cstdint>
#include <vector>

#include "lmdb_status.h"

namespace kahuna::lmdb_storage {
namespace {

// LMDB stores a value's size in 32 bits.
constexpr std::size_t kLargestValue = 0xFFFFFFFFu;

std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

MDB_val val(std::string_view s) { return {s.size(), const_cast<char*>(s.data())}; }

// Closes a write transaction's cursor before the transaction ends.
struct CursorCloser {
  MDB_cursor* cursor = nullptr;
  ~CursorCloser() {
    if (cursor != nullptr) mdb_cursor_close(cursor);
  }
};

}  // namespace

Status BatchWriter::check(int rc, std::string_view what) {
  if (rc == MDB_MAP_FULL) map_full_ = true;
  return from_mdb(rc, what);
}

Status BatchWriter::apply(const WriteBatch& batch) {
  for (const WriteBatch::Op& op : batch.ops()) {
    Status status;
    switch (op.type) {
      case WriteBatch::OpType::kPut: status = put(op.key, op.value); break;
      case WriteBatch::OpType::kDelete: status = remove(op.key); break;
      case WriteBatch::OpType::kDeleteRange: status = remove_range(op.key, op.value); break;
    }
    if (!status.is_ok()) return status;
  }
  return write_buckets();
}

Status BatchWriter::put(std::string_view key, std::string_view value) {
  if (value.size() > kLargestValue) {
    return Status::not_supported("LMDB stores values of at most 4 GiB; this one has " +
                                 std::to_string(value.size()) + " bytes");
  }
  if (layout_.is_long(key)) {
    BucketMap* bucket = nullptr;
    if (Status s = bucket_for(key, bucket); !s.is_ok()) return s;
    (*bucket)[std::string(layout_.suffix(key))] = std::string(value);
    return Status::ok();
  }
  layout_.plain_key(key, scratch_);
  MDB_val k = val(scratch_);
  MDB_val v = val(value);
  if (const int rc = mdb_put(txn_, dbi_, &k, &v, 0); rc != 0) return check(rc, "writing to LMDB");
  return Status::ok();
}

Status BatchWriter::remove(std::string_view key) {
  if (layout_.is_long(key)) {
    BucketMap* bucket = nullptr;
    if (Status s = bucket_for(key, bucket); !s.is_ok()) return s;
    if (auto it = bucket->find(layout_.suffix(key)); it != bucket->end()) bucket->erase(it);
    return Status::ok();
  }
  layout_.plain_key(key, scratch_);
  MDB_val k = val(scratch_);
  const int rc = mdb_del(txn_, dbi_, &k, nullptr);
  if (rc != 0 && rc != MDB_NOTFOUND) return check(rc, "deleting from LMDB");
  return Status::ok();
}

Status BatchWriter::bucket_for(std::string_view key, BucketMap*& out) {
  layout_.bucket_key(key, scratch_);
  auto it = dirty_.find(scratch_);
  if (it == dirty_.end()) {
    BucketMap entries;
    MDB_val k = val(scratch_);
    MDB_val v{0, nullptr};
    const int rc = mdb_get(txn_, dbi_, &k, &v);
    if (rc == 0) {
      std::vector<BucketEntry> decoded;
      if (Status s = decode_bucket(view(v), decoded); !s.is_ok()) return s;
      for (const BucketEntry& e : decoded) entries.emplace(e.suffix, e.value);
    } else if (rc != MDB_NOTFOUND) {
      return check(rc, "reading from LMDB");
    }
    it = dirty_.emplace(scratch_, std::move(entries)).first;
  }
  out = &it->second;
  return Status::ok();
}

Status BatchWriter::write_buckets() {
  std::string encoded;
  for (const auto& [stored, entries] : dirty_) {
    MDB_val k = val(stored);
    if (entries.empty()) {
      const int rc = mdb_del(txn_, dbi_, &k, nullptr);
      if (rc != 0 && rc != MDB_NOTFOUND) return check(rc, "deleting from LMDB");
      continue;
    }
    encode_bucket(entries, encoded);
    if (encoded.size() > kLargestValue) {
      return Status::not_supported(
          "the long keys that share their first " + std::to_string(layout_.prefix_len()) +
          " bytes with this one would hold more than 4 GiB together, more than LMDB stores under "
          "one key");
    }
    MDB_val v = val(encoded);
    if (const int rc = mdb_put(txn_, dbi_, &k, &v, 0); rc != 0) return check(rc, "writing to LMDB");
  }
  dirty_.clear();
  return Status::ok();
}

Status BatchWriter::remove_range(std::string_view begin, std::string_view end) {
  if (!(begin < end)) return Status::ok();  // an empty or inverted range removes nothing
  // The records are read below, so pending bucket edits go in first.
  if (Status s = write_buckets(); !s.is_ok()) return s;

  CursorCloser closer;
  if (const int rc = mdb_cursor_open(txn_, dbi_, &closer.cursor); rc != 0) {
    return check(rc, "opening an LMDB cursor");
  }
  // The first record at or after this one holds only keys >= begin, except
  // for begin's own bucket, whose entries are compared one by one.
  std::string stored;
  if (layout_.is_long(begin)) {
    layout_.bucket_key(begin, stored);
  } else {
    layout_.plain_key(begin, stored);
  }
  MDB_cursor_op op = MDB_SET_RANGE;
  for (;;) {
    MDB_val k = val(stored);
    MDB_val v{0, nullptr};
    int rc = mdb_cursor_get(closer.cursor, &k, &v, op);
    if (rc == MDB_NOTFOUND) return Status::ok();
    if (rc != 0) return check(rc, "moving an LMDB cursor");
    stored.assign(view(k));
    switch (layout_.classify(stored)) {
      case KeyLayout::Kind::kPlain:
        if (layout_.raw_part(stored) >= end) return Status::ok();
        if (rc = mdb_cursor_del(closer.cursor, 0); rc != 0) return check(rc, "deleting from LMDB");
        op = MDB_SET_RANGE;  // `stored` is gone: this finds the record after it
        break;
      case KeyLayout::Kind::kBucket: {
        bool done = false;
        if (Status s = trim_bucket(closer.cursor, stored, v, begin, end, op, done); !s.is_ok()) {
          return s;
        }
        if (done) return Status::ok();
        break;
      }
      case KeyLayout::Kind::kInvalid:
        return Status::corruption("LMDB holds a key of " + std::to_string(stored.size()) +
                                  " bytes that this engine did not write");
    }
  }
}

Status BatchWriter::trim_bucket(MDB_cursor* cursor, const std::string& stored, const MDB_val& value,
                                std::string_view begin, std::string_view end, MDB_cursor_op& next,
                                bool& done) {
  std::vector<BucketEntry> entries;
  if (Status s = decode_bucket(view(value), entries); !s.is_ok()) return s;
  const std::string_view prefix = layout_.raw_part(stored);
  std::string raw;
  BucketMap kept;
  bool removed_any = false;
  for (const BucketEntry& e : entries) {
    raw.assign(prefix).append(e.suffix);
    if (raw < begin || raw >= end) {
      kept.emplace(e.suffix, e.value);  // copied: the write below may move the page
    } else {
      removed_any = true;
    }
  }
  raw.assign(prefix).append(entries.front().suffix);
  done = raw >= end;  // this bucket's smallest key is past the range, as are later records
  if (!removed_any) {
    next = MDB_NEXT;  // the cursor is still on this record
    return Status::ok();
  }
  if (kept.empty()) {
    if (const int rc = mdb_cursor_del(cursor, 0); rc != 0) return check(rc, "deleting from LMDB");
    next = MDB_SET_RANGE;
    return Status::ok();
  }
  std::string encoded;
  encode_bucket(kept, encoded);
  MDB_val k = val(stored);
  MDB_val v = val(encoded);
  if (const int rc = mdb_put(txn_, dbi_, &k, &v, 0); rc != 0) return check(rc, "writing to LMDB");
  // Back onto the rewritten record, from which MDB_NEXT continues.
  MDB_val again = val(stored);
  MDB_val ignored{0, nullptr};
  if (const int rc = mdb_cursor_get(cursor, &again, &ignored, MDB_SET); rc != 0) {
    return check(rc, "moving an LMDB cursor");
  }
  next = MDB_NEXT;
  return Status::ok();
}

}  // namespace kahuna::lmdb_storage
