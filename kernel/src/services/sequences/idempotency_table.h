// IdempotencyTable: the replicated memory of recent idempotency keys of one
// sequence, so that a retried reserve/next returns the allocation the first
// attempt got instead of a new one.
//
// Each key is stored twice: key -> allocation for the lookup, and order
// number -> key in allocation order, so the oldest can be found and forgotten
// without scanning. The sequence record holds the range of order numbers in
// use. The table forgets its oldest key when it holds more than
// SequenceOptions::idempotency_capacity keys, and keys older than the
// retention (judged by command stamps, so every replica agrees), at most a
// few per command to bound a command's work.
#pragma once

#include <optional>
#include <string_view>

#include "services/sequences/sequence_options.h"
#include "services/sequences/sequence_record.h"
#include "services/storage/apply_context.h"
#include "services/storage/key_layout.h"

namespace kahuna::services {

class IdempotencyTable {
 public:
  IdempotencyTable(const KeyLayout& layout, const SequenceOptions& options)
      : layout_(layout), options_(options) {}

  // The allocation remembered for `key`; nullopt when none is.
  Status find(const StateReader& reader, std::string_view name, std::string_view key,
              std::optional<IdempotencyEntry>& out) const;

  // Remembers `entry` under `key` (which must not be remembered already),
  // then forgets what capacity and retention require. Updates the order
  // numbers in `record`; the caller writes the record.
  Status remember(ApplyContext& ctx, std::string_view name, std::string_view key,
                  const IdempotencyEntry& entry, SequenceRecord& record) const;

  // Forgets every key of the sequence (it is being deleted).
  void forget_all(ApplyContext& ctx, std::string_view name) const;

 private:
  KeyLayout layout_;
  SequenceOptions options_;
};

}  // namespace kahuna::services
