// TransactionBuffer: what one transaction has seen and means to write, key
// by key, until it commits — the client side of optimistic concurrency.
//
// Reads of keys the transaction has not touched yet go to the partitions;
// their answers are recorded here (record_read) and validated at commit
// (TxRead: a key read live must keep its revision, one read absent must stay
// absent). Writes change nothing outside: they fold into one write per key
// (a set then a delete is a delete, a set then an extend a set with the new
// expiry) and change the transaction's own view, so its later reads see
// them (read-your-writes). Every write is decided against that view, so a
// write's key must have been read first (needs_read).
//
// The revisions it answers are the ones the writes will get if the
// transaction commits: validation guarantees the key still holds the
// revision seen, and one commit writes each key once. A key read absent
// after a delete is answered as if new (its tombstone's revision is not
// visible to readers).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/service_types.h>
#include <kahuna/types/requests.h>

#include "services/commands/command.h"
#include "tx/tx_coordinator.h"

namespace kahuna {

class TransactionBuffer {
 public:
  // Whether `key` must be read (record_read) before the transaction can
  // read or write it.
  bool needs_read(std::string_view key) const { return entries_.find(key) == entries_.end(); }

  // A read of the latest version answered `reply` (get or doesNotExist).
  void record_read(const std::string& key, const KvReply& reply, const HlcTimestamp& now);

  // The transaction's view of a key it has read (needs_read is false).
  KvReply get(std::string_view key) const;
  KvReply exists(std::string_view key) const;
  KvReply set(const KvSetRequest& request, const HlcTimestamp& now);
  KvReply remove(std::string_view key);
  KvReply extend(std::string_view key, std::int64_t expires_ms, const HlcTimestamp& now);

  // The rows a scan of `prefix` answers once the transaction's own writes
  // are laid over `rows` (the partitions' answer).
  std::vector<KvItem> overlay(std::string_view prefix, std::vector<KvItem> rows) const;

  // The plan that commits it: every write and every read to validate.
  TxPlan plan(const HlcTimestamp& tx, const HlcTimestamp& deadline) const;
  bool empty() const noexcept { return entries_.empty(); }

 private:
  struct Version {
    bool live = false;
    std::optional<std::string> value;
    std::int64_t revision = -1;  // the committed revision seen; -1 when read absent
    HlcTimestamp expires;
    HlcTimestamp last_modified;
  };
  struct Entry {
    Version seen;  // the committed version the read answered
    Version view;  // what the transaction sees now, its own writes included
    std::optional<services::TxWrite> write;
  };

  const Entry& entry(std::string_view key) const;
  Entry& entry(std::string_view key);
  // The revision a write of the entry commits with.
  static std::int64_t next_revision(const Entry& entry) { return entry.seen.revision + 1; }

  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace kahuna
