// The field lists (codec/field_list.h) of the public value types: requests,
// replies and cluster status, in the order every codec writes them.
//
// The binary protocol encodes all of them (docs/protocol.md §4, §5); the
// Raft log reuses the sequence requests as its commands. The order is part
// of both formats: append a field only at the end of a list, and only with
// a version bump of the format that carries it.
#pragma once

#include <kahuna/types.h>

#include "field_list.h"

namespace kahuna {

// ---- Locks ----
KAHUNA_FIELDS(LockRequest, resource, owner, expires_ms, durability)
KAHUNA_FIELDS(LockReply, code, fencing_token, owner, expires)

// ---- Key/value ----
KAHUNA_FIELDS(KvSetRequest, key, value, compare_value, compare_revision, expires_ms, flags, durability)
KAHUNA_FIELDS(KvGetQuery, key, revision, read_timestamp)
KAHUNA_FIELDS(KvGetRequest, query, durability)
KAHUNA_FIELDS(KvKeyRequest, key, durability)
KAHUNA_FIELDS(KvExtendRequest, key, expires_ms, durability)
KAHUNA_FIELDS(KvReply, code, revision, last_modified, value, expires)
KAHUNA_FIELDS(KvBatchReply, items)
KAHUNA_FIELDS(KvPrefixRequest, prefix, read_timestamp, durability, partition)
KAHUNA_FIELDS(KvRangeQuery, key_space, start_key, start_inclusive, end_key, end_inclusive, limit, cursor,
              read_timestamp)
KAHUNA_FIELDS(KvRangeRequest, query, durability)
KAHUNA_FIELDS(KvItem, key, value, revision, last_modified, expires)
KAHUNA_FIELDS(KvScanReply, code, items)
KAHUNA_FIELDS(KvRangePage, code, items, has_more, next_cursor)

// ---- Sequences ----
KAHUNA_FIELDS(SequenceCreateRequest, name, initial_value, increment, max_value, block_size)
KAHUNA_FIELDS(SequenceUpdateRequest, name, current_value, increment, initial_value, max_value, block_size,
              remove_max_value, remove_block_size)
KAHUNA_FIELDS(SequenceReserveRequest, name, count, idempotency_key)
KAHUNA_FIELDS(SequenceAllocation, name, start, end, count, revision)
KAHUNA_FIELDS(SequenceInfo, name, current_value, initial_value, increment, max_value, block_size, incarnation,
              revision, created_at, updated_at)
KAHUNA_FIELDS(SequenceReply, code, revision, sequence, allocation, leftover, increment)

// ---- Routing and cluster status ----
KAHUNA_FIELDS(Route, partition, leader, provenance, metadata_version)
KAHUNA_FIELDS(NodeInfo, id, peer_address, endpoints, connected, state, joined_version)
KAHUNA_FIELDS(PartitionInfo, id, leader, role, term, commit_index, applied_index, first_index, last_index,
              voters, learners, generation, target, hosted)
KAHUNA_FIELDS(ClusterStatus, node_id, data_partitions, nodes, partitions, metadata_version,
              replication_factor)

// ---- Cluster administration ----
KAHUNA_FIELDS(ClusterJoinRequest, seeds)
KAHUNA_FIELDS(ClusterMemberRequest, node_id)
KAHUNA_FIELDS(ReplicationFactorRequest, replication_factor, partition)
KAHUNA_FIELDS(ClusterChangeReply, code, metadata_version, message)

// ---- Transactions ----
KAHUNA_FIELDS(TxStepRequest, partition, command)
KAHUNA_FIELDS(TxReply, code, key, holder, holder_anchor, commit_stamp, revisions)
KAHUNA_FIELDS(ScriptParameter, name, value)
KAHUNA_FIELDS(ScriptRequest, script, hash, parameters)
KAHUNA_FIELDS(ScriptValueRow, key, value, revision, expires, last_modified)
KAHUNA_FIELDS(ScriptReply, code, reason, values)
KAHUNA_FIELDS(TxStartRequest, coordinator_key, timeout_ms, locking, read_timestamp)
KAHUNA_FIELDS(TxContext, transaction_id, coordinator_key, operation_id_high, operation_id_low)
KAHUNA_FIELDS(TxEndRequest, context, record_anchor_key)
KAHUNA_FIELDS(TxLockRequest, context, key, expires_ms, durability)
KAHUNA_FIELDS(TxKvSetRequest, context, request)
KAHUNA_FIELDS(TxKvGetRequest, context, request)
KAHUNA_FIELDS(TxKvKeyRequest, context, request)
KAHUNA_FIELDS(TxKvExtendRequest, context, request)
KAHUNA_FIELDS(TxKvPrefixRequest, context, request)
KAHUNA_FIELDS(TxKvDeleteManyRequest, context, items)
KAHUNA_FIELDS(TxSessionReply, code, transaction_id, record_anchor_key, holder, reason)

// A routed reply: the reply's own fields, then its route.
template <class Io, class Reply>
void fields(Io& io, Routed<Reply>& value) {
  io("", value.reply);
  io("route", value.route);
}
template <class Io, class Reply>
void fields(Io& io, const Routed<Reply>& value) {
  io("", value.reply);
  io("route", value.route);
}

}  // namespace kahuna
