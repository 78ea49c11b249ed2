// Shared by the register workloads under faults: the keys, and the check
// that a recorded history, completed by a final read of every key, is
// linearizable.
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "fault_network.h"
#include "fault_test_util.h"
#include "final_reads.h"

namespace kahuna::faults {

inline const std::vector<std::string> kKeys = {"reg-a/x", "reg-b/x", "reg-c/x"};
inline constexpr std::uint32_t kPartitions = 4;

// The process number of the final reads in a history.
inline constexpr int kFinalReader = 1000;

// Call once the faults are over (every node running, every link passing):
// reads every key into the history, so that an acknowledged write that was
// lost fails the check, then checks the history.
inline void expect_linearizable(const testing::LocalCluster& cluster, History<RegisterOp>& history,
                                std::uint64_t seed) {
  const ProcessContext reader{kFinalReader, endpoints(cluster), seed};
  const auto unread = run_final_reads(reader, kKeys, std::chrono::seconds(30), history);
  EXPECT_TRUE(unread.empty()) << unread.size() << " keys could not be read at the end (seed " << seed << ")";
  const auto entries = history.entries();
  int ok = 0;
  for (const auto& e : entries) ok += e.outcome == Outcome::kOk;
  std::cout << "[ history  ] " << entries.size() << " operations: " << outcome_counts(entries) << std::endl;
  EXPECT_GT(ok, 50) << "too few operations succeeded to mean anything (" << replay_note(seed) << ")";
  const auto result = check_registers(entries);
  EXPECT_TRUE(result.ok) << "not linearizable (" << replay_note(seed) << ")"
                         << (result.inconclusive ? " [inconclusive]" : "") << "\n"
                         << result.report;
}

inline auto register_body() {
  return [](const ProcessContext& context, const std::atomic<bool>& stopping, History<RegisterOp>& history) {
    run_register_process(context, kKeys, stopping, history);
  };
}

}  // namespace kahuna::faults
