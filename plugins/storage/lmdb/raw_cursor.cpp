#include "raw_cursor.h"

#include "lmdb_status.h"

namespace kahuna::lmdb_storage {
namespace {

std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

MDB_val val(std::string_view s) { return {s.size(), const_cast<char*>(s.data())}; }

}  // namespace

RawCursor::~RawCursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Status RawCursor::open(MDB_txn* txn, MDB_dbi dbi) {
  return from_mdb(mdb_cursor_open(txn, dbi, &cursor_), "opening an LMDB cursor");
}

Status RawCursor::step(MDB_cursor_op op, Edge edge, std::string_view stored) {
  valid_ = false;
  MDB_val key = val(stored);
  MDB_val value{0, nullptr};
  const int rc = mdb_cursor_get(cursor_, &key, &value, op);
  if (rc == MDB_NOTFOUND) return Status::ok();
  if (rc != 0) return from_mdb(rc, "moving an LMDB cursor");
  return land(key, value, edge);
}

Status RawCursor::land(const MDB_val& key, const MDB_val& value, Edge edge) {
  valid_ = false;
  record_key_ = view(key);
  switch (layout_.classify(record_key_)) {
    case KeyLayout::Kind::kPlain:
      in_bucket_ = false;
      key_ = layout_.raw_part(record_key_);
      value_ = view(value);
      valid_ = true;
      return Status::ok();
    case KeyLayout::Kind::kBucket:
      in_bucket_ = true;
      if (Status s = decode_bucket(view(value), entries_); !s.is_ok()) return s;
      show_entry(edge == Edge::kFirst ? 0 : entries_.size() - 1);
      return Status::ok();
    case KeyLayout::Kind::kInvalid: break;
  }
  return Status::corruption("LMDB holds a key of " + std::to_string(record_key_.size()) +
                            " bytes that this engine did not write");
}

void RawCursor::show_entry(std::size_t index) {
  index_ = index;
  key_buffer_.assign(layout_.raw_part(record_key_));
  key_buffer_.append(entries_[index].suffix);
  key_ = key_buffer_;
  value_ = entries_[index].value;
  valid_ = true;
}

Status RawCursor::first() { return step(MDB_FIRST, Edge::kFirst); }

Status RawCursor::last() { return step(MDB_LAST, Edge::kLast); }

Status RawCursor::next() {
  if (in_bucket_ && index_ + 1 < entries_.size()) {
    show_entry(index_ + 1);
    return Status::ok();
  }
  return step(MDB_NEXT, Edge::kFirst);
}

Status RawCursor::prev() {
  if (in_bucket_ && index_ > 0) {
    show_entry(index_ - 1);
    return Status::ok();
  }
  return step(MDB_PREV, Edge::kLast);
}

Status RawCursor::seek_ge(std::string_view target) {
  if (!layout_.is_long(target)) {
    // The first record >= tag+target holds only keys >= target: a plain key
    // trivially, a bucket P+0x00 because target <= P (key_layout.h).
    layout_.plain_key(target, lookup_);
    return step(MDB_SET_RANGE, Edge::kFirst, lookup_);
  }
  layout_.bucket_key(target, lookup_);
  if (Status s = step(MDB_SET_RANGE, Edge::kFirst, lookup_); !s.is_ok() || !valid_) return s;
  if (record_key_ != lookup_) return Status::ok();  // a later record: all its keys > target
  const std::size_t index = lower_bound(entries_, layout_.suffix(target));
  if (index < entries_.size()) {
    show_entry(index);
    return Status::ok();
  }
  return step(MDB_NEXT, Edge::kFirst);
}

Status RawCursor::seek_le(std::string_view target) {
  if (!layout_.is_long(target)) {
    layout_.plain_key(target, lookup_);
  } else {
    layout_.bucket_key(target, lookup_);
  }
  MDB_val key = val(lookup_);
  MDB_val value{0, nullptr};
  valid_ = false;
  const int rc = mdb_cursor_get(cursor_, &key, &value, MDB_SET_RANGE);
  if (rc == MDB_NOTFOUND) return step(MDB_LAST, Edge::kLast);  // every key < target
  if (rc != 0) return from_mdb(rc, "moving an LMDB cursor");
  if (view(key) == lookup_) {
    if (Status s = land(key, value, Edge::kFirst); !s.is_ok()) return s;
    if (!in_bucket_) return Status::ok();  // target itself
    const std::size_t end = upper_bound(entries_, layout_.suffix(target));
    if (end > 0) {
      show_entry(end - 1);
      return Status::ok();
    }
  }
  // The record found holds only keys > target, and the one before it only
  // keys < target (key_layout.h).
  return step(MDB_PREV, Edge::kLast);
}

}  // namespace kahuna::lmdb_storage
