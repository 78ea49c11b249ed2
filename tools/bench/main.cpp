// kahuna-bench: a load generator for Kahuna; see docs/benchmarks.md.
#include <csignal>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench_options.h"
#include "report.h"
#include "runner.h"

namespace {

// The first Ctrl-C (or SIGTERM) ends the run early with a report of what it
// measured; a second one ends the process at once.
extern "C" void on_stop_signal(int signal) {
  std::signal(signal, SIG_DFL);
  kahuna::bench::stop_measuring();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kahuna::bench;
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  CommandLineResult command = parse_command_line(arguments, std::cout, std::cerr);
  if (!command.options) return command.exit_code;
  const BenchOptions& options = *command.options;

  // The JSON file is opened before the run: a run whose results cannot be
  // written is not worth starting. With --json - the summary goes to stderr,
  // so stdout is only the JSON document.
  const bool json_to_stdout = options.json_path == "-";
  std::ofstream json_file;
  if (!options.json_path.empty() && !json_to_stdout) {
    json_file.open(options.json_path, std::ios::trunc);
    if (!json_file) {
      std::cerr << "kahuna-bench: cannot write --json " << options.json_path << "\n";
      return kExitUsage;
    }
  }
  std::ostream& human = json_to_stdout ? std::cerr : std::cout;

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  try {
    const Report report = make_report(options, run_benchmark(options, std::cerr));
    print_summary(report, human);
    if (json_to_stdout) write_json(report, std::cout);
    if (json_file.is_open()) write_json(report, json_file);
    if (report.interrupted) return kExitInterrupted;
    if (!report.setup_error.empty()) return kExitRequestErrors;
    if (report.failed()) {
      human << "kahuna-bench: " << report.errors << " request(s) failed (--allow-errors to exit 0 anyway)\n";
      return kExitRequestErrors;
    }
    return kExitOk;
  } catch (const std::exception& error) {
    std::cerr << "kahuna-bench: " << error.what() << "\n";
    return kExitRequestErrors;
  }
}
