// Requests the kernel tests send, and the durabilities they run under.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "kernel_fixture.h"

namespace kahuna::testing {

inline KvSetRequest set_request(std::string key, std::optional<std::string> value,
                                Durability d = Durability::kPersistent, std::uint32_t flags = 0) {
  return KvSetRequest{.key = std::move(key), .value = std::move(value), .flags = flags, .durability = d};
}

// A persistent compare-and-set: `value` only while the key holds `expected`.
inline KvSetRequest cas_request(std::string key, std::string expected, std::string value) {
  KvSetRequest request =
      set_request(std::move(key), std::move(value), Durability::kPersistent, kSetIfEqualToValue);
  request.compare_value = std::move(expected);
  return request;
}

// Both durabilities as the parameters of a suite, which names its tests
// .../Persistent and .../Ephemeral.
inline auto both_durabilities() { return ::testing::Values(Durability::kPersistent, Durability::kEphemeral); }

inline std::string durability_name(const ::testing::TestParamInfo<Durability>& info) {
  return info.param == Durability::kPersistent ? "Persistent" : "Ephemeral";
}

}  // namespace kahuna::testing
