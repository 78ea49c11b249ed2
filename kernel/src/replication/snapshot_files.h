// SnapshotFiles: the log-compaction images of a node's Raft groups, one file
// per image in <data_dir>/snapshots, named g<group>-<index>.snap.
//
// An image is a partition's whole state, tens of megabytes or more. Stored
// in the storage engine it would go through the log writer's group commit,
// and every group's writes would wait while it is synced; the engine would
// then copy it again in its flushes and compactions. As a file it is
// written once, off the io threads, and synced on its own; the engine keeps
// only its metadata (raft_keys.h, 'f').
//
// A file: the magic "KSNAP001", then group (u32), index (u64), image size
// (u64) and the image's XXH64 (u64), all big-endian, then the image. A file
// that does not match its name, its size or its checksum is refused as
// corrupt rather than handed to a follower.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include <kahuna/raft/types.h>
#include <kahuna/status.h>

namespace kahuna {

class SnapshotFiles {
 public:
  explicit SnapshotFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Creates the directory if it is missing.
  Status prepare() const;

  // Stores the image of `group` at `index`; a crash leaves the whole file
  // or none. Blocks on the disk: not for io threads.
  Status write(std::uint32_t group, raft::Index index, std::string_view image) const;

  // Loads and checks the image of `group` at `index`. kCorruption when the
  // file is missing or damaged.
  Status read(std::uint32_t group, raft::Index index, std::string& image) const;

  // Removes every file of `group` but those at `keep` (0 keeps nothing),
  // and any half-written one. Errors are ignored: a file left behind is
  // removed next time.
  void remove_all_but(std::uint32_t group, std::initializer_list<raft::Index> keep) const;

  std::filesystem::path path(std::uint32_t group, raft::Index index) const;
  const std::filesystem::path& directory() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace kahuna
