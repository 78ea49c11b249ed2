// KvStateMachine: the replicated writes of the key/value store
// (HTTP-API.md §6.1, §6.2).
//
// Revisions: a key never written has revision -1; its first write gets 0 and
// every later write, delete included, the current revision + 1, also across
// delete/re-create and TTL expiry. Extend keeps the revision. A delete writes
// a tombstone with its own revision. A TTL removal (expire) keeps the expired
// revision, so a key's numbering does not depend on when the leader got round
// to removing it. Liveness is judged at the command's stamp.
//
// A key that a transaction's intent holds (tx/tx_state_machine.h) refuses
// set, delete and extend with mustRetry: nothing is applied, and the intent
// is resolved when its transaction is decided.
//
// Apply functions stage their writes into `ctx` and fill `reply`. A non-ok
// Status means the state could not be read (a storage failure): the reply is
// meaningless and the caller must not go on applying.
#pragma once

#include <cstdint>

#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/kv/kv_version_store.h"
#include "services/tx/tx_state_machine.h"

namespace kahuna::services {

class KvStateMachine {
 public:
  KvStateMachine(std::uint32_t partition_id, const KvOptions& options)
      : store_(partition_id, options), intents_(partition_id, options) {}

  // set (new revision, lastModified = stamp) or notSet (the current revision:
  // -1 never written, the tombstone's for a deleted key) when a flag's
  // condition fails; invalidInput for an empty, reserved or oversized key, an
  // oversized value, expires_ms < 0 or unknown flag bits (64, 128, ...).
  Status set(ApplyContext& ctx, const HlcTimestamp& stamp, const KvSet& command, KvReply& reply) const;

  // deleted (the tombstone's revision = live revision + 1), doesNotExist for a
  // missing, deleted or expired key, invalidInput.
  Status remove(ApplyContext& ctx, const HlcTimestamp& stamp, const KvDelete& command, KvReply& reply) const;

  // extended (same revision, expiry = stamp + expires_ms), doesNotExist,
  // invalidInput (expires_ms <= 0, bad key).
  Status extend(ApplyContext& ctx, const HlcTimestamp& stamp, const KvExtend& command, KvReply& reply) const;

  // One row per item, in order, each as set()/remove() would answer it; a
  // later item sees the earlier ones. An invalid item fails only its row.
  Status set_many(ApplyContext& ctx, const HlcTimestamp& stamp, const KvSetMany& command,
                  KvBatchReply& reply) const;
  Status delete_many(ApplyContext& ctx, const HlcTimestamp& stamp, const KvDeleteMany& command,
                     KvBatchReply& reply) const;

  // TTL removal: deleted (revision unchanged) when the key still holds
  // `command.revision` and it has expired as of the stamp; otherwise nothing
  // changes and the reply is notSet with the current revision (or
  // doesNotExist for a key never written).
  Status expire(ApplyContext& ctx, const HlcTimestamp& stamp, const KvExpire& command, KvReply& reply) const;

  const KvVersionStore& store() const noexcept { return store_; }

 private:
  bool valid_key(std::string_view key) const noexcept;
  // Whether a transaction's intent holds `key`.
  Status held_by_intent(const StateReader& reader, std::string_view key, bool& held) const;

  KvVersionStore store_;
  TxStateMachine intents_;
};

}  // namespace kahuna::services
