// Transactions under faults (TRANSACTIONS.md §6): the bank and list-append
// workloads run scripts across partitions through random nodes — so the
// struck node is now a coordinator, now a participant, now the anchor of a
// decision — while the leader of one of their keys' partitions is killed and
// restarted, paused, or cut off by the fault network; the bank's total must
// hold in every committed read, the list-append history must be
// serializable, and no key may stay held past its transaction's deadline.
#include "tx_fault_run.h"

namespace kahuna::faults {
namespace {

TEST(TxFaults, BankTotalHoldsWhileTheLeaderIsKilled) {
  FaultRun run(testing::ClusterOptions{3, kTxPartitions});
  run.start();
  expect_bank_total_holds(run, process_fault(run, LeaderFault::kKill));
}

TEST(TxFaults, BankTotalHoldsWhileTheLeaderIsPartitionedAway) {
  testing::ClusterOptions options{3, kTxPartitions};
  options.peer_proxies = true;
  FaultRun run(options);
  FaultNetwork network(run.cluster);
  run.start();
  expect_bank_total_holds(run, network_cut(run, network));
}

TEST(TxFaults, ListAppendSerializableWhileTheLeaderIsPaused) {
  FaultRun run(testing::ClusterOptions{3, kTxPartitions});
  run.start();
  expect_list_append_serializable(run, process_fault(run, LeaderFault::kPause));
}

TEST(TxFaults, ListAppendSerializableWhileTheLeaderIsKilled) {
  FaultRun run(testing::ClusterOptions{3, kTxPartitions});
  run.start();
  expect_list_append_serializable(run, process_fault(run, LeaderFault::kKill));
}

TEST(TxFaults, ListAppendSerializableWhileTheLeaderIsPartitionedAway) {
  testing::ClusterOptions options{3, kTxPartitions};
  options.peer_proxies = true;
  FaultRun run(options);
  FaultNetwork network(run.cluster);
  run.start();
  expect_list_append_serializable(run, network_cut(run, network));
}

}  // namespace
}  // namespace kahuna::faults
