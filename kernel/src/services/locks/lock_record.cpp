#include "services/locks/lock_record.h"

#include "services/codec/field_io.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kLockRecordFormat = 1;
}  // namespace

KAHUNA_FIELDS(LockRecord, owner, expiry, fencing_token)

std::string encode_lock_record(const LockRecord& record) { return encode_record(kLockRecordFormat, record); }

Status decode_lock_record(std::string_view data, LockRecord& out) {
  if (!decode_record(data, kLockRecordFormat, out)) return Status::corruption("undecodable lock record");
  return Status::ok();
}

}  // namespace kahuna::services
