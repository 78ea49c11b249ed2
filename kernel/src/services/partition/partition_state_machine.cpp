#include "services/partition/partition_state_machine.h"

#include <type_traits>
#include <utility>

#include "services/commands/command_codec.h"
#include "services/commands/reply_codec.h"
#include "services/partition/snapshot_image.h"

namespace kahuna::services {

PartitionStateMachine::PartitionStateMachine(std::uint32_t partition_id, const ServiceOptions& options)
    : layout_(partition_id),
      requests_(partition_id, options.requests),
      locks_(partition_id),
      kv_(partition_id, options.kv),
      kv_reads_(partition_id, options.kv),
      sequences_(partition_id, options.sequences),
      metadata_(partition_id),
      tx_(partition_id, options.kv) {}

Status PartitionStateMachine::apply(std::string_view entry, ApplyContext& ctx, Reply& reply) const {
  Command command;
  if (Status decoded = decode_command(entry, command); !decoded.is_ok()) {
    reply = RejectedCommand{decoded.message()};
    return Status::ok();
  }
  return apply(command, ctx, reply);
}

Status PartitionStateMachine::apply(const Command& command, ApplyContext& ctx, Reply& reply) const {
  // The command runs over a child context that joins `ctx` only once it has
  // completed, so a storage error half-way leaves `ctx` as it was.
  ApplyContext child(static_cast<const StateReader&>(ctx));
  Status s =
      command.request_id.present() ? apply_once(command, child, reply) : dispatch(command, child, reply);
  if (!s.is_ok()) return s;
  ctx.merge(child);
  return Status::ok();
}

namespace {

template <class T>
constexpr bool IsTxCommand =
    std::is_same_v<T, TxPrepare> || std::is_same_v<T, TxDecide> || std::is_same_v<T, TxResolve> ||
    std::is_same_v<T, TxCommitLocal> || std::is_same_v<T, TxForget> || std::is_same_v<T, TxDecideResolve> ||
    std::is_same_v<T, TxQuery>;

template <class T>
constexpr bool IsMetadataCommand =
    std::is_same_v<T, MetadataBootstrap> || std::is_same_v<T, MetadataJoin> ||
    std::is_same_v<T, MetadataSetMemberState> || std::is_same_v<T, MetadataRemoveMember> ||
    std::is_same_v<T, MetadataSetReplicationFactor> || std::is_same_v<T, MetadataReportReplicas>;

// The family's invalidInput, for a command whose request id another command
// already used: answering it with the other command's reply would be a lie.
Reply reused_id_reply(const CommandBody& body) {
  return std::visit(
      [](const auto& command) -> Reply {
        using T = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<T, LockTryLock> || std::is_same_v<T, LockTryExtend> ||
                      std::is_same_v<T, LockUnlock>) {
          return LockReply{LockCode::kInvalidInput};
        } else if constexpr (std::is_same_v<T, KvSetMany>) {
          return KvBatchReply{std::vector<KvReply>(command.items.size(), KvReply{KvCode::kInvalidInput})};
        } else if constexpr (std::is_same_v<T, KvDeleteMany>) {
          return KvBatchReply{std::vector<KvReply>(command.keys.size(), KvReply{KvCode::kInvalidInput})};
        } else if constexpr (std::is_same_v<T, KvSet> || std::is_same_v<T, KvDelete> ||
                             std::is_same_v<T, KvExtend> || std::is_same_v<T, KvExpire>) {
          return KvReply{KvCode::kInvalidInput};
        } else if constexpr (IsMetadataCommand<T>) {
          return MetadataReply{MetadataCode::kInvalidInput};
        } else if constexpr (IsTxCommand<T>) {
          return TxReply{TxCode::kInvalidInput};
        } else {
          return SequenceReply{SequenceCode::kInvalidInput};
        }
      },
      body);
}

}  // namespace

Status PartitionStateMachine::apply_once(const Command& command, ApplyContext& ctx, Reply& reply) const {
  std::optional<RememberedRequest> seen;
  if (Status s = requests_.find(ctx, command.request_id, seen); !s.is_ok()) return s;
  const std::uint64_t fingerprint = command_fingerprint(command.body);
  if (seen) {
    if (seen->fingerprint != fingerprint) {
      reply = reused_id_reply(command.body);
      return Status::ok();
    }
    return decode_reply(seen->reply, reply);  // a repeat: the first apply's answer, nothing changes
  }
  if (Status s = dispatch(command, ctx, reply); !s.is_ok()) return s;
  return requests_.remember(ctx, command.request_id, command.stamp,
                            RememberedRequest{fingerprint, encode_reply(reply)});
}

