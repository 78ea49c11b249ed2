#include "request_ids.h"

#include <random>
#include <type_traits>
#include <variant>

namespace kahuna::client::detail {

namespace {

// The finaliser of SplitMix64 (Steele, Lea, Flood 2014): every input bit
// affects every output bit, so seeds that differ little (consecutive
// random_device outputs of a weak source) give unrelated numbers.
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t random_client_number() {
  std::random_device device;
  for (;;) {
    const std::uint64_t high = device();
    const std::uint64_t low = device();
    const std::uint64_t number = mix((high << 32) ^ low);
    if (number != 0) return number;
  }
}

RequestIds::RequestIds() : client_(random_client_number()) {}

RequestId RequestIds::next() noexcept {
  return RequestId{client_, last_sequence_.fetch_add(1, std::memory_order_relaxed) + 1, 0};
}

bool carries_request_id(const wire::RequestBody& body) noexcept {
  return std::visit(
      [](const auto& call) {
        using T = std::decay_t<decltype(call)>;
        return !(std::is_same_v<T, wire::GetLock> || std::is_same_v<T, wire::KvGet> ||
                 std::is_same_v<T, wire::KvExists> || std::is_same_v<T, wire::KvGetMany> ||
                 std::is_same_v<T, wire::KvExistsMany> || std::is_same_v<T, wire::KvGetByBucket> ||
                 std::is_same_v<T, wire::KvScanPrefix> || std::is_same_v<T, wire::KvGetRange> ||
                 std::is_same_v<T, wire::SequenceGet> || std::is_same_v<T, wire::GetClusterStatus>);
      },
      body);
}

}  // namespace kahuna::client::detail
