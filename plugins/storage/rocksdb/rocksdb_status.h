// Translation of RocksDB's errors, and of C++ exceptions, into kahuna
// Status values: nothing RocksDB reports or throws may cross the plugin
// boundary in any other form.
#pragma once

#include <string_view>

#include <rocksdb/status.h>

#include <kahuna/status.h>

namespace kahuna::rocksdb_storage {

// `what` says what was being done ("writing a batch"); it starts the message.
//   NoSpace            -> kStorageFull   IOError (other)  -> kIOError
//   Corruption         -> kCorruption    NotFound         -> kNotFound
//   InvalidArgument    -> kInvalidArgument  NotSupported  -> kNotSupported
//   Busy, TimedOut, TryAgain, Incomplete, ShutdownInProgress -> kMustRetry
//   Aborted            -> kAborted       anything else    -> kInternal
Status from_rocksdb(const rocksdb::Status& status, std::string_view what);

}  // namespace kahuna::rocksdb_storage
