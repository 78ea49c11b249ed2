// Workers: the threads of a workload's client processes, each running until
// told to stop; joined on destruction, so no thread outlives a failed test.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

namespace kahuna::faults {

class Workers {
 public:
  Workers() = default;
  ~Workers() { stop(); }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Runs body(stopping) on a thread of its own; `stopping` turns true once
  // stop() is called, and the body should return soon after.
  template <class Body>
  void spawn(Body body) {
    threads_.emplace_back([this, body]() mutable { body(stopping_); });
  }

  void stop() {
    stopping_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    threads_.clear();
  }

 private:
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace kahuna::faults
