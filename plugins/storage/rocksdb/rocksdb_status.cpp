#include "rocksdb_status.h"

#include <exception>
#include <new>
#include <string>

namespace kahuna::rocksdb_storage {

Status from_rocksdb(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return Status::ok();
  std::string message = std::string(what) + ": " + status.ToString();
  // NoSpace is a sub-code of IOError, so it is tested first.
  if (status.IsNoSpace()) return Status::storage_full(std::move(message));
  if (status.IsIOError()) return Status::io_error(std::move(message));
  if (status.IsCorruption()) return Status::corruption(std::move(message));
  if (status.IsNotFound()) return Status::not_found(std::move(message));
  if (status.IsInvalidArgument()) return Status::invalid_argument(std::move(message));
  if (status.IsNotSupported()) return Status::not_supported(std::move(message));
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() || status.IsIncomplete() ||
      status.IsShutdownInProgress()) {
    return Status::must_retry(std::move(message));
  }
  if (status.IsAborted()) return Status::aborted(std::move(message));
  return Status::internal(std::move(message));
}

}  // namespace kahuna::rocksdb_storage
