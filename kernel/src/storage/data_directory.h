// The node's data directory: where the storage engine keeps its files, plus
// an identity file that ties the directory to one node and one engine so a
// configuration mistake cannot mix two nodes' data or open one engine's
// files with another.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <kahuna/status.h>

namespace kahuna {

// Creates `dir` (and its parents) if missing and checks that a file can be
// created in it. The message says what is wrong, e.g. "cannot create
// './data': Permission denied".
Status check_data_directory(const std::filesystem::path& dir);

// What the identity file <data_dir>/KAHUNA records.
struct DataDirectoryIdentity {
  std::uint64_t node_id = 0;
  std::string engine;  // storage plugin name
  int format = 1;      // layout version of the directory
  // Where the Raft log is kept ([raft] log). Directories from before the
  // field existed used "engine".
  std::string raft_log = "segmented";
};

// Checks the identity file against `expected`, or writes it (atomically,
// synced) when the directory is new. Refuses a directory that belongs to
// another node id, was written by another engine or keeps its Raft log
// elsewhere.
Status claim_data_directory(const std::filesystem::path& dir, const DataDirectoryIdentity& expected);

// Where the storage engine keeps its files: <data_dir>/storage.
std::filesystem::path storage_directory(const std::filesystem::path& data_dir);

}  // namespace kahuna
