// DeterministicRandom: a small seeded generator (SplitMix64) whose sequence is the same
// on every platform and standard library, so simulations and election timeouts replay
// exactly from a seed.
#pragma once

#include <cstdint>

namespace kahuna::raft {

class DeterministicRandom {
 public:
  explicit DeterministicRandom(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound); bound must be > 0. The tiny modulo bias is irrelevant here.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }

  // Uniform in [lo, hi]; requires lo <= hi.
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }

  // True with probability per_mille / 1000.
  bool chance(std::uint32_t per_mille) { return below(1000) < per_mille; }

 private:
  std::uint64_t state_;
};

}  // namespace kahuna::raft
