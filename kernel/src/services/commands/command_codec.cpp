#include "services/commands/command_codec.h"

#include <iterator>

#include "codec/variant_alternative.h"
#include "services/cluster/cluster_fields.h"
#include "services/codec/field_io.h"

namespace kahuna::services {

// ---- Bodies: each command's fields, in declaration order ----
// (SequenceCreate and SequenceUpdate are the public requests: codec/type_fields.h.)

KAHUNA_FIELDS(LockTryLock, resource, owner, expires_ms)
KAHUNA_FIELDS(LockTryExtend, resource, owner, expires_ms)
KAHUNA_FIELDS(LockUnlock, resource, owner)
KAHUNA_FIELDS(KvSet, key, value, compare_value, compare_revision, expires_ms, flags)
KAHUNA_FIELDS(KvDelete, key)
KAHUNA_FIELDS(KvExtend, key, expires_ms)
KAHUNA_FIELDS(KvSetMany, items)
KAHUNA_FIELDS(KvDeleteMany, keys)
KAHUNA_FIELDS(KvExpire, key, revision)
KAHUNA_FIELDS(SequenceDelete, name)
KAHUNA_FIELDS(SequenceReserveBlock, name, count, default_block_size)
KAHUNA_FIELDS(SequenceNext, name, idempotency_key)
KAHUNA_FIELDS(SequenceReserveRange, name, count, idempotency_key)
KAHUNA_FIELDS(MetadataBootstrap, members, replication_factor, data_partitions)
KAHUNA_FIELDS(MetadataJoin, member)
KAHUNA_FIELDS(MetadataSetMemberState, id, state)
KAHUNA_FIELDS(MetadataRemoveMember, id)
KAHUNA_FIELDS(MetadataSetReplicationFactor, replication_factor, partition)
KAHUNA_FIELDS(MetadataReportReplicas, partition, term, conf_index, leader, voters, learners)
KAHUNA_FIELDS(TxWrite, key, kind, value, expires_ms, keep_history)
KAHUNA_FIELDS(TxRead, key, revision, live)
KAHUNA_FIELDS(TxPrepare, tx, deadline, anchor, writes, reads, participants)
KAHUNA_FIELDS(TxDecide, tx, commit)
KAHUNA_FIELDS(TxResolve, tx, commit, commit_stamp, keys)
KAHUNA_FIELDS(TxCommitLocal, tx, writes, reads)
KAHUNA_FIELDS(TxForget, tx)
KAHUNA_FIELDS(TxDecideResolve, tx, commit, keys)
KAHUNA_FIELDS(TxQuery, tx)

namespace {

// Each CommandBody alternative's type number, in the variant's order.
constexpr CommandType kTypes[] = {
    CommandType::kLockTryLock,
    CommandType::kLockTryExtend,
    CommandType::kLockUnlock,
    CommandType::kKvSet,
    CommandType::kKvDelete,
    CommandType::kKvExtend,
    CommandType::kKvSetMany,
    CommandType::kKvDeleteMany,
    CommandType::kKvExpire,
    CommandType::kSequenceCreate,
    CommandType::kSequenceUpdate,
    CommandType::kSequenceDelete,
    CommandType::kSequenceReserveBlock,
    CommandType::kSequenceNext,
    CommandType::kSequenceReserveRange,
    CommandType::kMetadataBootstrap,
    CommandType::kMetadataJoin,
    CommandType::kMetadataSetMemberState,
    CommandType::kMetadataRemoveMember,
    CommandType::kMetadataSetReplicationFactor,
    CommandType::kMetadataReportReplicas,
    CommandType::kTxPrepare,
    CommandType::kTxDecide,
    CommandType::kTxResolve,
    CommandType::kTxCommitLocal,
    CommandType::kTxForget,
    CommandType::kTxDecideResolve,
    CommandType::kTxQuery,
};
static_assert(std::size(kTypes) == std::variant_size_v<CommandBody>);

}  // namespace

CommandType command_type(const CommandBody& body) noexcept { return kTypes[body.index()]; }

std::string encode_command(const Command& command) {
  ByteWriter w;
  const RequestId& id = command.request_id;
  w.u8(id.present() ? kCommandFormatWithRequestId : kCommandFormat);
  w.u8(static_cast<std::uint8_t>(command_type(command.body)));
  w.hlc(command.stamp);
  if (id.present()) {
    w.varint(id.client);
    w.varint(id.sequence);
    w.varint(id.part);
  }
  std::visit([&w](const auto& body) { write_fields(w, body); }, command.body);
  return w.take();
}

Status decode_command(std::string_view data, Command& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  std::uint8_t type = 0;
  if (!r.u8(format) || (format != kCommandFormat && format != kCommandFormatWithRequestId)) {
    return Status::corruption("unknown command format");
  }
  if (!r.u8(type)) return Status::corruption("truncated command");
  if (!r.hlc(out.stamp)) return Status::corruption("truncated command stamp");
  out.request_id = RequestId{};
  if (format == kCommandFormatWithRequestId) {
    RequestId& id = out.request_id;
    if (!r.varint(id.client) || !r.varint(id.sequence) || !r.int_in_range(id.part)) {
      return Status::corruption("truncated command request id");
    }
    if (!id.present()) return Status::corruption("a format 2 command with an empty request id");
  }
  const auto named = [&](std::size_t index) { return kTypes[index] == static_cast<CommandType>(type); };
  if (!codec::read_named_alternative(out.body, named, [&](auto& body) { return read_fields(r, body); })) {
    return Status::corruption("truncated or unknown command body");
  }
  if (!r.done()) return Status::corruption("trailing bytes after command");
  return Status::ok();
}

}  // namespace kahuna::services
