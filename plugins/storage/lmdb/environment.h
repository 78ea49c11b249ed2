// Opening the LMDB environment in the plugin's data directory: the files
// data.mdb and lock.mdb, with two named databases, "data" (the raw keys, as
// key_layout.h describes) and "meta" (the format version and the key layout
// the data was written with).
#pragma once

#include <cstddef>
#include <string>

#include <lmdb.h>

#include <kahuna/status.h>

#include "lmdb_options.h"

namespace kahuna::lmdb_storage {

struct Environment {
  MDB_env* env = nullptr;
  MDB_dbi data = 0;
  std::size_t prefix_len = 0;  // KeyLayout's T for this database
};

// Opens or creates the environment in `dir` (which exists). On success the
// caller owns out.env and must mdb_env_close() it.
Status open_environment(const LmdbOptions& options, const std::string& dir, Environment& out);

}  // namespace kahuna::lmdb_storage
