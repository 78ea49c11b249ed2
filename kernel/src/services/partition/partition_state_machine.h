// PartitionStateMachine: everything one partition stores — locks, keys and
// sequences, and on partition 0 the cluster's metadata — behind the single entry point the Raft driver calls
// for each committed log entry, plus the reads and the snapshot image of the partition.
//
// Determinism: the outcome of apply() depends only on the entry's bytes and
// the state before it (and ServiceOptions, which all replicas share). No
// clock, no randomness, no unordered iteration; "now" is the command's stamp.
//
// The driver's loop, for each batch of committed entries:
//   ApplyContext ctx(engine_reader);           // reads see earlier entries of the batch
//   for (entry : committed) machine.apply(entry.data, ctx, reply);  // reply to the waiting proposer, if any
//   batch = ctx.take_batch(); batch.put(applied-index key, ...);   // commit both in one write
//   co_await log_writer.write(std::move(batch));
// Ephemeral (leader-memory) locks and keys use the same machine over a
// MemoryState: see apply_ephemeral().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "services/cluster/cluster_metadata.h"
#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/kv/kv_reads.h"
#include "services/kv/kv_state_machine.h"
#include "services/locks/lock_state_machine.h"
#include "services/partition/request_table.h"
#include "services/partition/service_options.h"
#include "services/sequences/sequence_observer.h"
#include "services/sequences/sequence_state_machine.h"
#include "services/storage/apply_context.h"
#include "services/tx/tx_state_machine.h"

namespace kahuna::services {

class PartitionStateMachine {
 public:
  explicit PartitionStateMachine(std::uint32_t partition_id, const ServiceOptions& options = {});

  // Applies one committed entry: stages its writes into `ctx` and sets
  // `reply`. A command with a request id runs only if that id was not
  // applied before; a repeat gets the first apply's reply and changes
  // nothing (request_table.h), and an id reused by a different command gets
  // the family's invalidInput. An entry that does not decode changes nothing and gets a
  // RejectedCommand reply, identically on every replica. A non-ok Status is a
  // storage failure (or corrupt stored state): `ctx` is left as it was before
  // the entry, and the driver must stop applying (and retry the entry later)
  // rather than skip it, or this replica would diverge.
  Status apply(std::string_view entry, ApplyContext& ctx, Reply& reply) const;
  // Same, for an already decoded command.
  Status apply(const Command& command, ApplyContext& ctx, Reply& reply) const;

  // The leader's sequence allocator, told about blocks and changes during
  // apply; nullptr (the default) on followers. Must outlive its use here.
  void set_sequence_observer(SequenceObserver* observer) noexcept { observer_ = observer; }

  // Reads (see each component for its contract).
  const LockStateMachine& locks() const noexcept { return locks_; }
  const KvReads& kv_reads() const noexcept { return kv_reads_; }
  const SequenceStateMachine& sequences() const noexcept { return sequences_; }
  // The cluster's metadata (held by partition 0 only).
  const ClusterMetadataMachine& metadata() const noexcept { return metadata_; }
  const KvStateMachine& kv() const noexcept { return kv_; }
  // Transactions' intents and decision records.
  const TxStateMachine& tx() const noexcept { return tx_; }

  // The partition's whole state, key by key in order, from `reader` (which
  // must be a consistent view: an engine snapshot or a MemoryState). Keys are
  // given relative to the partition (family byte first) so an image does not
  // depend on where the partition is stored. A non-ok status from `sink`
  // stops the export and is returned.
  using SnapshotSink = std::function<Status(std::string_view relative_key, std::string_view value)>;
  Status export_state(const StateReader& reader, const SnapshotSink& sink) const;

  // The export as one self-checking byte string (for the Raft snapshot).
  Status encode_snapshot(const StateReader& reader, std::string& image) const;

  // Replaces the partition's state by `image`: stages a deletion of the
  // partition's whole key range, then every entry. kCorruption, with nothing
  // staged, when the image does not decode, fails its checksum or belongs to
  // another partition.
  Status restore_snapshot(std::string_view image, ApplyContext& ctx) const;

  std::uint32_t partition_id() const noexcept { return layout_.partition_id(); }

 private:
  Status dispatch(const Command& command, ApplyContext& ctx, Reply& reply) const;
  // Runs `command` at most once per request id (the id must be present).
  Status apply_once(const Command& command, ApplyContext& ctx, Reply& reply) const;

  KeyLayout layout_;
  RequestTable requests_;
  LockStateMachine locks_;
  KvStateMachine kv_;
  KvReads kv_reads_;
  SequenceStateMachine sequences_;
  ClusterMetadataMachine metadata_;
  TxStateMachine tx_;
  SequenceObserver* observer_ = nullptr;
};

}  // namespace kahuna::services
