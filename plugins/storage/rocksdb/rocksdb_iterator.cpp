#include "rocksdb_iterator.h"

#include "rocksdb_status.h"

namespace kahuna::rocksdb_storage {

RocksdbIterator::RocksdbIterator(rocksdb::DB* db, const rocksdb::Snapshot* snapshot,
                                 const IteratorOptions& options)
    : lower_(options.lower_bound), upper_(options.upper_bound) {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  if (lower_) {
    lower_slice_ = rocksdb::Slice(*lower_);
    read.iterate_lower_bound = &lower_slice_;
  }
  if (upper_) {
    upper_slice_ = rocksdb::Slice(*upper_);
    read.iterate_upper_bound = &upper_slice_;
  }
  empty_range_ = lower_ && upper_ && *lower_ >= *upper_;
  it_.reset(db->NewIterator(read));
}

template <class Move>
void RocksdbIterator::guarded(Move move) noexcept {
  off_ = false;
  if (!error_.is_ok() || it_ == nullptr) return;
  if (empty_range_) {
    off_ = true;
    return;
  }
  try {
    move();
  } catch (...) {
    error_ = status_from_current_exception("moving a RocksDB iterator");
  }
}

void RocksdbIterator::seek_to_first() noexcept {
  guarded([&] { it_->SeekToFirst(); });
}

void RocksdbIterator::seek_to_last() noexcept {
  guarded([&] { it_->SeekToLast(); });
}

void RocksdbIterator::seek(std::string_view target) noexcept {
  guarded([&] {
    // RocksDB leaves a seek below iterate_lower_bound undefined: clamp here.
    if (lower_ && target < *lower_) {
      it_->Seek(*lower_);
    } else if (upper_ && target >= *upper_) {
      off_ = true;
    } else {
      it_->Seek(rocksdb::Slice(target.data(), target.size()));
    }
  });
}

void RocksdbIterator::seek_for_prev(std::string_view target) noexcept {
  guarded([&] {
    if (upper_ && target >= *upper_) {
      it_->SeekToLast();  // the last key below the upper bound
    } else if (lower_ && target < *lower_) {
      off_ = true;
    } else {
      it_->SeekForPrev(rocksdb::Slice(target.data(), target.size()));
    }
  });
}

void RocksdbIterator::next() noexcept {
  if (!valid()) return;
  guarded([&] { it_->Next(); });
}

void RocksdbIterator::prev() noexcept {
  if (!valid()) return;
  guarded([&] { it_->Prev(); });
}

bool RocksdbIterator::valid() const noexcept {
  if (off_ || !error_.is_ok() || it_ == nullptr || !it_->Valid()) return false;
  // RocksDB enforces both bounds; checking again costs a comparison and
  // keeps the contract independent of its corner cases.
  const std::string_view k = key();
  return !(lower_ && k < *lower_) && !(upper_ && k >= *upper_);
}

std::string_view RocksdbIterator::key() const noexcept {
  const rocksdb::Slice k = it_->key();
  return {k.data(), k.size()};
}

std::string_view RocksdbIterator::value() const noexcept {
  const rocksdb::Slice v = it_->value();
  return {v.data(), v.size()};
}

Status RocksdbIterator::status() const {
  if (!error_.is_ok()) return error_;
  if (it_ == nullptr) return Status::internal("RocksDB iterator was not created");
  return from_rocksdb(it_->status(), "iterating over RocksDB");
}

}  // namespace kahuna::rocksdb_storage
