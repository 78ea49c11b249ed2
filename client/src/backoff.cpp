#include "backoff.h"

#include <algorithm>

#include "random_text.h"

namespace kahuna::client::detail {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : step_(std::max(initial, std::chrono::milliseconds(1))), max_(std::max(max, step_)) {}

std::chrono::milliseconds Backoff::next() {
  const auto step = step_;
  step_ = std::min(step_ * 2, max_);
  const auto half = step / 2;
  return half +
         std::chrono::milliseconds(random_below_or_equal(static_cast<std::uint64_t>((step - half).count())));
}

}  // namespace kahuna::client::detail
