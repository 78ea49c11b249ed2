// FaultInjectionFileSystem: an in-memory raftlog::FileSystem that knows which
// bytes were synced, and loses the others at a simulated power cut — the
// pattern of RocksDB's FaultInjectionTestFS.
//
// Each file keeps its durable bytes (as of its last sync) apart from its
// current ones; a new file's name is durable only once its directory is
// synced, and a removed file comes back unless its directory was synced
// after the removal. power_cut() rolls everything back to what was durable;
// with `tear`, each 512-byte sector written since the last sync is kept or
// lost at random, as a disk that reorders its writes leaves it. Files
// opened before the cut stay dead: their writes and syncs fail.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include "raftlog/file_system.h"

namespace kahuna::raftlog {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  Status create_directory(const std::string& dir) override;
  Status list(const std::string& dir, std::vector<std::string>& names) override;
  Status sync_directory(const std::string& dir) override;
  Status create(const std::string& path, std::uint64_t size, std::unique_ptr<WritableFile>& out) override;
  Status open_writable(const std::string& path, std::unique_ptr<WritableFile>& out) override;
  Status read_file(const std::string& path, std::string& out) override;
  Status read_at(const std::string& path, std::uint64_t offset, std::size_t size, std::string& out) override;
  Status truncate(const std::string& path, std::uint64_t size) override;
  Status remove(const std::string& path) override;

  // Everything not durable is lost (or, with `tear`, partly kept).
  void power_cut(std::mt19937_64& random, bool tear);
  // The power goes off during the `count`-th sync from now: that sync
  // fails, and power_cut(random, tear) happens first. 0 disarms.
  void cut_at_sync(std::uint64_t count, std::uint64_t seed, bool tear);
  // Syncs are skipped (they return ok without making anything durable):
  // what a log that forgot its fdatasync would do.
  void set_ignore_syncs(bool ignore);

  std::uint64_t syncs() const;

 private:
  struct File {
    std::string durable;
    std::string current;
    bool name_durable = false;
  };
  class Handle;

  Status write(std::uint64_t epoch, const std::string& path, std::uint64_t offset, std::string_view data);
  Status sync(std::uint64_t epoch, const std::string& path);
  static std::string parent(const std::string& path);
  void cut_locked(std::mt19937_64& random, bool tear);

  mutable std::mutex mutex_;
  std::map<std::string, File> files_;
  std::map<std::string, File> removed_;  // removed, but the removal is not durable
  std::uint64_t epoch_ = 0;              // bumped by every power cut
  bool ignore_syncs_ = false;
  std::uint64_t syncs_until_cut_ = 0;
  std::mt19937_64 cut_random_;
  bool cut_tears_ = false;
  std::uint64_t syncs_ = 0;
};

}  // namespace kahuna::raftlog
