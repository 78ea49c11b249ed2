#include "services/kv/kv_record.h"

#include "services/codec/field_io.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kKvRecordFormat = 1;
}  // namespace

// The value last: the largest field, and nothing follows it.
KAHUNA_FIELDS(KvRecord, state, revision, expiry, created, modified, keep_history, value)

std::string encode_kv_record(const KvRecord& record) { return encode_record(kKvRecordFormat, record); }

Status decode_kv_record(std::string_view data, KvRecord& out) {
  if (!decode_record(data, kKvRecordFormat, out) || out.state > KvRecord::State::kExpired) {
    return Status::corruption("undecodable key/value record");
  }
  return Status::ok();
}

}  // namespace kahuna::services
