// SegmentedNodeStorage: raft::NodeStorage for one group over the node's
// segmented Raft log (raftlog/segmented_log.h), whose writer merges the
// writes of every group into one synced commit.
//
// Snapshot images live in SnapshotFiles, written and synced off the io
// threads before the log records them; the log keeps their metadata.
//
// With this log the partitions' state is written without the storage
// engine's own write-ahead log: the Raft log is that log. So before the
// log lets go of entries (a compaction), the engine is checkpointed, which
// makes the state durable at least up to the compaction's index; a replica
// that restarts then finds every entry after its durable applied index
// still in the log, or a snapshot file to restore from.
#pragma once

#include <atomic>
#include <cstdint>

#include <asio/any_io_executor.hpp>

#include <kahuna/raft/node_interfaces.h>
#include <kahuna/storage_engine.h>

#include "raftlog/segmented_log.h"
#include "replication/snapshot_files.h"

namespace kahuna {

class SegmentedNodeStorage final : public raft::NodeStorage {
 public:
  SegmentedNodeStorage(raftlog::SegmentedLog& log, std::uint32_t group, const SnapshotFiles& files,
                       StorageEngine& engine, asio::any_io_executor image_executor)
      : log_(log),
        group_(group),
        files_(files),
        engine_(engine),
        image_executor_(std::move(image_executor)) {}

  const raft::LogStorage& log() const override { return log_.group(group_); }
  asio::awaitable<bool> persist(const raft::Ready& ready) override;
  asio::awaitable<bool> store_image(raft::Index index, const std::string& image) override;
  asio::awaitable<bool> compact(const raft::Snapshot& snapshot) override;

 private:
  raftlog::SegmentedLog& log_;
  const std::uint32_t group_;
  const SnapshotFiles& files_;
  StorageEngine& engine_;
  asio::any_io_executor image_executor_;
};

}  // namespace kahuna
