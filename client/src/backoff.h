// Backoff: the delays between retries of one call — exponential, capped,
// with jitter (each delay drawn from the upper half of its step), so clients
// that failed together spread out instead of retrying in lockstep.
#pragma once

#include <chrono>

namespace kahuna::client::detail {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max);

  // The next delay: step/2 + random(0, step/2), where the step doubles from
  // `initial` up to `max`.
  std::chrono::milliseconds next();

 private:
  std::chrono::milliseconds step_;
  std::chrono::milliseconds max_;
};

}  // namespace kahuna::client::detail
