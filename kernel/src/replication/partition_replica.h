// PartitionReplica: one partition's replicated state machine as the Raft
// driver sees it (raft::StateMachine), over the node's storage engine.
//
// Each apply() batch runs every committed entry through the partition's
// PartitionStateMachine in an ApplyContext, then commits the state changes
// together with the new applied index in one write through the log writer.
// So after a crash the stored state and the applied index always agree, and
// the driver replays exactly the entries after it. That write is not synced:
// the entries are already durable in the Raft log, and replaying them gives
// the same state. With the segmented Raft log it does not even go through
// the engine's own write-ahead log (`unlogged`): the Raft log is that log,
// and the engine's checkpoint before each log compaction keeps every entry
// after the durable applied index in it.
//
// Applies read the state through a StateCache: each partition's recent keys
// (its current records, the request table's bounds) are answered from
// memory, not looked up in the engine on the io thread.
//
// Every applied command's stamp is merged into the node's hybrid clock, so a
// node that becomes leader stamps after everything it has applied.
#pragma once

#include <atomic>
#include <memory>

#include <asio/any_io_executor.hpp>

#include <kahuna/raft/node_interfaces.h>
#include <kahuna/storage_engine.h>

#include "services/clock/hlc.h"
#include "services/partition/partition_state_machine.h"
#include "services/storage/engine_state_reader.h"
#include "services/storage/state_cache.h"
#include "storage/log_writer.h"

namespace kahuna {

class PartitionReplica final : public raft::StateMachine {
 public:
  struct Options {
    bool unlogged = false;              // state writes skip the engine's write-ahead log
    std::size_t state_cache_bytes = 0;  // the apply path's StateCache; 0: none
  };

  // Reads the partition's applied index from `engine`. Images for log
  // compaction are encoded on `image_executor` (not an io thread).
  static Status open(StorageEngine& engine, LogWriter& log_writer, std::uint32_t partition,
                     const services::ServiceOptions& options, services::HybridClock& clock,
                     asio::any_io_executor image_executor, Options replica_options,
                     std::unique_ptr<PartitionReplica>& out);

  raft::Index applied_index() const override { return applied_.load(); }
  asio::awaitable<std::vector<std::string>> apply(const std::vector<raft::Entry>& entries) override;
  std::unique_ptr<raft::StateMachine::Image> capture() override;
  asio::awaitable<bool> restore(const raft::Snapshot& snapshot) override;

  // Brings the state up to the log's stored snapshot when a crash came
  // between storing a received snapshot and restoring it.
  Status catch_up_with(const raft::Snapshot& stored);

  const services::PartitionStateMachine& machine() const noexcept { return machine_; }
  // The leader's sequence allocator; set before the group starts.
  void set_sequence_observer(services::SequenceObserver* observer) {
    machine_.set_sequence_observer(observer);
  }
  std::uint32_t partition() const noexcept { return machine_.partition_id(); }
  // The apply loop's cache; read it on the group's strand only.
  services::StateCache::Stats state_cache_stats() const { return state_cache_.stats(); }

 private:
  PartitionReplica(StorageEngine& engine, LogWriter& log_writer, std::uint32_t partition,
                   const services::ServiceOptions& options, services::HybridClock& clock,
                   asio::any_io_executor image_executor, Options replica_options)
      : engine_(engine),
        log_writer_(log_writer),
        machine_(partition, options),
        clock_(clock),
        image_executor_(std::move(image_executor)),
        unlogged_(replica_options.unlogged),
        engine_reader_(engine),
        state_cache_(engine_reader_, replica_options.state_cache_bytes) {}

  // Stages `snapshot`'s image and applied index into `batch`.
  Status stage_restore(const raft::Snapshot& snapshot, WriteBatch& batch) const;

  StorageEngine& engine_;
  LogWriter& log_writer_;
  services::PartitionStateMachine machine_;
  services::HybridClock& clock_;
  asio::any_io_executor image_executor_;
  const bool unlogged_;  // state writes skip the engine's write-ahead log
  std::atomic<raft::Index> applied_{0};
  services::EngineStateReader engine_reader_;
  services::StateCache state_cache_;  // the group's strand only
};

}  // namespace kahuna
