// LmdbEngine: the StorageEngine contract (kahuna/storage_engine.h) over an
// LMDB environment in the plugin's data directory (see environment.h).
//
// Writes: one LMDB write transaction per batch, serialized by a mutex. A
// transaction that runs out of map is aborted (so nothing of the batch
// stays), the map is doubled up to max_map_size_mb and the batch applied
// again; past the cap the write fails with kStorageFull. Growth needs every
// read transaction of the process closed (see read_gate.h).
//
// Durability: a commit fsyncs the data it wrote, so a returned write
// survives a crash of the process and a power loss can only lose it, never
// corrupt the file; sync=true also syncs the meta page before returning.
// If that sync fails the batch is visible but maybe not durable: the engine
// then refuses every later write, as the state of the file on disk is no
// longer known. LMDB has no write-ahead log, so log=false writes commit as
// sync=false ones do; checkpoint() syncs the meta page of the last commit.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <lmdb.h>

#include <kahuna/storage_engine.h>

#include "key_layout.h"
#include "lmdb_options.h"
#include "read_gate.h"
#include "read_txn.h"

namespace kahuna::lmdb_storage {

class LmdbEngine final : public StorageEngine {
 public:
  static Status open(const LmdbOptions& options, const std::string& dir, std::unique_ptr<LmdbEngine>& out);
  ~LmdbEngine() override;

  LmdbEngine(const LmdbEngine&) = delete;
  LmdbEngine& operator=(const LmdbEngine&) = delete;

  Status write(const WriteBatch& batch, const WriteOptions& options) noexcept override;
  Status get(std::string_view key, std::string& value, const Snapshot* snapshot) noexcept override;
  Status snapshot(std::unique_ptr<Snapshot>& out) noexcept override;
  std::unique_ptr<Iterator> iterator(const IteratorOptions& options) noexcept override;
  Status approximate_size(std::string_view begin, std::string_view end,
                          std::uint64_t& bytes) noexcept override;
  Status flush() noexcept override;
  Status checkpoint() noexcept override;

 private:
  LmdbEngine(const LmdbOptions& options, MDB_env* env, MDB_dbi data, std::size_t prefix_len);

  // One attempt at a batch in a new write transaction. `map_full` is set
  // when it failed for want of map, and only then.
  Status apply_once(const WriteBatch& batch, bool& map_full);
  // Doubles the map (up to the cap), or says why it cannot.
  Status grow_map();
  // The transaction to read: the snapshot's, or a new one when it is null.
  Status read_txn(const Snapshot* snapshot, std::shared_ptr<ReadTxn>& out);
  // Refuses later writes after a failed sync; returns `failure`.
  Status fail_writes(Status failure);

  const LmdbOptions options_;
  MDB_env* env_;
  MDB_dbi data_;
  const KeyLayout layout_;
  ReadGate gate_;
  std::mutex write_mutex_;  // one write transaction at a time, and guards failure_
  // Held by a checkpoint's sync, which runs outside write_mutex_, and by a
  // map resize, which must not run under it. Taken after write_mutex_.
  std::mutex map_mutex_;
  Status failure_;
};

// A read transaction begun when the snapshot was taken.
class LmdbSnapshot final : public Snapshot {
 public:
  LmdbSnapshot(const LmdbEngine* owner, std::shared_ptr<ReadTxn> txn) noexcept
      : owner_(owner), txn_(std::move(txn)) {}

  const LmdbEngine* owner() const noexcept { return owner_; }
  const std::shared_ptr<ReadTxn>& txn() const noexcept { return txn_; }

 private:
  const LmdbEngine* owner_;
  std::shared_ptr<ReadTxn> txn_;
};

}  // namespace kahuna::lmdb_storage
