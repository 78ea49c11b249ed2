#include "kv_testing.h"

#include <algorithm>
#include <cstdio>

namespace kahuna::testkit {

namespace {

// Everything `it` yields from `start` on, moving with `step`.
Entries collect(Iterator& it, void (Iterator::*start)(), void (Iterator::*step)()) {
  Entries out;
  for ((it.*start)(); it.valid(); (it.*step)()) out.emplace_back(it.key(), it.value());
  const Status status = it.status();
  EXPECT_TRUE(status.is_ok()) << "iterator stopped with " << status.to_string();
  return out;
}

}  // namespace

Entries scan(StorageEngine& engine, const IteratorOptions& options) {
  return collect(*engine.iterator(options), &Iterator::seek_to_first, &Iterator::next);
}

Entries scan_backward(StorageEngine& engine, const IteratorOptions& options) {
  return collect(*engine.iterator(options), &Iterator::seek_to_last, &Iterator::prev);
}

Entries model_entries(const Model& model, const std::optional<std::string>& lower,
                      const std::optional<std::string>& upper) {
  Entries out;
  auto it = lower ? model.lower_bound(*lower) : model.begin();
  for (; it != model.end() && !(upper && it->first >= *upper); ++it) out.push_back(*it);
  return out;
}

Entries reversed(Entries entries) {
  std::reverse(entries.begin(), entries.end());
  return entries;
}

void apply_to_model(const WriteBatch& batch, Model& model) {
  for (const WriteBatch::Op& op : batch.ops()) {
    switch (op.type) {
      case WriteBatch::OpType::kPut: model[op.key] = op.value; break;
      case WriteBatch::OpType::kDelete: model.erase(op.key); break;
      case WriteBatch::OpType::kDeleteRange:
        if (op.key < op.value) model.erase(model.lower_bound(op.key), model.lower_bound(op.value));
        break;
    }
  }
}

::testing::AssertionResult same_entries(const Entries& got, const Entries& want) {
  const std::size_t common = std::min(got.size(), want.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (got[i].first != want[i].first) {
      return ::testing::AssertionFailure()
             << "entry " << i << " has key " << printable(got[i].first) << ", expected "
             << printable(want[i].first) << " (" << got.size() << " entries, expected " << want.size() << ")";
    }
    if (got[i].second != want[i].second) {
      return ::testing::AssertionFailure()
             << "key " << printable(got[i].first) << " (entry " << i << ") has value "
             << printable(got[i].second) << ", expected " << printable(want[i].second);
    }
  }
  if (got.size() != want.size()) {
    const bool extra = got.size() > want.size();
    const Entry& first = extra ? got[common] : want[common];
    return ::testing::AssertionFailure()
           << got.size() << " entries, expected " << want.size() << "; the first "
           << (extra ? "unexpected" : "missing") << " key is " << printable(first.first);
  }
  return ::testing::AssertionSuccess();
}

std::string printable(std::string_view bytes) {
  constexpr std::size_t kShown = 48;
  std::string out = "\"";
  for (std::size_t i = 0; i < bytes.size() && i < kShown; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  out += "\"";
  if (bytes.size() > kShown) out += "...(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

std::string numbered(std::string_view prefix, std::uint64_t n, int width) {
  std::string digits = std::to_string(n);
  std::string out(prefix);
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
  return out + digits;
}

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
  std::string out(size, '\0');
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    const std::uint64_t word = rng();
    for (int b = 0; b < 8; ++b) out[i + b] = static_cast<char>(word >> (8 * b));
  }
  const std::uint64_t word = rng();
  for (int b = 0; i < size; ++i, ++b) out[i] = static_cast<char>(word >> (8 * b));
  return out;
}

std::string derived_value(std::uint64_t seed, std::uint64_t index, std::size_t size) {
  std::mt19937_64 rng(seed ^ (index * 0x9E3779B97F4A7C15ull));
  return random_bytes(rng, size);
}

}  // namespace kahuna::testkit