Status PartitionStateMachine::dispatch(const Command& command, ApplyContext& ctx, Reply& reply) const {
  const HlcTimestamp& stamp = command.stamp;
  return std::visit(
      [&](const auto& body) -> Status {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, LockTryLock> || std::is_same_v<T, LockTryExtend> ||
                      std::is_same_v<T, LockUnlock>) {
          LockReply out;
          Status s;
          if constexpr (std::is_same_v<T, LockTryLock>) s = locks_.try_lock(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, LockTryExtend>) s = locks_.try_extend(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, LockUnlock>) s = locks_.unlock(ctx, stamp, body, out);
          reply = std::move(out);
          return s;
        } else if constexpr (std::is_same_v<T, KvSetMany> || std::is_same_v<T, KvDeleteMany>) {
          KvBatchReply out;
          Status s;
          if constexpr (std::is_same_v<T, KvSetMany>) s = kv_.set_many(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, KvDeleteMany>) s = kv_.delete_many(ctx, stamp, body, out);
          reply = std::move(out);
          return s;
        } else if constexpr (std::is_same_v<T, KvSet> || std::is_same_v<T, KvDelete> ||
                             std::is_same_v<T, KvExtend> || std::is_same_v<T, KvExpire>) {
          KvReply out;
          Status s;
          if constexpr (std::is_same_v<T, KvSet>) s = kv_.set(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, KvDelete>) s = kv_.remove(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, KvExtend>) s = kv_.extend(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, KvExpire>) s = kv_.expire(ctx, stamp, body, out);
          reply = std::move(out);
          return s;
        } else if constexpr (IsTxCommand<T>) {
          TxReply out;
          Status s;
          if constexpr (std::is_same_v<T, TxPrepare>) s = tx_.prepare(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, TxDecide>) s = tx_.decide(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, TxResolve>) s = tx_.resolve(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, TxCommitLocal>) s = tx_.commit_local(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, TxForget>) s = tx_.forget(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, TxDecideResolve>) s = tx_.decide_and_resolve(ctx, stamp, body, out);
          if constexpr (std::is_same_v<T, TxQuery>) s = tx_.query(ctx, body, out);
          reply = std::move(out);
          return s;
        } else if constexpr (IsMetadataCommand<T>) {
          MetadataReply out;
          Status s;
          if constexpr (std::is_same_v<T, MetadataBootstrap>) s = metadata_.bootstrap(ctx, body, out);
          if constexpr (std::is_same_v<T, MetadataJoin>) s = metadata_.join(ctx, body, out);
          if constexpr (std::is_same_v<T, MetadataSetMemberState>)
            s = metadata_.set_member_state(ctx, body, out);
          if constexpr (std::is_same_v<T, MetadataRemoveMember>) s = metadata_.remove_member(ctx, body, out);
          if constexpr (std::is_same_v<T, MetadataSetReplicationFactor>) {
            s = metadata_.set_replication_factor(ctx, body, out);
          }
          if constexpr (std::is_same_v<T, MetadataReportReplicas>)
            s = metadata_.report_replicas(ctx, body, out);
          reply = std::move(out);
          return s;
        } else {
          SequenceReply out;
          Status s;
          if constexpr (std::is_same_v<T, SequenceCreate>)
            s = sequences_.create(ctx, stamp, body, out, observer_);
          if constexpr (std::is_same_v<T, SequenceUpdate>)
            s = sequences_.update(ctx, stamp, body, out, observer_);
          if constexpr (std::is_same_v<T, SequenceDelete>)
            s = sequences_.remove(ctx, stamp, body, out, observer_);
          if constexpr (std::is_same_v<T, SequenceReserveBlock>) {
            s = sequences_.reserve_block(ctx, stamp, body, out, observer_);
          }
          if constexpr (std::is_same_v<T, SequenceNext>)
            s = sequences_.next(ctx, stamp, body, out, observer_);
          if constexpr (std::is_same_v<T, SequenceReserveRange>) {
            s = sequences_.reserve_range(ctx, stamp, body, out, observer_);
          }
          reply = std::move(out);
          return s;
        }
      },
      command.body);
}

Status PartitionStateMachine::export_state(const StateReader& reader, const SnapshotSink& sink) const {
  const KeyRange range = layout_.partition_range();
  const std::size_t prefix_size = range.begin.size();
  auto cursor = reader.scan(range.begin, range.end);
  for (; cursor->valid(); cursor->next()) {
    if (Status s = sink(cursor->key().substr(prefix_size), cursor->value()); !s.is_ok()) return s;
  }
  return cursor->status();
}

Status PartitionStateMachine::encode_snapshot(const StateReader& reader, std::string& image) const {
  SnapshotImageWriter writer(layout_.partition_id());
  Status status = export_state(reader, [&writer](std::string_view key, std::string_view value) {
    writer.add(key, value);
    return Status::ok();
  });
  if (!status.is_ok()) return status;
  image = writer.finish();
  return Status::ok();
}

Status PartitionStateMachine::restore_snapshot(std::string_view image, ApplyContext& ctx) const {
  std::vector<SnapshotEntry> entries;
  if (Status s = decode_snapshot_image(image, layout_.partition_id(), entries); !s.is_ok()) return s;
  const KeyRange range = layout_.partition_range();
  ctx.remove_range(range.begin, range.end);
  for (const auto& entry : entries) ctx.put(range.begin + std::string(entry.relative_key), entry.value);
  return Status::ok();
}

}  // namespace kahuna::services
