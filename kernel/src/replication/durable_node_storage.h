// DurableNodeStorage: raft::NodeStorage for one group over the node's
// storage engine, with every write going through the node's LogWriter so
// the persists of all groups share one synced commit. Compaction images go
// to SnapshotFiles on the image executor's thread, never an io thread: a
// large image takes a while to write and sync.
#pragma once

#include <atomic>
#include <memory>

#include <asio/any_io_executor.hpp>

#include <kahuna/raft/node_interfaces.h>

#include "replication/engine_log_storage.h"
#include "replication/snapshot_files.h"
#include "storage/log_writer.h"

namespace kahuna {

class DurableNodeStorage final : public raft::NodeStorage {
 public:
  DurableNodeStorage(std::unique_ptr<EngineLogStorage> log, LogWriter& log_writer, const SnapshotFiles& files,
                     asio::any_io_executor image_executor)
      : log_(std::move(log)),
        log_writer_(log_writer),
        files_(files),
        image_executor_(std::move(image_executor)),
        current_file_(log_->snapshot_file_index()) {}

  const raft::LogStorage& log() const override { return *log_; }
  asio::awaitable<bool> persist(const raft::Ready& ready) override;
  asio::awaitable<bool> store_image(raft::Index index, const std::string& image) override;
  asio::awaitable<bool> compact(const raft::Snapshot& snapshot) override;

 private:
  std::unique_ptr<EngineLogStorage> log_;
  LogWriter& log_writer_;
  const SnapshotFiles& files_;
  asio::any_io_executor image_executor_;
  // The file the durable log refers to (0: none), read on the image thread.
  std::atomic<raft::Index> current_file_;
};

}  // namespace kahuna
