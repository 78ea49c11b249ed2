#include "lmdb_engine.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "batch_writer.h"
#include "environment.h"
#include "lmdb_iterator.h"
#include "lmdb_status.h"
#include "point_lookup.h"
#include "raw_cursor.h"

namespace kahuna::lmdb_storage {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

std::string mib(std::size_t bytes) { return std::to_string(bytes / kMiB) + " MiB"; }

struct TxnAborter {
  MDB_txn* txn = nullptr;
  ~TxnAborter() {
    if (txn != nullptr) mdb_txn_abort(txn);
  }
};

}  // namespace

LmdbEngine::LmdbEngine(const LmdbOptions& options, MDB_env* env, MDB_dbi data, std::size_t prefix_len)
    : options_(options), env_(env), data_(data), layout_(prefix_len) {}

LmdbEngine::~LmdbEngine() {
  // The last commits' meta page may not be on disk yet (MDB_NOMETASYNC).
  (void)mdb_env_sync(env_, 1);
  mdb_env_close(env_);
}

Status LmdbEngine::open(const LmdbOptions& options, const std::string& dir,
                        std::unique_ptr<LmdbEngine>& out) {
  Environment environment;
  if (Status s = open_environment(options, dir, environment); !s.is_ok()) return s;
  try {
    out.reset(new LmdbEngine(options, environment.env, environment.data, environment.prefix_len));
  } catch (...) {
    mdb_env_close(environment.env);
    throw;
  }
  return Status::ok();
}

Status LmdbEngine::fail_writes(Status failure) {
  failure_ = Status::io_error(failure.message() + "; this engine accepts no more writes: reopen it");
  return failure_;
}

Status LmdbEngine::write(const WriteBatch& batch, const WriteOptions& options) noexcept {
  try {
    std::lock_guard lock(write_mutex_);
    if (!failure_.is_ok()) return failure_;
    // An empty batch commits nothing, but its sync still covers earlier writes.
    while (!batch.empty()) {
      bool map_full = false;
      Status status = apply_once(batch, map_full);
      if (status.is_ok()) break;
      if (!map_full) return status;
      if (Status grown = grow_map(); !grown.is_ok()) return grown;
    }
    // log=false commits exactly like sync=false: LMDB has no log to leave
    // out, and a commit without its data sync (MDB_NOSYNC) could corrupt the
    // file on a power loss (see environment.cpp and README.md).
    if (options.sync && options.log) {
      if (const int rc = mdb_env_sync(env_, 1); rc != 0) {
        return fail_writes(from_mdb(rc, "syncing LMDB after a commit"));
      }
    }
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("writing a batch to LMDB");
  }
}

Status LmdbEngine::apply_once(const WriteBatch& batch, bool& map_full) {
  TxnAborter txn;
  if (const int rc = mdb_txn_begin(env_, nullptr, 0, &txn.txn); rc != 0) {
    return from_mdb(rc, "beginning an LMDB write transaction");
  }
  BatchWriter writer(txn.txn, data_, layout_);
  if (Status s = writer.apply(batch); !s.is_ok()) {
    map_full = writer.map_full();
    return s;  // the aborter drops every change of the batch
  }
  const int rc = mdb_txn_commit(txn.txn);
  txn.txn = nullptr;  // freed by the commit, whatever its outcome
  if (rc == MDB_MAP_FULL) map_full = true;
  if (rc == MDB_TXN_FULL) {
    return Status::storage_full("the batch changes more pages than one LMDB transaction holds");
  }
  return from_mdb(rc, "committing an LMDB write transaction");
}

Status LmdbEngine::grow_map() {
  MDB_envinfo info;
  if (const int rc = mdb_env_info(env_, &info); rc != 0) return from_mdb(rc, "reading LMDB info");
  const std::size_t current = info.me_mapsize;
  const std::size_t cap = static_cast<std::size_t>(options_.max_map_size_mb) * kMiB;
  if (current >= cap) {
    return Status::storage_full("the LMDB map has reached storage.lmdb.max_map_size_mb (" + mib(cap) +
                                ") and the batch does not fit in what is left");
  }
  const std::size_t target = std::min(current * 2, cap);
  // Taken before the gate, so that readers are not held back while a
  // checkpoint's sync ends.
  std::lock_guard map_lock(map_mutex_);
  std::size_t still_open = 0;
  if (!gate_.lock_exclusive(std::chrono::milliseconds(options_.map_resize_timeout_ms), still_open)) {
    return Status::storage_full(
        "the LMDB map must grow from " + mib(current) + " to " + mib(target) +
        " for this batch, which needs every read transaction of the process closed, but " +
        std::to_string(still_open) +
        " of them (snapshots, iterators or reads in flight) stayed open longer than "
        "storage.lmdb.map_resize_timeout_ms (" +
        std::to_string(options_.map_resize_timeout_ms) + " ms)");
  }
  const int rc = mdb_env_set_mapsize(env_, target);
  gate_.unlock_exclusive();
  return from_mdb(rc, "growing the LMDB map to " + mib(target));
}

