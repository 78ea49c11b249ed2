// Test harness: one replica of a partition as the Raft driver runs it —
// committed entries are encoded commands, applied in order through an
// ApplyContext over the replica's state, whose batch is then committed.
// MemoryState stands in for the storage engine.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "services/commands/command_codec.h"
#include "services/partition/partition_state_machine.h"
#include "services/storage/memory_state.h"

namespace kahuna::services::testing {

// A leader stamp at wall-clock `ms` (node 1, counter 0).
inline HlcTimestamp at(std::int64_t ms, std::uint32_t logical = 0) { return HlcTimestamp{1, ms, logical}; }

inline std::string entry(std::int64_t ms, CommandBody body) {
  return encode_command(Command{at(ms), std::move(body)});
}

// An entry proposed by the leader `node`.
inline std::string entry_from(std::int32_t node, std::int64_t ms, CommandBody body) {
  return encode_command(Command{HlcTimestamp{node, ms, 0}, std::move(body)});
}

class Replica {
 public:
  explicit Replica(std::uint32_t partition_id = 7, const ServiceOptions& options = {})
      : machine_(partition_id, options) {}

  // Applies one entry as a batch of its own and commits it.
  Reply apply(const std::string& encoded) { return apply_batch({encoded}).front(); }

  // Applies entries as one batch: later entries read earlier ones' staged
  // writes; the batch is committed once, at the end.
  std::vector<Reply> apply_batch(const std::vector<std::string>& entries) {
    ApplyContext ctx(state_);
    std::vector<Reply> replies;
    for (const auto& e : entries) {
      Reply reply;
      Status status = machine_.apply(e, ctx, reply);
      EXPECT_TRUE(status.is_ok()) << status.to_string();
      replies.push_back(std::move(reply));
    }
    state_.apply(ctx.take_batch());
    return replies;
  }

  LockReply lock(std::int64_t ms, CommandBody body) {
    return std::get<LockReply>(apply(entry(ms, std::move(body))));
  }
  KvReply kv(std::int64_t ms, CommandBody body) {
    return std::get<KvReply>(apply(entry(ms, std::move(body))));
  }
  KvBatchReply kv_batch(std::int64_t ms, CommandBody body) {
    return std::get<KvBatchReply>(apply(entry(ms, std::move(body))));
  }
  TxReply tx(std::int64_t ms, CommandBody body) {
    return std::get<TxReply>(apply(entry(ms, std::move(body))));
  }
  SequenceReply seq(std::int64_t ms, CommandBody body) {
    return std::get<SequenceReply>(apply(entry(ms, std::move(body))));
  }

  // Reads as of wall-clock `ms`.
  LockReply lock_info(std::int64_t ms, const std::string& resource) {
    LockReply reply;
    EXPECT_TRUE(machine_.locks().get_info(state_, resource, at(ms), reply).is_ok());
    return reply;
  }
  KvReply get(std::int64_t ms, const std::string& key, std::int64_t revision = -1,
              HlcTimestamp read_ts = {}) {
    KvReply reply;
    EXPECT_TRUE(machine_.kv_reads().get(state_, KvGetQuery{key, revision, read_ts}, at(ms), reply).is_ok());
    return reply;
  }
  KvReply exists(std::int64_t ms, const std::string& key, std::int64_t revision = -1,
                 HlcTimestamp read_ts = {}) {
    KvReply reply;
    EXPECT_TRUE(
        machine_.kv_reads().exists(state_, KvGetQuery{key, revision, read_ts}, at(ms), reply).is_ok());
    return reply;
  }
  SequenceReply seq_get(const std::string& name) {
    SequenceReply reply;
    EXPECT_TRUE(machine_.sequences().get(state_, name, reply).is_ok());
    return reply;
  }

  MemoryState& state() { return state_; }
  PartitionStateMachine& machine() { return machine_; }

 private:
  PartitionStateMachine machine_;
  MemoryState state_;
};

}  // namespace kahuna::services::testing
