// The stored records of transactions (TRANSACTIONS.md §3): a participant's
// intent on one key, and the decision record on the anchor's partition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/status.h>

#include "services/clock/hlc.h"
#include "services/commands/command.h"

namespace kahuna::services {

// A write a transaction prepared but has not resolved: the key's committed
// version stays what readers see, and no other transaction or plain write
// may change the key until the intent is resolved.
struct TxIntent {
  HlcTimestamp tx;
  HlcTimestamp deadline;     // the transaction's: undecided past it means aborted
  std::uint32_t anchor = 0;  // the partition that holds its decision record
  TxWriteKind kind = TxWriteKind::kSet;
  std::optional<std::string> value;
  std::int64_t expires_ms = 0;
  bool keep_history = true;
  friend bool operator==(const TxIntent&, const TxIntent&) = default;
};

enum class TxState : std::uint8_t {
  kUndecided = 0,
  kCommitted = 1,
  kAborted = 2,
};

struct TxRecord {
  TxState state = TxState::kUndecided;
  HlcTimestamp deadline;
  HlcTimestamp decided;  // the decision's stamp: for a commit, every write's stamp
  std::vector<std::uint32_t> participants;
  friend bool operator==(const TxRecord&, const TxRecord&) = default;
};

std::string encode_tx_intent(const TxIntent& intent);
// kCorruption when `data` is not an intent this version wrote.
Status decode_tx_intent(std::string_view data, TxIntent& out);

std::string encode_tx_record(const TxRecord& record);
Status decode_tx_record(std::string_view data, TxRecord& out);

}  // namespace kahuna::services
