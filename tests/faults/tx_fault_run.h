// The frame of the transaction fault tests (tx_faults_test.cpp): the bank or
// list-append workload runs while a nemesis strikes, twice, the leader of
// one of its keys' partitions; then, with the cluster whole and every
// transaction's deadline past, no key may still be held, the final state is
// read in one transaction, the history is checked, and a plain write of
// every key must succeed.
#pragma once

#include <chrono>
#include <functional>
#include <iostream>
#include <string>
#include <thread>

#include "bank_workload.h"
#include "fault_network.h"
#include "fault_run.h"
#include "held_keys.h"
#include "list_append_workload.h"

namespace kahuna::faults {

inline constexpr std::uint32_t kTxPartitions = 4;
// The process number of the final reads in a history.
inline constexpr int kFinalTxReader = 1000;

using LeaderStrike = std::function<void(int cycle, int leader, const LeaderTarget& target)>;

// kill -9 and restart, or pause, the struck leader.
inline LeaderStrike process_fault(FaultRun& run, LeaderFault fault) {
  return [&run, fault](int, int leader, const LeaderTarget& target) {
    strike_leader(run, fault, leader, target);
  };
}

// Cuts the struck leader off from the others (links dropped the first time,
// hung the second), checks that the majority elects another leader — a cut
// that does not bite would make the test pass vacuously — and heals.
inline LeaderStrike network_cut(FaultRun& run, FaultNetwork& network) {
  return [&run, &network](int cycle, int leader, const LeaderTarget& target) {
    const LinkMode mode = cycle == 0 ? LinkMode::kDrop : LinkMode::kHang;
    network.isolate(leader, mode);
    std::cout << "[ nemesis  ] isolated node " << leader << " (leads " << target.holds
              << "): " << network.faults() << std::endl;
    const int majority_node = leader % run.cluster.size() + 1;
    EXPECT_TRUE(testing::eventually(
        [&] {
          const auto now = static_cast<int>(run.admin.leader_of(target.partition, majority_node));
          return now != 0 && now != leader;
        },
        std::chrono::seconds(5)))
        << "the majority kept node " << leader << " as leader of partition " << target.partition
        << "; leaders seen: " << leader_views(run.cluster, run.admin) << " (seed " << run.seed << ")";
    sleep_ms(run.random, 500, 1500);
    network.heal();
    std::cout << "[ nemesis  ] healed" << std::endl;
    // Transactions through the proxies are slower: a longer quiet while
    // after each cut gives the checks enough committed transactions.
    std::this_thread::sleep_for(std::chrono::seconds(1));
  };
}

// Twice, after 1.5–2.5 s, `strike` on the leader of a random one of `keys`.
inline void strike_twice(FaultRun& run, const std::vector<std::string>& keys, const LeaderStrike& strike) {
  strike_leader_twice(
      run, {1500, 2500}, [&] { return random_key(run, keys, kTxPartitions); }, strike);
}

// Once the workload has stopped at `ended`: every partition led again, and
// the longest transaction's deadline passed with 3 s more (the partitions
// settle a dead coordinator's transactions within a second of it). Then no
// key may be held.
inline void expect_no_key_held_past_deadlines(FaultRun& run, const std::vector<std::string>& keys,
                                              std::chrono::steady_clock::time_point ended) {
  run.admin.wait_for_leaders(std::chrono::seconds(30));
  std::this_thread::sleep_until(ended + kLongestTransaction + std::chrono::seconds(3));
  const auto held = probe_held_keys(endpoints(run.cluster), keys, std::chrono::seconds(30));
  EXPECT_TRUE(held.empty()) << "keys held after every transaction's deadline (" << replay_note(run.seed)
                            << "):\n"
                            << one_per_line(held);
}

// The script answers, printed, and a script that cannot run caught: a
// history of errors would prove nothing.
inline void expect_scripts_ran(const ScriptTally& tally, std::uint64_t seed) {
  std::cout << "[ answers  ] " << tally.summary() << std::endl;
  for (const std::string& example : tally.examples())
    std::cout << "[ answers  ]   e.g. " << example << std::endl;
  for (const std::string& error : tally.errors()) {
    EXPECT_EQ(error.find("Syntax error"), std::string::npos) << error << " (seed " << seed << ")";
    EXPECT_EQ(error.find("expects"), std::string::npos) << error << " (seed " << seed << ")";
  }
}

inline void expect_bank_total_holds(FaultRun& run, const LeaderStrike& strike) {
  const Bank bank = make_bank("bank", 5, kTxPartitions);
  const auto nodes = endpoints(run.cluster);
  ASSERT_TRUE(open_bank(nodes, bank, std::chrono::seconds(30))) << "the accounts could not be opened";
  History<BankOp> history;
  ScriptTally tally;
  run.workload([&](const ProcessContext& c,
                   const std::atomic<bool>& s) { run_bank_process(c, bank, s, history, &tally); },
               [&] { strike_twice(run, bank.accounts, strike); });
  expect_no_key_held_past_deadlines(run, bank.accounts, std::chrono::steady_clock::now());

  const ProcessContext reader{kFinalTxReader, nodes, run.seed};
  EXPECT_TRUE(read_bank_finally(reader, bank, std::chrono::seconds(30), history))
      << "the accounts could not be read at the end (seed " << run.seed << ")";
  const auto entries = history.entries();
  const auto result = check_bank(entries, bank.accounts.size(), bank.total());
  std::cout << "[ history  ] " << entries.size() << " transactions: " << outcome_counts(entries) << "; "
            << result.transfers << " transfers committed (" << result.moved << " moved money), "
            << result.reads << " read-alls committed" << std::endl;
  expect_scripts_ran(tally, run.seed);
  EXPECT_GT(result.transfers, 30) << "too few transfers committed to mean anything (" << replay_note(run.seed)
                                  << "); answers: " << tally.summary();
  EXPECT_GT(result.reads, 5) << "too few read-alls committed to mean anything (" << replay_note(run.seed)
                             << "); answers: " << tally.summary();
  EXPECT_TRUE(result.ok) << "the bank's invariant broke (" << replay_note(run.seed) << "):\n"
                         << one_per_line(result.violations);

  // The final balances, written back plainly.
  const auto finals = final_balances(bank, entries);
  const auto refused = refused_plain_sets(nodes, finals, std::chrono::seconds(30));
  EXPECT_TRUE(refused.empty()) << "plain writes refused at the end (" << replay_note(run.seed) << "):\n"
                               << one_per_line(refused);
}

inline void expect_list_append_serializable(FaultRun& run, const LeaderStrike& strike) {
  const auto keys = make_list_keys("lists", 6, kTxPartitions);
  const auto nodes = endpoints(run.cluster);
  History<ListAppendOp> history;
  ScriptTally tally;
  run.workload([&](const ProcessContext& c,
                   const std::atomic<bool>& s) { run_list_append_process(c, keys, s, history, &tally); },
               [&] { strike_twice(run, keys, strike); });
  expect_no_key_held_past_deadlines(run, keys, std::chrono::steady_clock::now());

  const ProcessContext reader{kFinalTxReader, nodes, run.seed};
  EXPECT_TRUE(read_lists_finally(reader, keys, std::chrono::seconds(30), history))
      << "the lists could not be read at the end (seed " << run.seed << ")";
  const auto entries = history.entries();
  const auto result = check_list_append(entries);
  std::cout << "[ history  ] " << entries.size() << " transactions: " << outcome_counts(entries) << "; "
            << result.committed << " committed, " << result.unknown_observed
            << " unknown seen to commit, longest list " << result.longest << ", " << result.graph_edges
            << " dependencies" << std::endl;
  expect_scripts_ran(tally, run.seed);
  EXPECT_GT(result.committed, 50) << "too few transactions committed to mean anything ("
                                  << replay_note(run.seed) << "); answers: " << tally.summary();
  EXPECT_TRUE(result.unchecked.empty()) << "keys without a final read: " << one_per_line(result.unchecked);
  EXPECT_TRUE(result.ok) << "list-append guarantees broken (" << replay_note(run.seed) << "):\n"
                         << one_per_line(result.violations);

  // The final lists, written back plainly.
  const auto finals = final_lists(entries);
  const auto refused = refused_plain_sets(nodes, finals, std::chrono::seconds(30));
  EXPECT_TRUE(refused.empty()) << "plain writes refused at the end (" << replay_note(run.seed) << "):\n"
                               << one_per_line(refused);
}

}  // namespace kahuna::faults
