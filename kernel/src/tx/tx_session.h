// TxSession: one interactive transaction (TRANSACTIONS.md §2), held in
// memory by the node that owns it — the leader of its coordinator key's
// partition when it started.
//
// What it has read and means to write is a TransactionBuffer, as for a
// script's transaction. A pessimistic session also holds a lock on every
// persistent key it touched: an intent of kind kLock on the key's partition
// (services/tx), replicated like any intent, so no other transaction can
// prepare the key and plain writes of it must retry until this one ends.
// The first key it locks is its anchor: the decision record goes to that
// key's partition, and every lock names it, so whoever finds a lock of a
// session that died learns its fate there (presumed abort past the
// deadline).
//
// Calls of one session never overlap: a call that finds the session busy
// answers mustRetry (it did nothing). Answers are kept by operation id, so a
// resent call answers what the first did.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <kahuna/kernel_api.h>

#include "tx/transaction_buffer.h"

namespace kahuna {

class TxSession {
 public:
  using Clock = std::chrono::steady_clock;

  enum class State {
    kOpen,
    kCommitted,
    kAborted,     // definitely not committed: aborted, rolled back, or expired
    kRolledBack,  // rolled back at the client's request
    kUnknown,     // a commit whose decision could not be learned yet
  };

  TxSession(HlcTimestamp id, std::string coordinator_key, TxLocking locking, HlcTimestamp read_timestamp,
            HlcTimestamp deadline, Clock::time_point until)
      : id_(id),
        coordinator_key_(std::move(coordinator_key)),
        locking_(locking),
        read_timestamp_(read_timestamp),
        deadline_(deadline),
        until_(until) {}

  const HlcTimestamp& id() const noexcept { return id_; }
  const std::string& coordinator_key() const noexcept { return coordinator_key_; }
  bool pessimistic() const noexcept { return locking_ == TxLocking::kPessimistic; }
  const HlcTimestamp& read_timestamp() const noexcept { return read_timestamp_; }
  // Past it (HLC) the transaction cannot commit; its locks carry it.
  const HlcTimestamp& deadline() const noexcept { return deadline_; }
  // The same instant on this node's steady clock.
  Clock::time_point until() const noexcept { return until_; }
  bool expired(Clock::time_point now) const noexcept { return now >= until_; }

  State state = State::kOpen;
  TransactionBuffer buffer;
  std::set<std::string> locked;        // keys this session holds a lock intent on
  std::set<std::string> maybe_locked;  // lock requests whose outcome was not learned
  std::string anchor_key;              // the first key locked (pessimistic) or planned first (at commit)
  // The keys of the commit that went out, by partition-independent order:
  // what a later resolve (after learning an unknown outcome) must settle.
  std::vector<std::string> committed_keys;
  std::string reason;            // why it ended, when it ended badly
  Clock::time_point ended_at{};  // when it left the open state (retention)
  bool busy = false;             // a call is running (under the table's lock)

  // ---- Answers by operation id ----
  using StoredReply = std::variant<KvReply, KvScanReply, std::vector<Routed<KvReply>>, TxSessionReply>;
  // The client's operation id (part 0), or a request id (part > 0).
  struct OperationKey {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    std::uint32_t part = 0;
    auto operator<=>(const OperationKey&) const = default;
  };
  struct Stored {
    std::uint16_t opcode = 0;
    std::string key;  // what the call named (its key, or empty)
    StoredReply reply;
  };
  // The answer kept for `id`, if any.
  const Stored* answer_of(const OperationKey& id) const {
    const auto it = answers_.find(id);
    return it == answers_.end() ? nullptr : &it->second;
  }
  // Keeps `stored` as the answer of `id`, forgetting the oldest past a bound.
  void keep_answer(const OperationKey& id, Stored stored) {
    if (answers_.emplace(id, std::move(stored)).second) order_.push_back(id);
    while (order_.size() > kAnswersKept) {
      answers_.erase(order_.front());
      order_.pop_front();
    }
  }
  static constexpr std::size_t kAnswersKept = 4096;

 private:
  HlcTimestamp id_;
  std::string coordinator_key_;
  TxLocking locking_;
  HlcTimestamp read_timestamp_;
  HlcTimestamp deadline_;
  Clock::time_point until_;
  std::map<OperationKey, Stored> answers_;
  std::deque<OperationKey> order_;
};

}  // namespace kahuna
