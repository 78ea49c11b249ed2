// DurableNodeStorage: raft::NodeStorage for one group over the node's
// storage engine, with every write going through the node's LogWriter so
// the persists of all groups share one synced commit.
#pragma once

#include <memory>

#include <kahuna/raft/node_interfaces.h>

#include "replication/engine_log_storage.h"
#include "storage/log_writer.h"

namespace kahuna {

class DurableNodeStorage final : public raft::NodeStorage {
 public:
  DurableNodeStorage(std::unique_ptr<EngineLogStorage> log, LogWriter& log_writer)
      : log_(std::move(log)), log_writer_(log_writer) {}

  const raft::LogStorage& log() const override { return *log_; }
  asio::awaitable<bool> persist(const raft::Ready& ready) override;
  asio::awaitable<bool> compact(const raft::Snapshot& snapshot) override;

 private:
  std::unique_ptr<EngineLogStorage> log_;
  LogWriter& log_writer_;
};

}  // namespace kahuna
