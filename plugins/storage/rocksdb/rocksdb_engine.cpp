#include "rocksdb_engine.h"

#include <cstdlib>
#include <utility>

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "rocksdb_compression.h"
#include "rocksdb_iterator.h"
#include "rocksdb_status.h"

namespace kahuna::rocksdb_storage {
namespace {

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

rocksdb::Options make_options(const RocksdbOptions& options) {
  rocksdb::Options db;
  db.create_if_missing = true;
  db.max_open_files = static_cast<int>(options.max_open_files);
  db.write_buffer_size = static_cast<std::size_t>(options.write_buffer_mb) << 20;
  db.max_background_jobs = static_cast<int>(options.max_background_jobs);
  rocksdb::CompressionType compression = rocksdb::kNoCompression;
  compression_from_name(options.compression, compression);
  db.compression = compression;
  // Spelled out rather than left to the library's default: a kill -9 can
  // leave a torn record at the log's end, which must be dropped (with every
  // later one) instead of failing the open or resurrecting half a batch.
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db.manual_wal_flush = false;  // each write reaches the OS before it returns
  db.keep_log_file_num = 10;    // RocksDB's own info logs, not the WAL
  // The default, spelled out: a clean close flushes the memtables when they
  // hold unlogged writes, so closing loses none of them.
  db.avoid_flush_during_shutdown = false;

  rocksdb::BlockBasedTableOptions table;
  if (options.block_cache_mb == 0) {
    table.no_block_cache = true;
  } else {
    table.block_cache = rocksdb::NewLRUCache(static_cast<std::size_t>(options.block_cache_mb) << 20);
  }
  if (options.bloom_filter_bits > 0) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(static_cast<double>(options.bloom_filter_bits)));
  }
  if (options.bloom_filter_bits > 0) {
    // A bloom filter over the memtable's whole keys too: most point reads of
    // the apply path that reach the engine ask for keys that do not exist
    // (a new request id, a new key), and without it each one walks the
    // memtable's skip list to find nothing. 5% of the memtable's size.
    db.memtable_prefix_bloom_size_ratio = 0.05;
    db.memtable_whole_key_filtering = true;
  }
  db.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return db;
}

}  // namespace

RocksdbEngine::RocksdbEngine(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}

RocksdbEngine::~RocksdbEngine() {
  // Close() reports errors that the destructor of DB would swallow; there is
  // no one to report them to here either, but it waits for background work.
  if (db_) (void)db_->Close();
}

Status RocksdbEngine::open(const RocksdbOptions& options, const std::string& dir,
                           std::unique_ptr<RocksdbEngine>& out) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(make_options(options), dir, &raw);
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!status.ok()) return from_rocksdb(status, "opening RocksDB in '" + dir + "'");
  out.reset(new RocksdbEngine(std::move(db)));
  return Status::ok();
}

Status RocksdbEngine::resolve(const Snapshot* snapshot, const rocksdb::Snapshot*& out) const {
  out = nullptr;
  if (snapshot == nullptr) return Status::ok();
  const auto* ours = dynamic_cast<const RocksdbSnapshot*>(snapshot);
  if (ours == nullptr || ours->db() != db_.get()) {
    return Status::invalid_argument("the snapshot was not made by this RocksDB engine");
  }
  out = ours->get();
  return Status::ok();
}

Status RocksdbEngine::write(const WriteBatch& batch, const WriteOptions& options) noexcept {
  try {
    if (batch.empty()) {
      // Nothing to log; a sync still makes the earlier writes durable, as a
      // sync write of a non-empty batch would.
      if (!options.sync || !options.log) return Status::ok();
      return from_rocksdb(db_->SyncWAL(), "syncing the RocksDB log");
    }
    // Room for every record's tag and two length prefixes, so that a batch
    // holding a large value is copied once.
    rocksdb::WriteBatch out(batch.byte_size() + 12 + 11 * batch.count());
    for (const WriteBatch::Op& op : batch.ops()) {
      rocksdb::Status added;
      switch (op.type) {
        case WriteBatch::OpType::kPut: added = out.Put(slice(op.key), slice(op.value)); break;
        case WriteBatch::OpType::kDelete: added = out.Delete(slice(op.key)); break;
        case WriteBatch::OpType::kDeleteRange:
          // An empty or inverted range removes nothing; RocksDB must never
          // see one, as its range tombstones assume begin < end.
          if (op.key < op.value) added = out.DeleteRange(slice(op.key), slice(op.value));
          break;
      }
      if (!added.ok()) return from_rocksdb(added, "building a RocksDB write batch");
    }
    rocksdb::WriteOptions write_options;
    // An unlogged batch lives only in the memtable until a flush writes it
    // to a table file; memtables of the one column family are flushed in
    // sequence order, so what a crash keeps of them is a prefix.
    write_options.disableWAL = !options.log;
    write_options.sync = options.sync && options.log;
    return from_rocksdb(db_->Write(write_options, &out), "writing a batch to RocksDB");
  } catch (...) {
    return status_from_current_exception("writing a batch to RocksDB");
  }
}

