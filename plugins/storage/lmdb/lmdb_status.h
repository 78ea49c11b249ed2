// Translation of LMDB return codes, and of C++ exceptions, into kahuna
// Status values: nothing LMDB reports or C++ throws crosses the plugin
// boundary in any other form.
#pragma once

#include <string_view>

#include <kahuna/status.h>

namespace kahuna::lmdb_storage {

// `rc` is an LMDB or errno code, non-zero; `what` says what was being done
// and starts the message.
//   MDB_NOTFOUND -> kNotFound            MDB_MAP_FULL, MDB_TXN_FULL, ENOSPC -> kStorageFull
//   MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_VERSION_MISMATCH -> kCorruption
//   MDB_READERS_FULL -> kBusy            MDB_MAP_RESIZED -> kMustRetry
//   MDB_BAD_VALSIZE -> kInvalidArgument  MDB_PANIC, EIO and other errno -> kIOError
//   anything else (misuse of the API)    -> kInternal
Status from_mdb(int rc, std::string_view what);

}  // namespace kahuna::lmdb_storage
