#include "services/kv/kv_record.h"

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kKvRecordFormat = 1;
}

std::string encode_kv_record(const KvRecord& record) {
  ByteWriter w;
  w.u8(kKvRecordFormat);
  w.u8(static_cast<std::uint8_t>(record.state));
  w.svarint(record.revision);
  w.hlc(record.expiry);
  w.hlc(record.created);
  w.hlc(record.modified);
  w.boolean(record.keep_history);
  // The value last: the largest field, and nothing follows it.
  w.optional_bytes(record.value);
  return w.take();
}

Status decode_kv_record(std::string_view data, KvRecord& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  std::uint8_t state = 0;
  const bool ok = r.u8(format) && format == kKvRecordFormat && r.u8(state) && state <= 2 &&
                  r.svarint(out.revision) && r.hlc(out.expiry) && r.hlc(out.created) && r.hlc(out.modified) &&
                  r.boolean(out.keep_history) && r.optional_bytes(out.value) && r.done();
  if (!ok) return Status::corruption("undecodable key/value record");
  out.state = static_cast<KvRecord::State>(state);
  return Status::ok();
}

}  // namespace kahuna::services
