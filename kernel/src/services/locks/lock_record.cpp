#include "services/locks/lock_record.h"

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kLockRecordFormat = 1;
}

std::string encode_lock_record(const LockRecord& record) {
  ByteWriter w;
  w.u8(kLockRecordFormat);
  w.bytes(record.owner);
  w.hlc(record.expiry);
  w.svarint(record.fencing_token);
  return w.take();
}

Status decode_lock_record(std::string_view data, LockRecord& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  if (!r.u8(format) || format != kLockRecordFormat || !r.bytes(out.owner) || !r.hlc(out.expiry) ||
      !r.svarint(out.fencing_token) || !r.done()) {
    return Status::corruption("undecodable lock record");
  }
  return Status::ok();
}

}  // namespace kahuna::services
