#include "replication/durable_node_storage.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "storage/run_blocking.h"

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
                    (ready.hard_state &&
                     (ready.hard_state->term != previous.term || ready.hard_state->vote != previous.vote));
  const Status status = co_await log_writer_.write(std::move(batch), sync);
  if (!status) {
    spdlog::critical("raft group {}: cannot persist its log: {}", log_->group(), status.to_string());
    co_return false;
  }
  log_->persisted(ready);
  current_file_ = log_->snapshot_file_index();  // 0 once a leader's snapshot replaced the log
  co_return true;
}

asio::awaitable<bool> DurableNodeStorage::store_image(raft::Index index, const std::string& image) {
  const auto start = std::chrono::steady_clock::now();
  const Status status = co_await run_blocking(image_executor_, [&] {
    Status written = files_.write(log_->group(), index, image);
    // Older files go once a newer one is stored; the one the durable log
    // refers to stays until a compaction refers to another.
    if (written) files_.remove_all_but(log_->group(), {index, current_file_.load()});
    return written;
  });
  if (!status) {
    spdlog::error("raft group {}: cannot store a compaction image: {}", log_->group(), status.to_string());
    co_return false;
  }
  spdlog::info("raft group {}: stored the image at index {} ({} KiB) in {} ms", log_->group(), index,
               image.size() / 1024,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                   .count());
  co_return true;
}

asio::awaitable<bool> DurableNodeStorage::compact(const raft::Snapshot& snapshot) {
  WriteBatch batch;
  log_->stage_compaction(snapshot, batch);
  // Synced: store_image() removes files other than the newest and the one
  // the durable log refers to, so the log must refer to this one for sure
  // before the next compaction can run.
  const Status status = co_await log_writer_.write(std::move(batch), /*sync=*/true);
  if (!status) {
    spdlog::error("raft group {}: cannot record a compaction: {}", log_->group(), status.to_string());
    co_return false;
  }
  log_->compacted(snapshot);
  current_file_ = log_->snapshot_file_index();
  co_return true;
}

}  // namespace kahuna
