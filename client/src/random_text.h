// Random identifiers the client mints: lock owners and sequence idempotency keys.
#pragma once

#include <cstdint>
#include <string>

namespace kahuna::client::detail {

// `length` lower-case hex characters from a per-thread generator seeded by
// std::random_device (unique, not secret).
std::string random_hex(std::size_t length);

// A uniform integer in [0, bound]; 0 when bound is 0.
std::uint64_t random_below_or_equal(std::uint64_t bound);

}  // namespace kahuna::client::detail
