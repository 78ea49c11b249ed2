// StorageEngine: the interface every storage plugin implements.
//
// Keys are byte strings ordered by unsigned byte-wise comparison (memcmp, a
// shorter key before its extensions). Keys may hold any byte, including 0,
// may be empty, and may be at least 4 KiB long; values may be at least
// 64 MiB long.
//
// Thread safety: every method may be called from any thread concurrently,
// except that the kernel never calls write() from two threads at once (all
// durable writes go through its single log writer). Snapshots and iterators
// may be used from a thread other than the one that created them, but one
// object is never used by two threads at the same time.
//
// No method throws. Failures come back as a Status.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <kahuna/plugin.h>
#include <kahuna/status.h>
#include <kahuna/write_batch.h>

namespace kahuna {

// A consistent read view of the whole engine as of its creation: later
// writes are invisible through it. Must be destroyed before its engine.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
};

struct WriteOptions {
  // true: write() returns only once the batch survives a power loss or a
  // kill -9 of the process. false: it survives a crash of the process but may
  // be lost by a power loss. Meaningless when `log` is false (no sync happens).
  bool sync = true;
  // false: the engine may leave this write out of its own write-ahead log
  // (the caller keeps a log of its own and replays what is lost). The write
  // is then durable only once a later checkpoint() (or flush()) returns, or
  // once the engine persists it on its own; a crash, even a kill -9, may
  // lose it. What survives is a prefix in the order the writes were made:
  // an unlogged write never survives without every write made before it,
  // logged or not, and never part of a batch. Logged writes keep their own
  // guarantee, so one made after a lost unlogged write may still survive.
  bool log = true;
};

struct IteratorOptions {
  std::optional<std::string> lower_bound;  // inclusive; none = from the first key
  std::optional<std::string> upper_bound;  // exclusive; none = to the last key
  // The view to iterate. nullptr: the iterator takes its own consistent view
  // as of its creation.
  const Snapshot* snapshot = nullptr;
};

// Ordered iteration within the bounds of its IteratorOptions. A new iterator
// is not positioned (valid() is false) until one of the seek calls.
// key() and value() are valid until the next call that moves the iterator.
// Must be destroyed before its engine and before the snapshot it reads.
class Iterator {
 public:
  virtual ~Iterator() = default;

  virtual void seek_to_first() noexcept = 0;
  virtual void seek_to_last() noexcept = 0;
  // Moves to the first key >= target (clamped to the bounds).
  virtual void seek(std::string_view target) noexcept = 0;
  // Moves to the last key <= target (clamped to the bounds).
  virtual void seek_for_prev(std::string_view target) noexcept = 0;
  // Require valid().
  virtual void next() noexcept = 0;
  virtual void prev() noexcept = 0;

  virtual bool valid() const noexcept = 0;
  virtual std::string_view key() const noexcept = 0;
  virtual std::string_view value() const noexcept = 0;
  // Not ok when iteration stopped because of an error rather than the end.
  virtual Status status() const = 0;
};

class StorageEngine : public Plugin {
 public:
  // Applies every operation of `batch` in order, atomically. A failure
  // (kStorageFull, kIOError) leaves nothing of the batch applied and the
  // engine usable — except a kIOError from the sync itself, after the batch
  // was applied: then whether it survives a power loss is unknown, and the
  // engine may refuse further writes. A range delete whose begin is not
  // below its end removes nothing.
  virtual Status write(const WriteBatch& batch, const WriteOptions& options) noexcept = 0;

  // Reads one key from the latest state, or from `snapshot` if not null.
  // kNotFound when absent.
  virtual Status get(std::string_view key, std::string& value,
                     const Snapshot* snapshot = nullptr) noexcept = 0;

  virtual Status snapshot(std::unique_ptr<Snapshot>& out) noexcept = 0;

  // Never returns null; a failure to create shows as !valid() and a bad
  // status().
  virtual std::unique_ptr<Iterator> iterator(const IteratorOptions& options) noexcept = 0;

  // Estimated bytes the keys in [begin, end) occupy; an empty `end` means no
  // upper bound. Engines may count on-disk or logical bytes.
  virtual Status approximate_size(std::string_view begin, std::string_view end,
                                  std::uint64_t& bytes) noexcept = 0;

  // Makes every write so far durable (including sync=false and log=false
  // ones); called before a clean shutdown.
  virtual Status flush() noexcept = 0;

  // Makes every write made before the call durable, logged or not, and
  // returns once it is. It may take long (it writes what the engine holds in
  // memory to disk), so the kernel calls it off its io threads while writes
  // go on; an engine blocks those writes for no longer than it must, not for
  // the whole checkpoint. The kernel writes the applied index of its state
  // with its unlogged writes, and calls checkpoint() before it truncates its
  // Raft log: an ok return tells it that the state is durable up to the
  // applied index it wrote before the call.
  virtual Status checkpoint() noexcept = 0;
};

}  // namespace kahuna
