#include "replication/segmented_node_storage.h"

#include <chrono>
#include <memory>

#include <spdlog/spdlog.h>
#include <asio/use_awaitable.hpp>

#include "raftlog/log_record.h"
#include "storage/run_blocking.h"

namespace kahuna {

asio::awaitable<bool> SegmentedNodeStorage::persist(const raft::Ready& ready) {
  raftlog::GroupLog& group_log = log_.group(group_);
  const raft::HardState previous = group_log.hard_state();
  // A change of the commit index alone is not written: Raft learns it
  // again from the leader, and at open the commit index is raised to what
  // the state machine has durably applied.
  const bool hard_state_changed = ready.hard_state && (ready.hard_state->term != previous.term ||
                                                       ready.hard_state->vote != previous.vote);
  if (!ready.snapshot && ready.entries.empty() && !hard_state_changed) {
    if (ready.hard_state) group_log.note_commit(ready.hard_state->commit);
    co_return true;
  }

  std::shared_ptr<const std::string> image;
  raftlog::SnapshotKind kind = raftlog::SnapshotKind::kNone;
  raft::SnapshotMetadata metadata;
  if (ready.snapshot) {
    // A leader's snapshot: its image is stored whole before the log
    // refers to it.
    kind = raftlog::SnapshotKind::kReplace;
    metadata = ready.snapshot->metadata;
    image = std::make_shared<const std::string>(ready.snapshot->data);
    const Status written =
        co_await run_blocking(image_executor_, [&] { return files_.write(group_, metadata.index, *image); });
    if (!written) {
      spdlog::critical("raft group {}: cannot store a snapshot from the leader: {}", group_,
                       written.to_string());
      co_return false;
    }
  }
  std::string payload = raftlog::encode_group_record(group_, kind, metadata, ready.hard_state, ready.entries);
  const Status status = co_await log_.async_write(group_, std::move(payload), image, asio::use_awaitable);
  if (!status) {
    spdlog::critical("raft group {}: cannot persist its log: {}", group_, status.to_string());
    co_return false;
  }
  if (ready.snapshot) {
    co_await run_blocking(image_executor_, [&] {
      files_.remove_all_but(group_, {metadata.index});
      return true;
    });
  }
  co_return true;
}

asio::awaitable<bool> SegmentedNodeStorage::store_image(raft::Index index, const std::string& image) {
  const auto start = std::chrono::steady_clock::now();
  const raftlog::GroupLog& group_log = log_.group(group_);
  const Status status = co_await run_blocking(image_executor_, [&] {
    Status written = files_.write(group_, index, image);
    // Older files go once a newer one is stored; the one the log's
    // snapshot record refers to stays until a compaction refers to another.
    if (written) files_.remove_all_but(group_, {index, group_log.snapshot_metadata().index});
    return written;
  });
  if (!status) {
    spdlog::error("raft group {}: cannot store a compaction image: {}", group_, status.to_string());
    co_return false;
  }
  spdlog::info("raft group {}: stored the image at index {} ({} KiB) in {} ms", group_, index,
               image.size() / 1024,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                   .count());
  co_return true;
}

asio::awaitable<bool> SegmentedNodeStorage::compact(const raft::Snapshot& snapshot) {
  // The state was written without the engine's log: make it durable up to
  // (at least) the snapshot's index before the entries that rebuild it go.
  const Status checkpoint = co_await run_blocking(image_executor_, [&] { return engine_.checkpoint(); });
  if (!checkpoint) {
    spdlog::error("raft group {}: cannot checkpoint the state before compacting: {}", group_,
                  checkpoint.to_string());
    co_return false;
  }
  auto image = std::make_shared<const std::string>(snapshot.data);
  const Status status =
      co_await log_.async_compact(group_, snapshot.metadata, std::move(image), asio::use_awaitable);
  if (!status) {
    spdlog::error("raft group {}: cannot record a compaction: {}", group_, status.to_string());
    co_return false;
  }
  co_return true;
}

}  // namespace kahuna
