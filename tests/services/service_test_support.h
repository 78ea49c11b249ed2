// What the service tests share: key/value sets as a client sends them, the
// number of records a key range holds, and the reply codes' numbers on the
// wire.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "replica.h"

namespace kahuna::services::testing {

// A set of `key` with `flags`, expiring `ttl_ms` after it is applied (0:
// never).
inline KvSet plain(std::string key, std::optional<std::string> value, std::uint32_t flags = kSet,
                   std::int64_t ttl_ms = 0) {
  return KvSet{.key = std::move(key), .value = std::move(value), .expires_ms = ttl_ms, .flags = flags};
}

// A compare-and-set: `value` only while the key holds `expected`.
inline KvSet cas(std::string key, std::string expected, std::string value) {
  KvSet set = plain(std::move(key), std::move(value), kSetIfEqualToValue);
  set.compare_value = std::move(expected);
  return set;
}

// How many records of `state` lie in `range`.
template <class State>
int records_in(const State& state, const KeyRange& range) {
  int count = 0;
  for (auto c = state.scan(range.begin, range.end); c->valid(); c->next()) ++count;
  return count;
}

// Every code's number in the protocol (HTTP-API.md), which clients depend on:
// `codes` in the order of `numbers`.
template <class Code>
void expect_protocol_numbers(std::initializer_list<Code> codes, std::initializer_list<int> numbers) {
  ASSERT_EQ(codes.size(), numbers.size());
  auto number = numbers.begin();
  for (const Code code : codes) EXPECT_EQ(static_cast<int>(code), *number++) << to_string(code);
}

}  // namespace kahuna::services::testing
