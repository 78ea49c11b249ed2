// TransactionOptions: the options of a script's transaction — those written
// in `BEGIN (locking="optimistic", timeout=5000, priority=3)`, or none at all
// for the implicit transaction of an auto-commit script. An absent option
// means "the session layer's default".
#pragma once

#include <cstdint>
#include <optional>

namespace kahuna::script {

enum class LockingMode : std::uint8_t {
  kPessimistic = 0,  // start-tx-session lockingType 0
  kOptimistic = 1,   // lockingType 1
};

struct TransactionOptions {
  std::optional<LockingMode> locking{};
  std::optional<std::int64_t> timeout_ms{};  // > 0
  std::optional<std::int32_t> priority{};    // 0..4
  friend bool operator==(const TransactionOptions&, const TransactionOptions&) = default;
};

}  // namespace kahuna::script
