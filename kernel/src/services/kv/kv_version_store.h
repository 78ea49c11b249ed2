// KvVersionStore: how a key's versions are laid out in storage — the current
// record, the history of superseded revisions and the TTL index — and the
// reads that resolve a version by revision or by timestamp.
//
// Invariants it keeps (see storage/key_layout.h for the keys):
//  - the current record exists for every key ever written; deletes and TTL
//    removals leave a tombstone there, so revision numbers continue;
//  - a history entry (key, r) holds revision r once a later write superseded
//    it (or a TTL removal dropped its value); a revision written with
//    setNoRevision leaves only a value-less marker (its time, not its value); history
//    keeps the last KvOptions::history_revisions revisions;
//  - the TTL index holds (expiry, key) -> revision for exactly the current
//    records that are live-state with a non-zero expiry.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "services/kv/kv_options.h"
#include "services/kv/kv_record.h"
#include "services/storage/apply_context.h"
#include "services/storage/key_layout.h"

namespace kahuna::services {

class KvVersionStore {
 public:
  KvVersionStore(std::uint32_t partition_id, const KvOptions& options)
      : layout_(partition_id), options_(options) {}

  // The current record; nullopt when the key was never written.
  Status load_current(const StateReader& reader, std::string_view key, std::optional<KvRecord>& out) const;

  // Revision `revision` exactly as it was written; nullopt when it was never
  // written, written with setNoRevision or dropped by history retention.
  // Tombstones are returned as such.
  Status load_revision(const StateReader& reader, std::string_view key, std::int64_t revision,
                       std::optional<KvRecord>& out) const;

  // The version that was current at `as_of`: the newest one modified at or
  // before it (a tombstone included). nullopt when there is none, or when the
  // history no longer tells (retention dropped it, or it was written with
  // setNoRevision).
  Status load_as_of(const StateReader& reader, std::string_view key, const HlcTimestamp& as_of,
                    std::optional<KvRecord>& out) const;

  // Makes `next` the current record of `key`, moving `previous` (the current
  // record before, if any) into the history and keeping the TTL index in step.
  void write(ApplyContext& ctx, std::string_view key, const std::optional<KvRecord>& previous,
             const KvRecord& next) const;

  // Replaces the current record without a new revision (extend: only the
  // expiry changes).
  void rewrite(ApplyContext& ctx, std::string_view key, const KvRecord& previous, const KvRecord& next) const;

  // TTL removal of a live-state record: its value moves into the history and
  // the current record becomes an kExpired tombstone with the same revision.
  void drop_expired(ApplyContext& ctx, std::string_view key, const KvRecord& previous,
                    const HlcTimestamp& stamp) const;

  const KeyLayout& layout() const noexcept { return layout_; }
  const KvOptions& options() const noexcept { return options_; }

 private:
  void unindex(ApplyContext& ctx, std::string_view key, const KvRecord& record) const;
  void index(ApplyContext& ctx, std::string_view key, const KvRecord& record) const;
  void keep_in_history(ApplyContext& ctx, std::string_view key, const KvRecord& record) const;

  KeyLayout layout_;
  KvOptions options_;
};

}  // namespace kahuna::services
