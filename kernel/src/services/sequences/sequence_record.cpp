#include "services/sequences/sequence_record.h"

#include "services/codec/field_io.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kSequenceRecordFormat = 1;
constexpr std::uint8_t kIdempotencyFormat = 1;
}  // namespace

KAHUNA_FIELDS(SequenceRecord, current_value, initial_value, increment, max_value, block_size, incarnation,
              revision, created_at, updated_at, idempotency_first, idempotency_next)
KAHUNA_FIELDS(IdempotencyEntry, start, end, count, revision, stamp)
KAHUNA_FIELDS(IdempotencyOrder, key, stamp)

std::string encode_sequence_record(const SequenceRecord& record) {
  return encode_record(kSequenceRecordFormat, record);
}

Status decode_sequence_record(std::string_view data, SequenceRecord& out) {
  if (!decode_record(data, kSequenceRecordFormat, out) || out.increment <= 0) {
    return Status::corruption("undecodable sequence record");
  }
  return Status::ok();
}

std::string encode_idempotency_entry(const IdempotencyEntry& entry) {
  return encode_record(kIdempotencyFormat, entry);
}

Status decode_idempotency_entry(std::string_view data, IdempotencyEntry& out) {
  if (!decode_record(data, kIdempotencyFormat, out))
    return Status::corruption("undecodable idempotency entry");
  return Status::ok();
}

std::string encode_idempotency_order(const IdempotencyOrder& order) {
  return encode_record(kIdempotencyFormat, order);
}

Status decode_idempotency_order(std::string_view data, IdempotencyOrder& out) {
  if (!decode_record(data, kIdempotencyFormat, out)) {
    return Status::corruption("undecodable idempotency order entry");
  }
  return Status::ok();
}

}  // namespace kahuna::services
