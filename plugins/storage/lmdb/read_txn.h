// ReadTxn: one read-only LMDB transaction, shared by a snapshot and the
// iterators that read it, and usable from any thread (the environment is
// opened with MDB_NOTLS). LMDB allows a read transaction to span threads
// only if its use is serialized, and even a lookup updates the
// transaction's per-database state: every use of txn() must hold mutex().
//
// It is counted in the engine's ReadGate for its whole life, so that the
// map is never resized under it.
#pragma once

#include <memory>
#include <mutex>

#include <lmdb.h>

#include <kahuna/status.h>

#include "read_gate.h"

namespace kahuna::lmdb_storage {

class ReadTxn {
 public:
  // Begins a transaction on `env`, which must outlive it, as must `gate`.
  static Status begin(MDB_env* env, ReadGate& gate, std::shared_ptr<ReadTxn>& out);
  ~ReadTxn();

  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

  MDB_txn* txn() const noexcept { return txn_; }
  std::mutex& mutex() noexcept { return mutex_; }

 private:
  ReadTxn(ReadGate& gate, MDB_txn* txn) noexcept : gate_(gate), txn_(txn) {}

  ReadGate& gate_;
  MDB_txn* txn_;
  std::mutex mutex_;
};

}  // namespace kahuna::lmdb_storage
