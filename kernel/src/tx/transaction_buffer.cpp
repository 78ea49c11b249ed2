#include "tx/transaction_buffer.h"

#include <algorithm>

#include "services/clock/hlc.h"

namespace kahuna {
namespace {

KvReply reply_of(KvCode code, std::int64_t revision = 0, HlcTimestamp last_modified = {}) {
  KvReply reply;
  reply.code = code;
  reply.revision = revision;
  reply.last_modified = last_modified;
  return reply;
}

// Whether every condition of a set's flags holds for `view` (the rules of
// the key/value state machine's set).
bool conditions_hold(const KvSetRequest& request, std::int64_t revision, bool live,
                     const std::optional<std::string>& value) {
  const std::uint32_t flags = request.flags;
  if ((flags & kSetIfExists) && !live) return false;
  if ((flags & kSetIfNotExists) && live) return false;
  if ((flags & kSetIfEqualToValue) && !(live && value == request.compare_value)) return false;
  if ((flags & kSetIfEqualToRevision) && revision != request.compare_revision) return false;
  return true;
}

}  // namespace

const TransactionBuffer::Entry& TransactionBuffer::entry(std::string_view key) const {
  return entries_.find(key)->second;
}

TransactionBuffer::Entry& TransactionBuffer::entry(std::string_view key) {
  return entries_.find(key)->second;
}

void TransactionBuffer::record_read(const std::string& key, const KvReply& reply, const HlcTimestamp& now) {
  Version seen;
  seen.live = reply.code == KvCode::kGet && (reply.expires.is_zero() || now < reply.expires);
  if (seen.live) {
    seen.value = reply.value;
    seen.revision = reply.revision;
    seen.expires = reply.expires;
    seen.last_modified = reply.last_modified;
  }
  entries_.insert_or_assign(key, Entry{seen, seen, std::nullopt});
}

KvReply TransactionBuffer::get(std::string_view key) const {
  const Version& view = entry(key).view;
  if (!view.live) return reply_of(KvCode::kDoesNotExist);
  KvReply reply = reply_of(KvCode::kGet, view.revision, view.last_modified);
  reply.value = view.value;
  reply.expires = view.expires;
  return reply;
}

KvReply TransactionBuffer::exists(std::string_view key) const {
  KvReply reply = get(key);
  if (reply.code == KvCode::kGet) reply.code = KvCode::kExists;
  reply.value.reset();
  return reply;
}

KvReply TransactionBuffer::set(const KvSetRequest& request, const HlcTimestamp& now) {
  Entry& e = entry(request.key);
  Version& view = e.view;
  const std::int64_t current_revision = view.live ? view.revision : -1;
  if (!conditions_hold(request, current_revision, view.live, view.value)) {
    return reply_of(KvCode::kNotSet, current_revision, view.last_modified);
  }
  services::TxWrite write{request.key, services::TxWriteKind::kSet, request.value, request.expires_ms,
                          (request.flags & kSetNoRevision) == 0};
  e.write = std::move(write);
  view.live = true;
  view.value = request.value;
  view.revision = next_revision(e);
  view.expires = request.expires_ms > 0 ? services::hlc_after(now, request.expires_ms) : HlcTimestamp{};
  view.last_modified = now;
  return reply_of(KvCode::kSet, view.revision, now);
}

KvReply TransactionBuffer::remove(std::string_view key) {
  Entry& e = entry(key);
  if (!e.view.live) return reply_of(KvCode::kDoesNotExist);
  e.write = services::TxWrite{std::string(key), services::TxWriteKind::kDelete};
  e.view = Version{};
  return reply_of(KvCode::kDeleted, next_revision(e));
}

KvReply TransactionBuffer::extend(std::string_view key, std::int64_t expires_ms, const HlcTimestamp& now) {
  Entry& e = entry(key);
  if (!e.view.live) return reply_of(KvCode::kDoesNotExist);
  // An extend of the transaction's own set is that set, expiring later.
  if (e.write && e.write->kind == services::TxWriteKind::kSet) {
    e.write->expires_ms = expires_ms;
  } else {
    e.write = services::TxWrite{std::string(key), services::TxWriteKind::kExtend, std::nullopt, expires_ms};
  }
  e.view.expires = services::hlc_after(now, expires_ms);
  return reply_of(KvCode::kExtended, e.view.revision, e.view.last_modified);
}

std::vector<KvItem> TransactionBuffer::overlay(std::string_view prefix, std::vector<KvItem> rows) const {
  for (auto it = entries_.lower_bound(prefix); it != entries_.end() && it->first.starts_with(prefix); ++it) {
    if (!it->second.write) continue;
    const Version& view = it->second.view;
    auto row =
        std::find_if(rows.begin(), rows.end(), [&](const KvItem& item) { return item.key == it->first; });
    if (!view.live) {
      if (row != rows.end()) rows.erase(row);
      continue;
    }
    KvItem item{it->first, view.value, view.revision, view.last_modified, view.expires};
    if (row != rows.end()) {
      *row = std::move(item);
    } else {
      rows.push_back(std::move(item));
    }
  }
  std::sort(rows.begin(), rows.end(), [](const KvItem& a, const KvItem& b) { return a.key < b.key; });
  return rows;
}

TxPlan TransactionBuffer::plan(const HlcTimestamp& tx, const HlcTimestamp& deadline) const {
  TxPlan plan;
  plan.tx = tx;
  plan.deadline = deadline;
  for (const auto& [key, e] : entries_) {
    plan.reads.push_back(services::TxRead{key, e.seen.revision, e.seen.live});
    if (e.write) plan.writes.push_back(*e.write);
  }
  return plan;
}

}  // namespace kahuna
