#include "environment.h"

#include <charconv>
#include <string_view>

#include "lmdb_status.h"

namespace kahuna::lmdb_storage {
namespace {

constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kFormat = "1";
constexpr std::string_view kPrefixLenKey = "key_prefix_len";

MDB_val val(std::string_view s) { return {s.size(), const_cast<char*>(s.data())}; }

// Closes the environment unless released: every early return below leaks
// nothing.
struct EnvCloser {
  MDB_env* env = nullptr;
  ~EnvCloser() {
    if (env != nullptr) mdb_env_close(env);
  }
};

struct TxnAborter {
  MDB_txn* txn = nullptr;
  ~TxnAborter() {
    if (txn != nullptr) mdb_txn_abort(txn);
  }
};

// Reads the layout a database was created with, or records ours in a new
// one. Refuses a layout this LMDB build cannot hold.
Status check_meta(MDB_txn* txn, MDB_dbi meta, MDB_dbi data, std::size_t max_key, std::size_t& prefix_len) {
  MDB_val k = val(kFormatKey);
  MDB_val v{0, nullptr};
  int rc = mdb_get(txn, meta, &k, &v);
  if (rc == MDB_NOTFOUND) {
    MDB_stat stat;
    if (rc = mdb_stat(txn, data, &stat); rc != 0) return from_mdb(rc, "reading LMDB statistics");
    if (stat.ms_entries != 0) {
      return Status::corruption("the LMDB database holds data but no format record");
    }
    prefix_len = max_key - 2;  // room for the tag and a bucket's 0x00
    const std::string len = std::to_string(prefix_len);
    MDB_val format = val(kFormat);
    MDB_val len_key = val(kPrefixLenKey);
    MDB_val len_value = val(len);
    if (rc = mdb_put(txn, meta, &k, &format, 0); rc != 0) return from_mdb(rc, "writing LMDB meta");
    if (rc = mdb_put(txn, meta, &len_key, &len_value, 0); rc != 0) {
      return from_mdb(rc, "writing LMDB meta");
    }
    return Status::ok();
  }
  if (rc != 0) return from_mdb(rc, "reading LMDB meta");
  const std::string_view format(static_cast<const char*>(v.mv_data), v.mv_size);
  if (format != kFormat) {
    return Status::not_supported("the LMDB database has format '" + std::string(format) +
                                 "'; this plugin reads format " + std::string(kFormat));
  }
  MDB_val len_key = val(kPrefixLenKey);
  if (rc = mdb_get(txn, meta, &len_key, &v); rc != 0) return from_mdb(rc, "reading LMDB meta");
  const char* first = static_cast<const char*>(v.mv_data);
  auto [end, error] = std::from_chars(first, first + v.mv_size, prefix_len);
  if (error != std::errc() || end != first + v.mv_size || prefix_len == 0) {
    return Status::corruption("the LMDB meta record of the key layout does not parse");
  }
  if (prefix_len + 2 > max_key) {
    return Status::not_supported("the LMDB database was written with keys of up to " +
                                 std::to_string(prefix_len + 2) + " bytes, but this LMDB build allows only " +
                                 std::to_string(max_key));
  }
  return Status::ok();
}

}  // namespace

Status open_environment(const LmdbOptions& options, const std::string& dir, Environment& out) {
  EnvCloser env;
  int rc = mdb_env_create(&env.env);
  if (rc != 0) return from_mdb(rc, "creating the LMDB environment");
  if (rc = mdb_env_set_maxdbs(env.env, 2); rc != 0) return from_mdb(rc, "configuring LMDB");
  if (rc = mdb_env_set_maxreaders(env.env, static_cast<unsigned>(options.max_readers)); rc != 0) {
    return from_mdb(rc, "configuring LMDB");
  }
  if (rc = mdb_env_set_mapsize(env.env, static_cast<std::size_t>(options.map_size_mb) << 20); rc != 0) {
    return from_mdb(rc, "configuring LMDB");
  }
  // MDB_NOTLS: snapshots and iterators move between threads, and one thread
  // may hold several. MDB_NOMETASYNC: a commit fsyncs its data pages but not
  // the meta page that publishes them, so a power loss can lose the last
  // commits but never corrupt the file; sync=true writes then sync the meta
  // page too (mdb_env_sync), the same two syncs LMDB makes by default.
  // Unlogged writes keep the data sync as well: without it (MDB_NOSYNC) a
  // system crash can corrupt the file unless the file system keeps the
  // order of writes, which ext4 does not promise.
  const unsigned flags = MDB_NOTLS | MDB_NOMETASYNC;
  if (rc = mdb_env_open(env.env, dir.c_str(), flags, 0644); rc != 0) {
    return from_mdb(rc, "opening LMDB in '" + dir + "'");
  }
  // A process killed while reading leaves its reader slot taken; free it.
  int stale = 0;
  if (rc = mdb_reader_check(env.env, &stale); rc != 0) return from_mdb(rc, "checking LMDB readers");

  TxnAborter txn;
  if (rc = mdb_txn_begin(env.env, nullptr, 0, &txn.txn); rc != 0) {
    return from_mdb(rc, "beginning an LMDB transaction");
  }
  MDB_dbi data = 0;
  MDB_dbi meta = 0;
  if (rc = mdb_dbi_open(txn.txn, "data", MDB_CREATE, &data); rc != 0) {
    return from_mdb(rc, "opening the LMDB data database");
  }
  if (rc = mdb_dbi_open(txn.txn, "meta", MDB_CREATE, &meta); rc != 0) {
    return from_mdb(rc, "opening the LMDB meta database");
  }
  const int max_key = mdb_env_get_maxkeysize(env.env);
  if (max_key < 16) return Status::not_supported("this LMDB build allows keys of too few bytes");
  std::size_t prefix_len = 0;
  if (Status s = check_meta(txn.txn, meta, data, static_cast<std::size_t>(max_key), prefix_len); !s.is_ok()) {
    return s;
  }
  rc = mdb_txn_commit(txn.txn);
  txn.txn = nullptr;  // freed by the commit, whatever its outcome
  if (rc != 0) return from_mdb(rc, "creating the LMDB databases");
  // The new database's files must exist durably before anything is
  // written into them.
  if (rc = mdb_env_sync(env.env, 1); rc != 0) return from_mdb(rc, "syncing LMDB");

  out.env = env.env;
  env.env = nullptr;
  out.data = data;
  out.prefix_len = prefix_len;
  return Status::ok();
}

}  // namespace kahuna::lmdb_storage
