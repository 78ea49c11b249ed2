// FakeScriptHost: an in-memory ScriptHost for the interpreter tests — a
// key/value store with the revision rules of HTTP-API.md §6.1 (first write
// 0, every write and delete +1, extend keeps the revision, a never-written
// key has -1), expiry against a settable clock, history for GET … AT, and
// transactions as snapshots (begin copies the store, rollback restores it).
// It logs every call, and a test can make the next call of a kind fail.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "script/script_host.h"

namespace kahuna::script::testing {

class FakeScriptHost : public ScriptHost {
 public:
  struct Version {
    std::optional<std::string> value;
    std::int64_t revision = 0;
    HlcTimestamp modified{};
  };
  struct Record {
    bool live = false;  // false: deleted
    std::optional<std::string> value;
    std::int64_t revision = -1;
    HlcTimestamp expires{};
    HlcTimestamp modified{};
    std::vector<Version> history;
  };
  using Store = std::map<std::pair<Durability, std::string>, Record>;

  Status set(const KvSetRequest& request, KvReply& reply) override;
  Status get(const KvGetRequest& request, KvReply& reply) override;
  Status exists(const KvGetRequest& request, KvReply& reply) override;
  Status remove(const KvKeyRequest& request, KvReply& reply) override;
  Status extend(const KvExtendRequest& request, KvReply& reply) override;
  Status get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) override;
  Status scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) override;
  Status begin(const TransactionOptions& options) override;
  Status commit() override;
  Status rollback() override;
  Status sleep(std::int64_t ms) override;
  HlcTimestamp now() override;

  // Test helpers.
  void put(const std::string& key, std::optional<std::string> value,
           Durability durability = Durability::kPersistent);
  // The live value of a key; nullopt when absent (a live null reads as "<null>").
  std::optional<std::string> value_of(const std::string& key,
                                      Durability durability = Durability::kPersistent) const;
  std::int64_t revision_of(const std::string& key, Durability durability = Durability::kPersistent) const;

  // The next call named `call` ("set", "get", "commit", "begin", ...) answers `status`.
  void fail_next(std::string call, Status status) { failures_[std::move(call)] = std::move(status); }
  // Every later reply to "set"/"get"/... carries this code instead of its outcome.
  void force_code(std::string call, KvCode code) { forced_codes_[std::move(call)] = code; }

  std::vector<std::string> log;  // "set k", "get k", "begin", "commit", "rollback", "sleep 5"
  std::vector<TransactionOptions> begun;
  std::int64_t clock_ms = 1'000'000;
  std::int64_t slept_ms = 0;
  bool in_transaction = false;

 private:
  Status take_failure(const std::string& call);
  Status point_read(const KvGetRequest& request, KvReply& reply, bool with_value);
  Status scan(const KvPrefixRequest& request, KvScanReply& reply);
  bool is_live(const Record& record) const;
  HlcTimestamp stamp();

  Store store_;
  std::optional<Store> snapshot_;
  std::map<std::string, Status> failures_;
  std::map<std::string, KvCode> forced_codes_;
  std::uint32_t logical_ = 0;
};

}  // namespace kahuna::script::testing