Status RocksdbEngine::get(std::string_view key, std::string& value, const Snapshot* snapshot) noexcept {
  try {
    rocksdb::ReadOptions read;
    if (Status s = resolve(snapshot, read.snapshot); !s.is_ok()) return s;
    rocksdb::Status status = db_->Get(read, slice(key), &value);
    if (status.IsNotFound()) return Status::not_found();
    return from_rocksdb(status, "reading a key from RocksDB");
  } catch (...) {
    return status_from_current_exception("reading a key from RocksDB");
  }
}

Status RocksdbEngine::snapshot(std::unique_ptr<Snapshot>& out) noexcept {
  try {
    const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
    if (snapshot == nullptr) return Status::internal("RocksDB refused to create a snapshot");
    try {
      out = std::make_unique<RocksdbSnapshot>(db_.get(), snapshot);
    } catch (...) {
      db_->ReleaseSnapshot(snapshot);
      throw;
    }
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("creating a RocksDB snapshot");
  }
}

std::unique_ptr<Iterator> RocksdbEngine::iterator(const IteratorOptions& options) noexcept {
  try {
    const rocksdb::Snapshot* snapshot = nullptr;
    if (Status s = resolve(options.snapshot, snapshot); !s.is_ok()) {
      return std::make_unique<RocksdbIterator>(std::move(s));
    }
    return std::make_unique<RocksdbIterator>(db_.get(), snapshot, options);
  } catch (...) {
    try {
      return std::make_unique<RocksdbIterator>(status_from_current_exception("creating a RocksDB iterator"));
    } catch (...) {
      // Not even an error iterator fits in memory; the contract forbids
      // both null and throwing, so there is nothing left to return.
      std::abort();
    }
  }
}

Status RocksdbEngine::end_of_keys(std::string& out) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  it->SeekToLast();
  if (!it->status().ok()) return from_rocksdb(it->status(), "finding the last key in RocksDB");
  out.clear();
  if (it->Valid()) {
    out = it->key().ToString();
    out.push_back('\0');  // the first key after the last one
  }
  return Status::ok();
}

Status RocksdbEngine::approximate_size(std::string_view begin, std::string_view end,
                                       std::uint64_t& bytes) noexcept {
  try {
    bytes = 0;
    std::string limit(end);
    if (limit.empty()) {
      if (Status s = end_of_keys(limit); !s.is_ok()) return s;
      if (limit.empty()) return Status::ok();  // no keys at all
    }
    if (std::string_view(limit) <= begin) return Status::ok();
    rocksdb::SizeApproximationOptions options;
    options.include_memtables = true;
    options.include_files = true;
    rocksdb::Range range(slice(begin), slice(limit));
    return from_rocksdb(db_->GetApproximateSizes(options, db_->DefaultColumnFamily(), &range, 1, &bytes),
                        "estimating a range's size in RocksDB");
  } catch (...) {
    return status_from_current_exception("estimating a range's size in RocksDB");
  }
}

Status RocksdbEngine::flush() noexcept {
  try {
    return flush_all();
  } catch (...) {
    return status_from_current_exception("flushing RocksDB");
  }
}

Status RocksdbEngine::checkpoint() noexcept {
  try {
    return flush_all();
  } catch (...) {
    return status_from_current_exception("checkpointing RocksDB");
  }
}

Status RocksdbEngine::flush_all() {
  // Syncs the log first, so that logged writes are durable even if the
  // memtable flush fails.
  if (Status s = from_rocksdb(db_->FlushWAL(true), "syncing the RocksDB log"); !s.is_ok()) {
    return s;
  }
  // Switches the memtable and waits until it, and every older one, is in a
  // table file recorded in the manifest. Writes go on into the new memtable
  // meanwhile; allow_write_stall=false makes the flush wait rather than
  // stall them when compactions are behind.
  rocksdb::FlushOptions options;
  options.wait = true;
  options.allow_write_stall = false;
  return from_rocksdb(db_->Flush(options), "flushing RocksDB memtables");
}

}  // namespace kahuna::rocksdb_storage
