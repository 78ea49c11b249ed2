#include "soak_epoch.h"

#include <random>
#include <thread>

#include <kahuna/placement.h>

#include "fault_test_util.h"
#include "final_reads.h"
#include "tx_soak_workloads.h"
#include "workers.h"
#include "workloads.h"

namespace kahuna::faults {
namespace {

template <class Op>
OutcomeCounts count_outcomes(const std::vector<Recorded<Op>>& entries) {
  OutcomeCounts counts;
  for (const auto& e : entries) {
    counts.ok += e.outcome == Outcome::kOk;
    counts.fail += e.outcome == Outcome::kFail;
    counts.unknown += e.outcome == Outcome::kUnknown;
  }
  return counts;
}

CheckVerdict from_violations(const std::string& check, bool ok, const std::vector<std::string>& violations,
                             std::string summary) {
  return CheckVerdict{check, ok ? "ok" : "violation", std::move(summary), violations};
}

// Every node up and answering, and a leader for every partition everywhere.
// (A spare not yet started, or a node that left or was removed, has no
// process: it neither counts as crashed nor is asked for leaders.)
bool settle(SoakCluster& soak, std::vector<std::string>& errors) {
  for (int id = 1; id <= soak.cluster.size(); ++id) {
    if (soak.cluster.crashed(id)) {
      std::string output = soak.cluster.output(id);
      if (output.size() > 4000) output = "..." + output.substr(output.size() - 4000);
      errors.push_back("node " + std::to_string(id) + " crashed:\n" + output);
    }
  }
  if (!errors.empty()) return false;
  const auto& ad_hoc = ::testing::UnitTest::GetInstance()->ad_hoc_test_result();
  const int failures_before = ad_hoc.total_part_count();
  soak.admin.wait_for_leaders(std::chrono::seconds(60));
  if (ad_hoc.total_part_count() != failures_before) {
    errors.push_back("the cluster did not agree on leaders within 60 s after healing: " +
                     leader_views(soak.cluster, soak.admin));
    return false;
  }
  return true;
}

}  // namespace

EpochResult run_epoch(SoakCluster& soak, int number, std::chrono::seconds length,
                      const std::atomic<bool>& stopping) {
  EpochResult result;
  result.number = number;
  const auto began = std::chrono::steady_clock::now();
  std::mt19937_64 random(soak.seed * 1000003 + static_cast<std::uint64_t>(number));
  const std::string tag = "e" + std::to_string(number);
  // Fresh registers, lock owners, a fresh sequence, bank and lists each
  // epoch: every checker starts from a known state.
  const std::vector<std::string> keys = {"soak-" + tag + "-a/x", "soak-" + tag + "-b/x",
                                         "soak-" + tag + "-c/x", "soak-" + tag + "-d/x"};
  const std::string resource = "soak-lock-" + tag;
  const std::string sequence = "soak-seq-" + tag;
  // Through a member: node 1 may have left (call_until_served goes on to
  // the other running nodes when the first is down).
  const auto created =
      soak.admin.call_until_served(*soak.nemesis.members().begin(), testing::sequence_create(sequence));
  if (const auto* reply = std::get_if<Routed<SequenceReply>>(&created);
      !reply || reply->reply.code != SequenceCode::kSuccess) {
    result.harness_errors.push_back("could not create sequence " + sequence);
  }
  // The transaction workloads: a bank and lists of their own this epoch.
  TxSoakWorkloads transactions(tag, soak.partitions, endpoints(soak.cluster), soak.strictness);
  transactions.prepare(result.harness_errors);

  History<RegisterOp> registers;
  History<LockOp> locks;
  History<SequenceOp> sequences;
  History<RegisterOp> writes;
  {
    Workers workers;
    const auto nodes = endpoints(soak.cluster);
    auto process = [&](int id, std::uint64_t process_seed) {
      ProcessContext context{id, nodes, process_seed};
      context.strictness = soak.strictness;
      return context;
    };
    for (int p = 1; p <= 3; ++p) {
      const std::uint64_t s = random();
      workers.spawn([&, context = process(p, s)](const std::atomic<bool>& stop) {
        run_register_process(context, keys, stop, registers);
      });
      workers.spawn([&, context = process(p, s + 1)](const std::atomic<bool>& stop) {
        run_lock_process(context, resource, 500, stop, locks);
      });
      workers.spawn([&, context = process(p, s + 2)](const std::atomic<bool>& stop) {
        run_sequence_process(context, sequence, stop, sequences);
      });
    }
    for (int p = 1; p <= 2; ++p) {
      // Writer keys embed the process number: unique across epochs.
      ProcessContext context = process(number * 10 + p, random());
      context.pace = std::chrono::milliseconds(20);
      workers.spawn(
          [&, context](const std::atomic<bool>& stop) { run_writer_process(context, stop, writes); });
    }
    // Seeded apart from `random`, whose draws make the epoch's schedule.
    transactions.spawn(workers, soak.seed * 7919 + static_cast<std::uint64_t>(number));
    const auto until = began + length;
    while (std::chrono::steady_clock::now() < until && !stopping) {
      const auto pause = std::chrono::milliseconds(300 + random() % 1700);
      for (auto t = std::chrono::milliseconds(0); t < pause && !stopping;
           t += std::chrono::milliseconds(50)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (std::chrono::steady_clock::now() + std::chrono::seconds(3) >= until || stopping) break;
      soak.nemesis.step(stopping);
    }
    result.faults = soak.nemesis.take_counts();
    // A membership change that did not settle is the epoch's harness error.
    for (auto& error : soak.nemesis.take_errors()) result.harness_errors.push_back(std::move(error));
    if (stopping) {
      workers.stop();
      result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
      return result;
    }
    // Heal first, with the clients still running: they see the cluster
    // come back whole before their histories end.
    soak.nemesis.heal_all();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    workers.stop();
  }
  const auto stopped = std::chrono::steady_clock::now();
  soak.log("epoch " + std::to_string(number) + ": workloads stopped, checking");
  if (!settle(soak, result.harness_errors)) {
    result.checks.push_back(CheckVerdict{
        "nodes", "violation", "a node crashed or the cluster did not recover", result.harness_errors});
    result.harness_errors.clear();
  }

  const ProcessContext reader{1000, endpoints(soak.cluster), soak.seed};
  const auto unread = run_final_reads(reader, keys, std::chrono::seconds(30), registers);
  const auto register_entries = registers.entries();
  const auto lock_entries = locks.entries();
  const auto sequence_entries = sequences.entries();
  const auto write_entries = writes.entries();
  result.operations["registers"] = count_outcomes(register_entries);
  result.operations["locks"] = count_outcomes(lock_entries);
  result.operations["sequences"] = count_outcomes(sequence_entries);
  result.operations["unique writes"] = count_outcomes(write_entries);

  const auto linearizable = check_registers(register_entries);
  CheckVerdict registers_verdict{
      "registers",
      linearizable.ok ? "ok" : "violation",
      std::to_string(keys.size()) + " keys, " + std::to_string(register_entries.size()) + " operations",
      {}};
  if (linearizable.inconclusive) registers_verdict.verdict = "inconclusive";
  // The report names its key already.
  if (!linearizable.ok) registers_verdict.violations.push_back(linearizable.report);
  if (!unread.empty()) {
    registers_verdict.verdict =
        registers_verdict.verdict == "ok" ? "inconclusive" : registers_verdict.verdict;
    registers_verdict.violations.push_back(std::to_string(unread.size()) +
                                           " keys could not be read at the end");
  }
  result.checks.push_back(registers_verdict);

  const auto lock_check = check_locks(lock_entries);
  int grants = 0;
  for (const auto& e : lock_entries)
    grants += e.outcome == Outcome::kOk && e.op.result == LockOp::Result::kGranted;
  result.checks.push_back(
      from_violations("locks", lock_check.ok, lock_check.violations, std::to_string(grants) + " grants"));

  const auto sequence_check = check_sequences(sequence_entries);
  result.checks.push_back(from_violations("sequences", sequence_check.ok, sequence_check.violations,
                                          std::to_string(sequence_check.values) + " values"));

  const auto writes_check =
      check_writes_present(endpoints(soak.cluster), write_entries, std::chrono::seconds(120));
  std::vector<std::string> writes_violations = writes_check.lost;
  writes_violations.insert(writes_violations.end(), writes_check.phantom.begin(), writes_check.phantom.end());
  CheckVerdict writes_verdict{"unique writes", writes_violations.empty() ? "ok" : "violation",
                              std::to_string(writes_check.acknowledged) + " acknowledged, " +
                                  std::to_string(writes_check.unknown_present) + " unacknowledged present, " +
                                  std::to_string(writes_check.failed) + " failed",
                              writes_violations};
  if (writes_verdict.violations.size() > 20) {
    const auto more = writes_verdict.violations.size() - 20;
    writes_verdict.violations.resize(20);
    writes_verdict.violations.push_back("... and " + std::to_string(more) + " more");
  }
  if (writes_violations.empty() && !writes_check.unreadable.empty()) {
    writes_verdict.verdict = "inconclusive";
    writes_verdict.violations.push_back(std::to_string(writes_check.unreadable.size()) +
                                        " writes could not be read back");
  }
  result.checks.push_back(writes_verdict);
  transactions.check(stopped, result);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return result;
}

}  // namespace kahuna::faults
