// The client processes of the fault tests: each loops until `stopping`,
// choosing nodes and operations from its own seeded random generator, and
// records every operation with its outcome in a History for a checker.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "history.h"
#include "lock_checker.h"
#include "register_checker.h"
#include "sequence_checker.h"
#include "strictness.h"

namespace kahuna::faults {

// What the register processes that share it were answered, by kind
// (ProcessContext::answers): a definite answer (success: the read's value,
// set, a cas' notSet), mustRetry, unknown (98), no answer in time (or the
// connection broke after sending), not sent. Anything else — errored (99), a
// code the operation cannot have, another kind of reply — is `other`, and
// the first few of those are kept for a failure message.
struct AnswerTally {
  std::atomic<int> success{0};
  std::atomic<int> must_retry{0};
  std::atomic<int> unknown{0};
  std::atomic<int> no_answer{0};
  std::atomic<int> not_sent{0};
  std::atomic<int> other{0};

  void add_other(std::string what) {
    ++other;
    std::lock_guard lock(mutex_);
    if (others_.size() < 20) others_.push_back(std::move(what));
  }
  std::vector<std::string> others() const {
    std::lock_guard lock(mutex_);
    return others_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> others_;
};

struct ProcessContext {
  int process = 0;
  std::vector<std::string> endpoints;  // node id - 1 -> binary protocol address
  std::uint64_t seed = 0;              // this process's own seed
  std::chrono::milliseconds timeout{2000};
  // The writer's pause between writes (0: none), so that a long run's
  // unique keys stay few enough to read back one by one.
  std::chrono::milliseconds pace{0};
  // How a `mustRetry` reply is recorded (strictness.h): kFail when strict,
  // kUnknown when lenient. `unknown` (98), `errored` and no answer are
  // kUnknown either way.
  Strictness strictness = Strictness::kStrict;
  // When set, the register process counts every answer it gets here.
  AnswerTally* answers = nullptr;
};

// Reads, writes (unique values) and compare-and-sets on `keys`, persistent,
// each through a random node.
void run_register_process(const ProcessContext& context, const std::vector<std::string>& keys,
                          const std::atomic<bool>& stopping, History<RegisterOp>& history);

// Contends for `resource` as owner "owner<process>.<n>": try-lock with a
// `lease_ms` lease; when granted, holds it briefly, sometimes extends, then
// unlocks. After an unknown outcome continues under a new name and waits one
// lease; after a failed unlock (it did not happen) waits one lease
// (lock_checker.h).
void run_lock_process(const ProcessContext& context, const std::string& resource, std::int64_t lease_ms,
                      const std::atomic<bool>& stopping, History<LockOp>& history);

// Reserves 1..4 values of `sequence` (increment 1); every other call carries
// an idempotency key and is repeated, through another node, until it gets a
// definite answer twice.
void run_sequence_process(const ProcessContext& context, const std::string& sequence,
                          const std::atomic<bool>& stopping, History<SequenceOp>& history);

// Writes unique keys "w<process>-<n>/v" (persistent) until stopped; the
// history's writes are the durability test's expectations.
void run_writer_process(const ProcessContext& context, const std::atomic<bool>& stopping,
                        History<RegisterOp>& history);

}  // namespace kahuna::faults
