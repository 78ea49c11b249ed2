#include "random_text.h"

#include <random>

namespace kahuna::client::detail {

namespace {
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine;
}
}  // namespace

std::string random_hex(std::size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(length);
  while (text.size() < length) {
    std::uint64_t bits = generator()();
    for (int i = 0; i < 16 && text.size() < length; ++i, bits >>= 4) text.push_back(kDigits[bits & 0xF]);
  }
  return text;
}

std::uint64_t random_below_or_equal(std::uint64_t bound) {
  if (bound == 0) return 0;
  return std::uniform_int_distribution<std::uint64_t>(0, bound)(generator());
}

}  // namespace kahuna::client::detail
