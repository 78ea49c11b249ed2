// RocksdbEngine: the StorageEngine contract (kahuna/storage_engine.h) over
// one RocksDB database in the plugin's data directory, default column family.
//
// Durability: a logged write goes to RocksDB's write-ahead log, which is
// never flushed manually, so a returned write survives a crash of the
// process; WriteOptions::sync additionally fsyncs the log before returning.
// Recovery uses point-in-time mode: a torn tail of the log is dropped, so a
// batch is recovered whole or not at all. An unlogged write (log=false)
// skips the log: it lives in the memtable until a flush (RocksDB's own, or
// checkpoint() and flush()) writes it to a table file. Only the default
// column family is used, and its memtables are flushed in sequence order,
// so the unlogged writes a crash keeps are a prefix of them.
#pragma once

#include <memory>
#include <string>

#include <rocksdb/db.h>

#include <kahuna/storage_engine.h>

#include "rocksdb_options.h"

namespace kahuna::rocksdb_storage {

class RocksdbEngine final : public StorageEngine {
 public:
  // Opens (creating if needed) the database in `dir`, which must exist.
  static Status open(const RocksdbOptions& options, const std::string& dir,
                     std::unique_ptr<RocksdbEngine>& out);
  ~RocksdbEngine() override;

  RocksdbEngine(const RocksdbEngine&) = delete;
  RocksdbEngine& operator=(const RocksdbEngine&) = delete;

  Status write(const WriteBatch& batch, const WriteOptions& options) noexcept override;
  Status get(std::string_view key, std::string& value, const Snapshot* snapshot) noexcept override;
  Status snapshot(std::unique_ptr<Snapshot>& out) noexcept override;
  std::unique_ptr<Iterator> iterator(const IteratorOptions& options) noexcept override;
  Status approximate_size(std::string_view begin, std::string_view end,
                          std::uint64_t& bytes) noexcept override;
  Status flush() noexcept override;
  Status checkpoint() noexcept override;

 private:
  explicit RocksdbEngine(std::unique_ptr<rocksdb::DB> db);

  // Makes every write so far durable: syncs the log, then flushes the
  // memtables to table files and waits for them.
  Status flush_all();

  // The RocksDB snapshot behind `snapshot` (null for none), or an error
  // when it was made by another engine.
  Status resolve(const Snapshot* snapshot, const rocksdb::Snapshot*& out) const;
  // The first key after every key of the database, or "" when it is empty.
  Status end_of_keys(std::string& out);

  std::unique_ptr<rocksdb::DB> db_;
};

// A RocksDB snapshot, released when destroyed.
class RocksdbSnapshot final : public Snapshot {
 public:
  RocksdbSnapshot(rocksdb::DB* db, const rocksdb::Snapshot* snapshot) noexcept
      : db_(db), snapshot_(snapshot) {}
  ~RocksdbSnapshot() override { db_->ReleaseSnapshot(snapshot_); }

  RocksdbSnapshot(const RocksdbSnapshot&) = delete;
  RocksdbSnapshot& operator=(const RocksdbSnapshot&) = delete;

  rocksdb::DB* db() const noexcept { return db_; }
  const rocksdb::Snapshot* get() const noexcept { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace kahuna::rocksdb_storage
