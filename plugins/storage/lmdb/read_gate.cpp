#include "read_gate.h"

namespace kahuna::lmdb_storage {

void ReadGate::enter() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !writer_waiting_ && !writer_holds_; });
  ++readers_;
}

void ReadGate::leave() noexcept {
  std::lock_guard lock(mutex_);
  --readers_;
  if (readers_ == 0) changed_.notify_all();
}

bool ReadGate::lock_exclusive(std::chrono::milliseconds timeout, std::size_t& still_open) {
  std::unique_lock lock(mutex_);
  writer_waiting_ = true;
  const bool drained = changed_.wait_for(lock, timeout, [&] { return readers_ == 0; });
  writer_waiting_ = false;
  writer_holds_ = drained;
  still_open = readers_;
  if (!drained) changed_.notify_all();  // release the readers that queued behind us
  return drained;
}

void ReadGate::unlock_exclusive() noexcept {
  std::lock_guard lock(mutex_);
  writer_holds_ = false;
  changed_.notify_all();
}

}  // namespace kahuna::lmdb_storage
