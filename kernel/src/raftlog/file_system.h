// FileSystem: the few file operations the Raft log engine makes, behind an
// interface so that tests can stand in a file system that loses what was
// never synced (tests/support/fault_injection_file_system.h). The log engine
// never touches files any other way; a missing sync is then a test failure,
// not a latent bug that only a real power cut would show.
//
// Paths are plain strings. Every method blocks on the disk: call them only
// from threads meant for it (the log writer's, the open path).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/status.h>

namespace kahuna::raftlog {

// A file being written at explicit offsets.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes `data` at `offset`; the bytes may be lost by a power cut until
  // sync() returns.
  virtual Status write_at(std::uint64_t offset, std::string_view data) = 0;
  // Makes every write so far durable (fdatasync).
  virtual Status sync() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates `dir` (and parents) if missing.
  virtual Status create_directory(const std::string& dir) = 0;
  // The names (not paths) of the files in `dir`.
  virtual Status list(const std::string& dir, std::vector<std::string>& names) = 0;
  // Makes the directory's entries (files created, removed) durable.
  virtual Status sync_directory(const std::string& dir) = 0;

  // Creates a new file of `size` bytes, all zero, its space reserved so
  // that later writes within it need no allocation (fallocate). Fails if
  // the file exists. Its existence is durable only after sync_directory().
  virtual Status create(const std::string& path, std::uint64_t size, std::unique_ptr<WritableFile>& out) = 0;
  // Opens an existing file for writing at offsets.
  virtual Status open_writable(const std::string& path, std::unique_ptr<WritableFile>& out) = 0;

  // The whole file.
  virtual Status read_file(const std::string& path, std::string& out) = 0;
  // `size` bytes at `offset`; kCorruption when the file is shorter.
  virtual Status read_at(const std::string& path, std::uint64_t offset, std::size_t size,
                         std::string& out) = 0;
  // Cuts the file to `size` bytes, durably.
  virtual Status truncate(const std::string& path, std::uint64_t size) = 0;
  virtual Status remove(const std::string& path) = 0;
};

// The real thing: POSIX calls on the local disk.
std::unique_ptr<FileSystem> make_posix_file_system();

}  // namespace kahuna::raftlog
