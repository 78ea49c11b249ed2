// TxSessionTable: the sessions a node owns, by transaction id — open ones,
// and ended ones for a while, so a repeated commit or rollback answers what
// happened (TRANSACTIONS.md §2: 10,000 sessions or 5 minutes).
//
// Thread-safe: calls arrive on any io thread. A call claims its session for
// its whole run (TxSession::busy); the reaper claims expired ones the same
// way, so nothing runs on a session twice at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "tx/tx_session.h"

namespace kahuna {

class TxSessionTable {
 public:
  using Clock = TxSession::Clock;

  static constexpr std::size_t kMaxOpen = 65536;
  static constexpr std::size_t kEndedKept = 10000;
  static constexpr auto kEndedRetention = std::chrono::minutes(5);

  // Adds `session`; false when the node already holds kMaxOpen open ones.
  bool open(std::shared_ptr<TxSession> session);

  enum class Claim {
    kClaimed,  // `out` is the session, now busy until release()
    kUnknown,  // no such session here (never, or forgotten)
    kBusy,     // another call of it is running
  };
  Claim claim(const HlcTimestamp& id, std::shared_ptr<TxSession>& out);
  // Ends a claim; a session that left the open state starts its retention.
  void release(TxSession& session);

  // Claims every open session past its time, for the reaper, and forgets
  // ended sessions past their retention.
  std::vector<std::shared_ptr<TxSession>> claim_expired(Clock::time_point now);

  std::size_t open_count() const;

 private:
  void forget_ended(Clock::time_point now);  // under mutex_

  mutable std::mutex mutex_;
  std::map<HlcTimestamp, std::shared_ptr<TxSession>> sessions_;
  std::size_t open_ = 0;
};

}  // namespace kahuna
