// AtomicHistogram: a fixed-bucket histogram any thread may add to, rendered
// in Prometheus text format (cumulative `_bucket{le=...}`, `_sum`, `_count`).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <ostream>
#include <string_view>

namespace kahuna {

template <std::size_t N>
class AtomicHistogram {
 public:
  // `bounds`: the upper bound of each bucket, ascending; one more bucket
  // counts everything above the last.
  explicit constexpr AtomicHistogram(std::array<double, N> bounds) : bounds_(bounds) {}

  void observe(double value) {
    std::size_t bucket = 0;
    while (bucket < N && value > bounds_[bucket]) ++bucket;
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    // The sum is kept in millionths so it can be an integer atomic.
    sum_millionths_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
  }

  void render(std::ostream& out, std::string_view name, std::string_view help) const {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= N; ++i) {
      cumulative += counts_[i].load(std::memory_order_relaxed);
      out << name << "_bucket{le=\"";
      if (i < N) {
        out << bounds_[i];
      } else {
        out << "+Inf";
      }
      out << "\"} " << cumulative << '\n';
    }
    out << name << "_sum " << static_cast<double>(sum_millionths_.load(std::memory_order_relaxed)) / 1e6
        << '\n';
    out << name << "_count " << cumulative << '\n';
  }

 private:
  std::array<double, N> bounds_;
  std::array<std::atomic<std::uint64_t>, N + 1> counts_{};
  std::atomic<std::uint64_t> sum_millionths_{0};
};

}  // namespace kahuna
