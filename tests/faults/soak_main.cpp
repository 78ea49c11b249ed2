// kahuna_fault_soak: a long run of every workload (registers, locks,
// sequences, unique writes, bank and list-append transactions) against a
// cluster with peer proxies, under a mixed random fault schedule drawn from
// one seed, checked in epochs, with a report (docs/faults.md, "The soak").
// Run it through scripts/soak.sh.
//
// Exit code: 0 when every epoch's every check passed; 1 on any violation,
// inconclusive check or harness error; 2 on a bad command line; 130 when
// interrupted (SIGINT/SIGTERM), after stopping every process it started and
// writing the report of the epochs done.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>

#include "cluster_client.h"
#include "fault_network.h"
#include "local_cluster.h"
#include "mixed_nemesis.h"
#include "soak_epoch.h"
#include "soak_options.h"
#include "soak_report.h"

namespace {

std::atomic<bool> stopping{false};

void on_signal(int) { stopping = true; }

std::filesystem::path json_path(const std::string& report) {
  std::filesystem::path path(report);
  if (path.extension() == ".md") return path.replace_extension(".json");
  return std::filesystem::path(report + ".json");
}

void write_reports(const kahuna::faults::SoakReport& report, const std::string& file) {
  std::ofstream markdown(file);
  kahuna::faults::write_markdown(report, markdown);
  std::ofstream json(json_path(file));
  kahuna::faults::write_json(report, json);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kahuna;
  faults::SoakOptions options;
  if (const std::string error = faults::parse_soak_options(argc, argv, options); !error.empty()) {
    std::cerr << error << "\n" << faults::kSoakUsage;
    return 2;
  }
  if (!options.seed_given) options.seed = std::random_device{}() * 1000003ull + std::random_device{}();
  if (!options.strictness_given) options.strictness = faults::strictness_from_environment();
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const auto started = std::chrono::steady_clock::now();
  auto log = [started](const std::string& line) {
    const double at = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "[" << std::fixed << std::setprecision(1) << std::setw(7) << at << "s] " << line
              << std::endl;
  };
  faults::SoakReport report;
  report.seed = options.seed;
  report.duration = options.duration_text;
  report.nodes = options.nodes;
  report.spares = options.membership ? options.spares : 0;
  report.engine = options.engine;
  report.mode = faults::name(options.strictness);
  log("soak: seed " + std::to_string(options.seed) + ", " + options.duration_text + ", " +
      std::to_string(options.nodes) + " nodes, " + options.engine + ", " + report.mode + " mode, epochs of " +
      std::to_string(options.epoch.count()) + " s, report " + options.report +
      (options.membership ? ", membership changes with " + std::to_string(options.spares) + " spare nodes"
                          : ""));

  int exit_code = 0;
  {
    // With membership changes, spare nodes configured to join come after
    // the first members, and each group has three replicas whatever the
    // number of members.
    testing::ClusterOptions cluster_options{options.nodes + (options.membership ? options.spares : 0), 4};
    if (options.membership) {
      cluster_options.first_members = options.nodes;
      cluster_options.replication_factor = 3;
    }
    cluster_options.engine = options.engine;
    // Compact often, so snapshots are made, stored, sent and restored under
    // every kind of fault rather than a few times an hour.
    cluster_options.compact_after_entries = 500;
    cluster_options.peer_proxies = true;
    cluster_options.http = KAHUNA_FAULTS_WITH_HTTP;
    const auto dir = std::filesystem::temp_directory_path() / ("kahuna-soak-" + std::to_string(::getpid()));
    testing::LocalCluster cluster(dir, cluster_options);
    faults::FaultNetwork network(cluster);
    for (int id = 1; id <= options.nodes; ++id) cluster.start(id);
    testing::ClusterClient admin(cluster);
    admin.wait_for_leaders(std::chrono::seconds(60));
    faults::MixedNemesis nemesis(cluster, network, admin, cluster_options.partitions, options.seed);
    if (options.membership) nemesis.enable_membership(options.nodes, cluster_options.replication_factor);
    nemesis.log = log;
    faults::SoakCluster soak{
        cluster, network, admin, nemesis, cluster_options.partitions, options.seed, log, options.strictness};

    for (int number = 1; !stopping; ++number) {
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
      const auto left = options.duration - elapsed;
      if (left < std::chrono::seconds(10)) break;
      log("epoch " + std::to_string(number) + " begins");
      auto epoch = faults::run_epoch(soak, number, std::min(left, options.epoch), stopping);
      if (stopping) break;
      std::string verdicts;
      for (const auto& check : epoch.checks) verdicts += " " + check.check + "=" + check.verdict;
      log("epoch " + std::to_string(number) + " checked:" + verdicts);
      report.epochs.push_back(std::move(epoch));
      report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      write_reports(report, options.report);
    }
    if (!report.ok()) {
      // Keep the nodes' logs next to the report for the post-mortem.
      const auto logs =
          std::filesystem::path(options.report).parent_path() / ("soak-logs-" + std::to_string(options.seed));
      std::error_code ignored;
      std::filesystem::create_directories(logs, ignored);
      for (int id = 1; id <= cluster.size(); ++id) {
        const auto name = "node" + std::to_string(id) + ".log";
        std::filesystem::copy_file(dir / name, logs / name, std::filesystem::copy_options::overwrite_existing,
                                   ignored);
      }
      log("node logs kept in " + logs.string());
    }
    log("stopping the cluster");
  }
  report.interrupted = stopping;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_reports(report, options.report);
  exit_code = report.interrupted ? 130 : report.ok() ? 0 : 1;
  log(std::string("soak ") +
      (report.interrupted ? "interrupted"
       : report.ok()      ? "passed"
                          : "FAILED") +
      "; report " + options.report + " and " + json_path(options.report).string());
  return exit_code;
}
