#include "services/kv/kv_record.h"

#include "services/codec/field_io.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kKvRecordFormat = 1;
}  // namespace

// The value last: the largest field, and nothing follows it.
KAHUNA_FIELDS(KvRecord, state, revision, expiry, created, modified, keep_history, value)

KvRecord next_live_version(const std::optional<KvRecord>& current, bool live,
                           std::optional<std::string> value, std::int64_t expires_ms, bool keep_history,
                           const HlcTimestamp& at) {
  KvRecord next;
  next.state = KvRecord::State::kLive;
  next.value = std::move(value);
  next.revision = current ? current->revision + 1 : 0;
  next.expiry = expires_ms > 0 ? hlc_after(at, expires_ms) : HlcTimestamp{};
  // A key that comes back after a delete or an expiry is created anew.
  next.created = live ? current->created : at;
  next.modified = at;
  next.keep_history = keep_history;
  return next;
}

KvRecord tombstone_of(const KvRecord& current, const HlcTimestamp& at) {
  KvRecord tombstone;
  tombstone.state = KvRecord::State::kDeleted;
  tombstone.revision = current.revision + 1;
  tombstone.created = current.created;
  tombstone.modified = at;
  return tombstone;
}

std::string encode_kv_record(const KvRecord& record) { return encode_record(kKvRecordFormat, record); }

Status decode_kv_record(std::string_view data, KvRecord& out) {
  if (!decode_record(data, kKvRecordFormat, out) || out.state > KvRecord::State::kExpired) {
    return Status::corruption("undecodable key/value record");
  }
  return Status::ok();
}

}  // namespace kahuna::services
