#include "lmdb_iterator.h"

#include <mutex>

#include "lmdb_status.h"

namespace kahuna::lmdb_storage {

LmdbIterator::LmdbIterator(std::shared_ptr<ReadTxn> txn, MDB_dbi dbi, const KeyLayout& layout,
                           const IteratorOptions& options)
    : txn_(std::move(txn)), lower_(options.lower_bound), upper_(options.upper_bound) {
  empty_range_ = lower_ && upper_ && *lower_ >= *upper_;
  std::lock_guard lock(txn_->mutex());
  cursor_.emplace(layout);
  error_ = cursor_->open(txn_->txn(), dbi);
}

LmdbIterator::~LmdbIterator() {
  if (!txn_) return;
  std::lock_guard lock(txn_->mutex());
  cursor_.reset();
}

template <class Move>
void LmdbIterator::guarded(Bound bound, Move move) noexcept {
  valid_ = false;
  if (!error_.is_ok() || empty_range_) return;
  try {
    std::lock_guard lock(txn_->mutex());
    if (Status s = move(); !s.is_ok()) {
      error_ = std::move(s);
      return;
    }
    if (!cursor_->valid()) return;
    const std::string_view key = cursor_->key();
    if (bound == Bound::kUpper) {
      valid_ = !(upper_ && key >= *upper_);
    } else {
      valid_ = !(lower_ && key < *lower_);
    }
  } catch (...) {
    error_ = status_from_current_exception("moving an LMDB iterator");
  }
}

Status LmdbIterator::seek_lt(std::string_view target) {
  if (Status s = cursor_->seek_le(target); !s.is_ok() || !cursor_->valid()) return s;
  if (cursor_->key() == target) return cursor_->prev();
  return Status::ok();
}

void LmdbIterator::seek_to_first() noexcept {
  guarded(Bound::kUpper, [&] { return lower_ ? cursor_->seek_ge(*lower_) : cursor_->first(); });
}

void LmdbIterator::seek_to_last() noexcept {
  guarded(Bound::kLower, [&] { return upper_ ? seek_lt(*upper_) : cursor_->last(); });
}

void LmdbIterator::seek(std::string_view target) noexcept {
  guarded(Bound::kUpper,
          [&] { return cursor_->seek_ge(lower_ && target < *lower_ ? std::string_view(*lower_) : target); });
}

void LmdbIterator::seek_for_prev(std::string_view target) noexcept {
  guarded(Bound::kLower,
          [&] { return upper_ && target >= *upper_ ? seek_lt(*upper_) : cursor_->seek_le(target); });
}

void LmdbIterator::next() noexcept {
  if (!valid_) return;
  guarded(Bound::kUpper, [&] { return cursor_->next(); });
}

void LmdbIterator::prev() noexcept {
  if (!valid_) return;
  guarded(Bound::kLower, [&] { return cursor_->prev(); });
}

}  // namespace kahuna::lmdb_storage
