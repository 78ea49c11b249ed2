#include "services/tx/tx_records.h"

#include "services/codec/field_io.h"

namespace kahuna::services {

namespace {
constexpr std::uint8_t kTxIntentFormat = 1;
constexpr std::uint8_t kTxRecordFormat = 1;
}  // namespace

// The value last: the largest field, and nothing follows it.
KAHUNA_FIELDS(TxIntent, tx, deadline, anchor, kind, expires_ms, keep_history, value)
KAHUNA_FIELDS(TxRecord, state, deadline, decided, participants)

std::string encode_tx_intent(const TxIntent& intent) { return encode_record(kTxIntentFormat, intent); }

Status decode_tx_intent(std::string_view data, TxIntent& out) {
  if (!decode_record(data, kTxIntentFormat, out) || out.kind > TxWriteKind::kLock) {
    return Status::corruption("undecodable transaction intent");
  }
  return Status::ok();
}

std::string encode_tx_record(const TxRecord& record) { return encode_record(kTxRecordFormat, record); }

Status decode_tx_record(std::string_view data, TxRecord& out) {
  if (!decode_record(data, kTxRecordFormat, out) || out.state > TxState::kAborted) {
    return Status::corruption("undecodable transaction record");
  }
  return Status::ok();
}

}  // namespace kahuna::services
