#include "tx_soak_workloads.h"

#include <map>
#include <thread>

#include "held_keys.h"

namespace kahuna::faults {
namespace {

constexpr int kFinalReader = 1000;

template <class Op>
OutcomeCounts outcomes(const std::vector<Recorded<Op>>& entries) {
  OutcomeCounts counts;
  for (const auto& e : entries) {
    counts.ok += e.outcome == Outcome::kOk;
    counts.fail += e.outcome == Outcome::kFail;
    counts.unknown += e.outcome == Outcome::kUnknown;
  }
  return counts;
}

// A script that cannot run (a parse or argument error) leaves a history of
// errors that proves nothing: a harness error, not a pass.
std::vector<std::string> script_errors(const ScriptTally& tally) {
  std::vector<std::string> errors;
  for (const std::string& error : tally.errors()) {
    if (error.find("Syntax error") != std::string::npos || error.find("expects") != std::string::npos)
      errors.push_back("a workload script failed: " + error);
  }
  return errors;
}

}  // namespace

TxSoakWorkloads::TxSoakWorkloads(const std::string& tag, std::uint32_t partitions,
                                 std::vector<std::string> endpoints, Strictness strictness)
    : endpoints_(std::move(endpoints)),
      strictness_(strictness),
      bank_(make_bank("soak-" + tag + "-bank", 5, partitions)),
      lists_(make_list_keys("soak-" + tag + "-lists", 6, partitions)) {}

void TxSoakWorkloads::prepare(std::vector<std::string>& harness_errors) {
  bank_open_ = open_bank(endpoints_, bank_, std::chrono::seconds(30));
  if (!bank_open_) harness_errors.push_back("could not open the bank's accounts");
}

void TxSoakWorkloads::spawn(Workers& workers, std::uint64_t seed) {
  for (int p = 1; p <= 3; ++p) {
    ProcessContext context{p, endpoints_, seed * 31 + static_cast<std::uint64_t>(p)};
    context.strictness = strictness_;
    if (bank_open_) {
      workers.spawn([this, context](const std::atomic<bool>& stop) {
        run_bank_process(context, bank_, stop, bank_history_, &bank_tally_);
      });
    }
    ProcessContext lists = context;
    lists.seed += 7;
    workers.spawn([this, lists](const std::atomic<bool>& stop) {
      run_list_append_process(lists, lists_, stop, list_history_, &list_tally_);
    });
  }
}

void TxSoakWorkloads::check(std::chrono::steady_clock::time_point ended, EpochResult& result) {
  // A second for the partitions to settle a dead coordinator's transactions
  // after their deadline, and slack.
  std::this_thread::sleep_until(ended + kLongestTransaction + std::chrono::seconds(3));
  std::vector<std::string> keys = lists_;
  if (bank_open_) keys.insert(keys.end(), bank_.accounts.begin(), bank_.accounts.end());
  std::vector<std::string> held = probe_held_keys(endpoints_, keys, std::chrono::seconds(60));

  const ProcessContext reader{kFinalReader, endpoints_, 0};
  std::map<std::string, std::string> finals;  // the final values, written back plainly at the end
  if (bank_open_) {
    const bool read = read_bank_finally(reader, bank_, std::chrono::seconds(60), bank_history_);
    const auto entries = bank_history_.entries();
    result.operations["bank"] = outcomes(entries);
    result.checks.push_back(bank_verdict(entries, read));
    finals = final_balances(bank_, entries);
  }
  const bool read = read_lists_finally(reader, lists_, std::chrono::seconds(60), list_history_);
  const auto entries = list_history_.entries();
  result.operations["list-append"] = outcomes(entries);
  result.checks.push_back(list_append_verdict(entries, read));
  finals.merge(final_lists(entries));
  for (auto& refused : refused_plain_sets(endpoints_, finals, std::chrono::seconds(60))) {
    held.push_back("plain write refused at the end: " + refused);
  }
  result.checks.push_back(CheckVerdict{"held keys", held.empty() ? "ok" : "violation",
                                       std::to_string(keys.size()) + " keys probed after every deadline, " +
                                           std::to_string(finals.size()) + " written back",
                                       held});
  for (auto& error : script_errors(bank_tally_)) result.harness_errors.push_back(std::move(error));
  for (auto& error : script_errors(list_tally_)) result.harness_errors.push_back(std::move(error));
}

CheckVerdict TxSoakWorkloads::bank_verdict(const std::vector<Recorded<BankOp>>& entries,
                                           bool read_finally) const {
  const auto check = check_bank(entries, bank_.accounts.size(), bank_.total());
  CheckVerdict verdict{"bank", check.ok ? "ok" : "violation",
                       std::to_string(bank_.accounts.size()) + " accounts, " +
                           std::to_string(check.transfers) + " transfers committed (" +
                           std::to_string(check.moved) + " moved money), " + std::to_string(check.reads) +
                           " read-alls; answers: " + bank_tally_.summary(),
                       check.violations};
  if (check.ok && !read_finally) {
    verdict.verdict = "inconclusive";
    verdict.violations.push_back("the accounts could not be read at the end");
  }
  return verdict;
}

CheckVerdict TxSoakWorkloads::list_append_verdict(const std::vector<Recorded<ListAppendOp>>& entries,
                                                  bool read_finally) const {
  const auto check = check_list_append(entries);
  CheckVerdict verdict{"list-append", check.ok ? "ok" : "violation",
                       std::to_string(lists_.size()) + " lists, " + std::to_string(check.committed) +
                           " transactions committed, " + std::to_string(check.unknown_observed) +
                           " unknown seen to commit, longest list " + std::to_string(check.longest) +
                           "; answers: " + list_tally_.summary(),
                       check.violations};
  if (check.ok && (!read_finally || !check.unchecked.empty())) {
    verdict.verdict = "inconclusive";
    verdict.violations.push_back("the lists could not be read at the end: lost appends not checked");
  }
  return verdict;
}

}  // namespace kahuna::faults
