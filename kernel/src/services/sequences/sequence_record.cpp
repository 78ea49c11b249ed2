#include "services/sequences/sequence_record.h"

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kSequenceRecordFormat = 1;
constexpr std::uint8_t kIdempotencyFormat = 1;
}  // namespace

std::string encode_sequence_record(const SequenceRecord& record) {
  ByteWriter w;
  w.u8(kSequenceRecordFormat);
  w.svarint(record.current_value);
  w.svarint(record.initial_value);
  w.svarint(record.increment);
  w.optional_svarint(record.max_value);
  w.optional_svarint(record.block_size);
  w.svarint(record.incarnation);
  w.svarint(record.revision);
  w.hlc(record.created_at);
  w.hlc(record.updated_at);
  w.varint(record.idempotency_first);
  w.varint(record.idempotency_next);
  return w.take();
}

Status decode_sequence_record(std::string_view data, SequenceRecord& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  const bool ok = r.u8(format) && format == kSequenceRecordFormat && r.svarint(out.current_value) &&
                  r.svarint(out.initial_value) && r.svarint(out.increment) &&
                  r.optional_svarint(out.max_value) && r.optional_svarint(out.block_size) &&
                  r.svarint(out.incarnation) && r.svarint(out.revision) && r.hlc(out.created_at) &&
                  r.hlc(out.updated_at) && r.varint(out.idempotency_first) &&
                  r.varint(out.idempotency_next) && r.done();
  if (!ok || out.increment <= 0) return Status::corruption("undecodable sequence record");
  return Status::ok();
}

std::string encode_idempotency_entry(const IdempotencyEntry& entry) {
  ByteWriter w;
  w.u8(kIdempotencyFormat);
  w.svarint(entry.start);
  w.svarint(entry.end);
  w.svarint(entry.count);
  w.svarint(entry.revision);
  w.hlc(entry.stamp);
  return w.take();
}

Status decode_idempotency_entry(std::string_view data, IdempotencyEntry& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  const bool ok = r.u8(format) && format == kIdempotencyFormat && r.svarint(out.start) &&
                  r.svarint(out.end) && r.svarint(out.count) && r.svarint(out.revision) && r.hlc(out.stamp) &&
                  r.done();
  if (!ok) return Status::corruption("undecodable idempotency entry");
  return Status::ok();
}

std::string encode_idempotency_order(const IdempotencyOrder& order) {
  ByteWriter w;
  w.u8(kIdempotencyFormat);
  w.bytes(order.key);
  w.hlc(order.stamp);
  return w.take();
}

Status decode_idempotency_order(std::string_view data, IdempotencyOrder& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  const bool ok =
      r.u8(format) && format == kIdempotencyFormat && r.bytes(out.key) && r.hlc(out.stamp) && r.done();
  if (!ok) return Status::corruption("undecodable idempotency order entry");
  return Status::ok();
}

}  // namespace kahuna::services
