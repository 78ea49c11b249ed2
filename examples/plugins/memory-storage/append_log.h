// AppendLog: the memory engine's durability. Every write batch is appended
// to one file as a checksummed record; opening the engine replays the file.
// A record cut short by a crash (a torn tail) fails its checksum and is
// dropped, along with everything after it: those writes were never
// acknowledged, because write() returns only after the append (and, for
// sync writes, after fdatasync).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <kahuna/status.h>
#include <kahuna/write_batch.h>

namespace memory_storage {

class AppendLog {
 public:
  AppendLog() = default;
  ~AppendLog();
  AppendLog(const AppendLog&) = delete;
  AppendLog& operator=(const AppendLog&) = delete;

  // Opens (creating if needed) `path`, calls `apply` for each intact record
  // in order, and cuts off a torn tail. `bytes` receives the file's size.
  kahuna::Status open(const std::string& path, const std::function<void(const kahuna::WriteBatch&)>& apply);

  // Appends one record; with `sync`, returns after fdatasync.
  kahuna::Status append(const kahuna::WriteBatch& batch, bool sync);

  // Replaces the whole file with `batch` (atomically: temporary file,
  // fsync, rename); used to compact the log on open.
  kahuna::Status rewrite(const kahuna::WriteBatch& batch);

  kahuna::Status sync();
  std::uint64_t size() const { return size_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace memory_storage
