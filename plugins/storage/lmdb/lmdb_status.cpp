#include "lmdb_status.h"

#include <cerrno>
#include <exception>
#include <new>
#include <string>

#include <lmdb.h>

namespace kahuna::lmdb_storage {

Status from_mdb(int rc, std::string_view what) {
  if (rc == 0) return Status::ok();
  std::string message = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_NOTFOUND: return Status::not_found(std::move(message));
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
    case ENOSPC:
    case EDQUOT: return Status::storage_full(std::move(message));
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH: return Status::corruption(std::move(message));
    case MDB_READERS_FULL: return Status::busy(std::move(message));
    case MDB_MAP_RESIZED: return Status::must_retry(std::move(message));
    case MDB_BAD_VALSIZE: return Status::invalid_argument(std::move(message));
    case MDB_PANIC: return Status::io_error(std::move(message));
    default: break;
  }
  // Positive codes are errno values from the operating system.
  if (rc > 0 && rc != ENOMEM && rc != EINVAL) return Status::io_error(std::move(message));
  return Status::internal(std::move(message));
}

}  // namespace kahuna::lmdb_storage
