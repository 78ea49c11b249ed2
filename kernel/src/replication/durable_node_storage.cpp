#include "replication/durable_node_storage.h"

#include <spdlog/spdlog.h>

namespace kahuna {

asio::awaitable<bool> DurableNodeStorage::persist(const raft::Ready& ready) {
  WriteBatch batch;
  log_->stage(ready, batch);
  // Synced when it holds entries, a snapshot, a new term or a vote: a vote
  // or an acknowledgement sent after this must survive a power loss, or the
  // group could elect two leaders in one term or lose a committed entry.
  // A change of the commit index alone needs no sync: Raft learns it again
  // from the leader, and the state machine's own writes come after it in
  // the engine's write order, so a durable apply implies a durable commit.
  const raft::HardState previous = log_->hard_state();
  const bool sync = ready.snapshot || !ready.entries.empty() ||
                    (ready.hard_state && (ready.hard_state->term != previous.term ||
                                          ready.hard_state->vote != previous.vote));
  const Status status = co_await log_writer_.write(std::move(batch), sync);
  if (!status) {
    spdlog::critical("raft group {}: cannot persist its log: {}", log_->group(), status.to_string());
    co_return false;
  }
  log_->persisted(ready);
  co_return true;
}

asio::awaitable<bool> DurableNodeStorage::compact(const raft::Snapshot& snapshot) {
  WriteBatch batch;
  log_->stage_compaction(snapshot, batch);
  // Not synced: losing a compaction in a crash only means replaying more log.
  const Status status = co_await log_writer_.write(std::move(batch), /*sync=*/false);
  if (!status) {
    spdlog::error("raft group {}: cannot store a compaction snapshot: {}", log_->group(), status.to_string());
    co_return false;
  }
  log_->compacted(snapshot);
  co_return true;
}

}  // namespace kahuna