Status LmdbEngine::read_txn(const Snapshot* snapshot, std::shared_ptr<ReadTxn>& out) {
  if (snapshot == nullptr) return ReadTxn::begin(env_, gate_, out);
  const auto* ours = dynamic_cast<const LmdbSnapshot*>(snapshot);
  if (ours == nullptr || ours->owner() != this) {
    return Status::invalid_argument("the snapshot was not made by this LMDB engine");
  }
  out = ours->txn();
  return Status::ok();
}

Status LmdbEngine::get(std::string_view key, std::string& value, const Snapshot* snapshot) noexcept {
  try {
    std::shared_ptr<ReadTxn> txn;
    if (Status s = read_txn(snapshot, txn); !s.is_ok()) return s;
    std::lock_guard lock(txn->mutex());
    return point_lookup(txn->txn(), data_, layout_, key, value);
  } catch (...) {
    return status_from_current_exception("reading a key from LMDB");
  }
}

Status LmdbEngine::snapshot(std::unique_ptr<Snapshot>& out) noexcept {
  try {
    std::shared_ptr<ReadTxn> txn;
    if (Status s = ReadTxn::begin(env_, gate_, txn); !s.is_ok()) return s;
    out = std::make_unique<LmdbSnapshot>(this, std::move(txn));
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("creating an LMDB snapshot");
  }
}

std::unique_ptr<Iterator> LmdbEngine::iterator(const IteratorOptions& options) noexcept {
  try {
    std::shared_ptr<ReadTxn> txn;
    if (Status s = read_txn(options.snapshot, txn); !s.is_ok()) {
      return std::make_unique<LmdbIterator>(std::move(s));
    }
    return std::make_unique<LmdbIterator>(std::move(txn), data_, layout_, options);
  } catch (...) {
    try {
      return std::make_unique<LmdbIterator>(status_from_current_exception("creating an LMDB iterator"));
    } catch (...) {
      // Not even an error iterator fits in memory; the contract forbids
      // both null and throwing, so there is nothing left to return.
      std::abort();
    }
  }
}

Status LmdbEngine::approximate_size(std::string_view begin, std::string_view end,
                                    std::uint64_t& bytes) noexcept {
  // LMDB keeps no per-range statistics, so this counts the logical bytes
  // (keys plus values) of the range exactly: its cost grows with the number
  // of keys in the range, not their size (values are not read).
  try {
    bytes = 0;
    if (!end.empty() && end <= begin) return Status::ok();
    std::shared_ptr<ReadTxn> txn;
    if (Status s = ReadTxn::begin(env_, gate_, txn); !s.is_ok()) return s;
    std::lock_guard lock(txn->mutex());
    RawCursor cursor(layout_);
    if (Status s = cursor.open(txn->txn(), data_); !s.is_ok()) return s;
    Status s = cursor.seek_ge(begin);
    while (s.is_ok() && cursor.valid() && (end.empty() || cursor.key() < end)) {
      bytes += cursor.key().size() + cursor.value().size();
      s = cursor.next();
    }
    return s;
  } catch (...) {
    return status_from_current_exception("estimating a range's size in LMDB");
  }
}

Status LmdbEngine::flush() noexcept {
  try {
    std::lock_guard lock(write_mutex_);
    if (!failure_.is_ok()) return failure_;
    if (const int rc = mdb_env_sync(env_, 1); rc != 0) {
      return fail_writes(from_mdb(rc, "syncing LMDB"));
    }
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("flushing LMDB");
  }
}

Status LmdbEngine::checkpoint() noexcept {
  try {
    {
      std::lock_guard lock(write_mutex_);
      if (!failure_.is_ok()) return failure_;
    }
    // Every commit made before the call has synced its data pages and
    // written its meta page; one fsync makes the meta page durable too. It
    // runs outside the write lock so writers go on meanwhile: LMDB writes a
    // meta page only after the data it publishes is synced, so a commit in
    // flight cannot leave the file inconsistent whatever this sync catches.
    // Only a map resize must wait: mdb_env_sync reads the meta pages
    // through the map, which the resize unmaps.
    int rc = 0;
    {
      std::lock_guard map_lock(map_mutex_);
      rc = mdb_env_sync(env_, 1);
    }
    if (rc != 0) {
      std::lock_guard lock(write_mutex_);
      return fail_writes(from_mdb(rc, "syncing LMDB for a checkpoint"));
    }
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("checkpointing LMDB");
  }
}

}  // namespace kahuna::lmdb_storage
