// Helpers the conformance tests share: reading an engine into a vector,
// the std::map model every test compares against, readable failure
// messages for binary keys, and deterministic random data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <kahuna/storage_engine.h>
#include <kahuna/write_batch.h>

namespace kahuna::testkit {

using Entry = std::pair<std::string, std::string>;
using Entries = std::vector<Entry>;
// std::string compares as unsigned bytes (char_traits<char>), which is the
// memcmp order the interface promises.
using Model = std::map<std::string, std::string>;

// Everything an iterator yields from seek_to_first() onwards. An iterator
// error is reported as a test failure.
Entries scan(StorageEngine& engine, const IteratorOptions& options = {});
// Everything from seek_to_last() backwards, in the (descending) order seen.
Entries scan_backward(StorageEngine& engine, const IteratorOptions& options = {});

// The model's entries within [lower, upper), ascending.
Entries model_entries(const Model& model, const std::optional<std::string>& lower = std::nullopt,
                      const std::optional<std::string>& upper = std::nullopt);
Entries reversed(Entries entries);

// Applies a batch to the model with the interface's semantics.
void apply_to_model(const WriteBatch& batch, Model& model);

// Equal entry lists; on a mismatch, the first differing position with both
// sides printed readably (keys may be kilobytes of binary).
::testing::AssertionResult same_entries(const Entries& got, const Entries& want);

// A short, readable rendering of binary data for messages.
std::string printable(std::string_view bytes);

// `prefix` followed by `n` in decimal, zero-padded to `width` digits, so
// that numeric and byte order agree.
std::string numbered(std::string_view prefix, std::uint64_t n, int width = 8);

std::string random_bytes(std::mt19937_64& rng, std::size_t size);

// A deterministic value for (seed, index) of the given size: the same bytes
// in a parent and a child process.
std::string derived_value(std::uint64_t seed, std::uint64_t index, std::size_t size);

}  // namespace kahuna::testkit
