#include "replication/partition_replica.h"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "replication/raft_keys.h"
#include "services/commands/command_codec.h"
#include "services/commands/reply_codec.h"
#include "services/storage/apply_context.h"
#include "services/storage/engine_state_reader.h"
#include "storage/run_blocking.h"

namespace kahuna {
namespace {

std::string encode_index(raft::Index index) {
  std::string out;
  raft_keys::append_u64_be(out, index);
  return out;
}

// A replica that cannot read or write its own state cannot go on without
// diverging from the others; stopping is the only safe answer, and Raft
// brings it back from its log on restart.
[[noreturn]] void fail_stop(std::uint32_t partition, const Status& status) {
  spdlog::critical("partition {}: cannot apply committed entries: {}; stopping the node", partition,
                   status.to_string());
  spdlog::shutdown();
  std::abort();
}

// The partition's state as a storage snapshot taken between applies. Its
// image is encoded on the image executor's thread: reading the whole state
// blocks on the disk, and the io thread must go on serving meanwhile.
class FrozenState final : public raft::StateMachine::Image {
 public:
  FrozenState(StorageEngine& engine, const services::PartitionStateMachine& machine,
              std::unique_ptr<Snapshot> view, asio::any_io_executor image_executor)
      : engine_(engine),
        machine_(machine),
        view_(std::move(view)),
        image_executor_(std::move(image_executor)) {}

  asio::awaitable<std::string> encode() override {
    std::string image;
    const Status status = co_await run_blocking(image_executor_, [&] {
      services::EngineStateReader reader(engine_, view_.get());
      return machine_.encode_snapshot(reader, image);
    });
    if (!status) fail_stop(machine_.partition_id(), status);
    co_return image;
  }

 private:
  StorageEngine& engine_;
  const services::PartitionStateMachine& machine_;
  std::unique_ptr<Snapshot> view_;
  asio::any_io_executor image_executor_;
};

}  // namespace

Status PartitionReplica::open(StorageEngine& engine, LogWriter& log_writer, std::uint32_t partition,
                              const services::ServiceOptions& options, services::HybridClock& clock,
                              asio::any_io_executor image_executor, Options replica_options,
                              std::unique_ptr<PartitionReplica>& out) {
  std::unique_ptr<PartitionReplica> replica(new PartitionReplica(
      engine, log_writer, partition, options, clock, std::move(image_executor), replica_options));
  std::string value;
  const Status status = engine.get(raft_keys::applied_key(partition), value);
  if (status) {
    if (value.size() != 8)
      return Status::corruption("partition " + std::to_string(partition) + ": bad applied index");
    replica->applied_ = raft_keys::read_u64_be(value.data());
  } else if (status.code() != StatusCode::kNotFound) {
    return status;
  }
  out = std::move(replica);
  return Status::ok();
}

asio::awaitable<std::vector<std::string>> PartitionReplica::apply(const std::vector<raft::Entry>& entries) {
  std::vector<std::string> outputs(entries.size());
  services::ApplyContext ctx(state_cache_);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const raft::Entry& entry = entries[i];
    if (entry.type != raft::EntryType::kNormal || entry.data.empty()) continue;  // membership, leader no-op
    services::Command command;
    services::Reply reply;
    Status status;
    if (services::decode_command(entry.data, command)) {
      clock_.update(command.stamp);
      status = machine_.apply(command, ctx, reply);
    } else {
      status = machine_.apply(entry.data, ctx, reply);  // rejected the same way on every replica
    }
    if (!status) fail_stop(partition(), status);
    outputs[i] = services::encode_reply(reply);
  }
  WriteBatch batch = ctx.take_batch();
  const raft::Index last = entries.back().index;
  batch.put(raft_keys::applied_key(partition()), encode_index(last));
  // A failed write stops the node, so the cache may run ahead of the engine
  // by this batch; nothing reads the engine for this partition until it lands.
  state_cache_.update(batch);
  const LogWriter::Mode mode = unlogged_ ? LogWriter::Mode::kUnlogged : LogWriter::Mode::kUnsynced;
  if (Status status = co_await log_writer_.write(std::move(batch), mode); !status) {
    fail_stop(partition(), status);
  }
  applied_ = last;
  co_return outputs;
}

std::unique_ptr<raft::StateMachine::Image> PartitionReplica::capture() {
  // Called between applies: the engine holds exactly the applied state.
  std::unique_ptr<Snapshot> view;
  if (Status status = engine_.snapshot(view); !status) fail_stop(partition(), status);
  return std::make_unique<FrozenState>(engine_, machine_, std::move(view), image_executor_);
}

Status PartitionReplica::stage_restore(const raft::Snapshot& snapshot, WriteBatch& batch) const {
  services::EngineStateReader engine_reader(engine_);
  services::ApplyContext ctx(engine_reader);
  if (!snapshot.data.empty()) {
    if (Status status = machine_.restore_snapshot(snapshot.data, ctx); !status) return status;
  }
  batch = ctx.take_batch();
  batch.put(raft_keys::applied_key(partition()), encode_index(snapshot.metadata.index));
  return Status::ok();
}

asio::awaitable<bool> PartitionReplica::restore(const raft::Snapshot& snapshot) {
  WriteBatch batch;
  state_cache_.clear();
  if (Status status = stage_restore(snapshot, batch); !status) {
    spdlog::error("partition {}: cannot restore snapshot at index {}: {}", partition(),
                  snapshot.metadata.index, status.to_string());
    co_return false;
  }
  // With the segmented log a restored state need not be durable: the log
  // already records the snapshot, and a replica that lost the restore in a
  // crash restores it again from the snapshot file at open (catch_up_with).
  const LogWriter::Mode mode = unlogged_ ? LogWriter::Mode::kUnlogged : LogWriter::Mode::kSynced;
  if (Status status = co_await log_writer_.write(std::move(batch), mode); !status) {
    fail_stop(partition(), status);
  }
  applied_ = snapshot.metadata.index;
  co_return true;
}

Status PartitionReplica::catch_up_with(const raft::Snapshot& stored) {
  if (stored.metadata.index <= applied_.load()) return Status::ok();
  spdlog::info("partition {}: restoring the stored snapshot at index {} (applied {})", partition(),
               stored.metadata.index, applied_.load());
  WriteBatch batch;
  state_cache_.clear();
  if (Status status = stage_restore(stored, batch); !status) return status;
  WriteOptions options;
  options.sync = !unlogged_;
  options.log = !unlogged_;
  if (Status status = engine_.write(batch, options); !status) return status;
  applied_ = stored.metadata.index;
  return Status::ok();
}

}  // namespace kahuna
