// Majority arithmetic shared by commit, read confirmation and lease computations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace kahuna::raft::detail {

// Given one value per voter, the largest v such that a majority of voters have a value
// >= v (e.g. the highest index replicated on a majority). 0 for no voters.
inline std::uint64_t majority_value(std::vector<std::uint64_t> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end(), std::greater<>());
  return values[values.size() / 2];
}

inline std::size_t majority_size(std::size_t voters) { return voters / 2 + 1; }

}  // namespace kahuna::raft::detail
