#include "read_txn.h"

#include <new>

#include "lmdb_status.h"

namespace kahuna::lmdb_storage {

Status ReadTxn::begin(MDB_env* env, ReadGate& gate, std::shared_ptr<ReadTxn>& out) {
  gate.enter();
  MDB_txn* txn = nullptr;
  const int rc = mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn);
  if (rc != 0) {
    gate.leave();
    if (rc == MDB_READERS_FULL) {
      return Status::busy(
          "too many LMDB read transactions are open at once (snapshots, iterators and reads in "
          "flight); raise storage.lmdb.max_readers");
    }
    return from_mdb(rc, "beginning an LMDB read transaction");
  }
  ReadTxn* made = new (std::nothrow) ReadTxn(gate, txn);
  if (made == nullptr) {
    mdb_txn_abort(txn);
    gate.leave();
    return Status::internal("beginning an LMDB read transaction: out of memory");
  }
  try {
    out.reset(made);
  } catch (...) {  // shared_ptr's control block; reset() deleted `made`
    return Status::internal("beginning an LMDB read transaction: out of memory");
  }
  return Status::ok();
}

ReadTxn::~ReadTxn() {
  mdb_txn_abort(txn_);
  gate_.leave();
}

}  // namespace kahuna::lmdb_storage
