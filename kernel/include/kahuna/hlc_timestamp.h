// HlcTimestamp: a hybrid logical clock reading, the only notion of time that
// crosses the wire and the Raft log.
//
// {node, physical ms, logical counter}, ordered by physical time, then the
// counter, then the node id (HTTP-API.md §2). All-zero means "latest" in a
// read request and "none" in a reply.
#pragma once

#include <compare>
#include <cstdint>

namespace kahuna {

struct HlcTimestamp {
  std::int32_t node = 0;
  std::int64_t physical = 0;  // ms since the Unix epoch ("l" on the wire)
  std::uint32_t logical = 0;  // "c" on the wire

  constexpr bool is_zero() const noexcept { return node == 0 && physical == 0 && logical == 0; }

  friend constexpr bool operator==(const HlcTimestamp&, const HlcTimestamp&) = default;
  friend constexpr std::strong_ordering operator<=>(const HlcTimestamp& a, const HlcTimestamp& b) noexcept {
    if (auto c = a.physical <=> b.physical; c != 0) return c;
    if (auto c = a.logical <=> b.logical; c != 0) return c;
    return a.node <=> b.node;
  }
};

}  // namespace kahuna
