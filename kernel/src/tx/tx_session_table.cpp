#include "tx/tx_session_table.h"

#include <algorithm>

namespace kahuna {

bool TxSessionTable::open(std::shared_ptr<TxSession> session) {
  std::lock_guard lock(mutex_);
  if (open_ >= kMaxOpen) return false;
  const HlcTimestamp id = session->id();
  if (!sessions_.emplace(id, std::move(session)).second) return false;
  ++open_;
  return true;
}

TxSessionTable::Claim TxSessionTable::claim(const HlcTimestamp& id, std::shared_ptr<TxSession>& out) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return Claim::kUnknown;
  if (it->second->busy) return Claim::kBusy;
  it->second->busy = true;
  out = it->second;
  return Claim::kClaimed;
}

void TxSessionTable::release(TxSession& session) {
  std::lock_guard lock(mutex_);
  session.busy = false;
  // The first release after the session ended starts its retention.
  if (session.state != TxSession::State::kOpen && session.ended_at == Clock::time_point{}) {
    session.ended_at = Clock::now();
    --open_;
  }
}

std::vector<std::shared_ptr<TxSession>> TxSessionTable::claim_expired(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  forget_ended(now);
  std::vector<std::shared_ptr<TxSession>> out;
  for (auto& [id, session] : sessions_) {
    if (session->busy || session->state != TxSession::State::kOpen || !session->expired(now)) continue;
    session->busy = true;
    out.push_back(session);
  }
  return out;
}

std::size_t TxSessionTable::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

void TxSessionTable::forget_ended(Clock::time_point now) {
  std::vector<std::pair<Clock::time_point, HlcTimestamp>> ended;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const TxSession& session = *it->second;
    const bool has_ended = !session.busy && session.ended_at != Clock::time_point{};
    if (has_ended && now - session.ended_at >= kEndedRetention) {
      it = sessions_.erase(it);
      continue;
    }
    if (has_ended) ended.emplace_back(session.ended_at, it->first);
    ++it;
  }
  if (ended.size() <= kEndedKept) return;
  // The oldest beyond the bound go first.
  std::sort(ended.begin(), ended.end());
  for (std::size_t i = 0; i + kEndedKept < ended.size(); ++i) sessions_.erase(ended[i].second);
}

}  // namespace kahuna
