// CommandLine: the grammar of kahuna-cli — global options and one command —
// for a process's arguments and for each line of the console alike.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "arguments.h"
#include "commands.h"
#include "session.h"

namespace kahuna::cli {

class CommandLine {
 public:
  // `defaults` are the global options before this line's own.
  explicit CommandLine(const GlobalOptions& defaults);

  // Parses `words` (without the program name). nullopt: a command line to
  // run (or none at all: the console); otherwise the exit code, after help or
  // a usage error was printed.
  std::optional<int> parse(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

  bool has_command() const noexcept { return selected_ != nullptr; }

  // Runs the parsed command; its exit code (exit_codes.h).
  int run(Session& session, std::ostream& out, std::ostream& err) const;

  const GlobalOptions& globals() const noexcept { return globals_; }

  // The list of commands, for `help`.
  std::string help() const { return app_.help(); }

 private:
  CLI::App* command(const std::string& name, const std::string& description, CommandHandler handler);
  void add_kv_commands();
  void add_scan_commands();
  void add_lock_commands();
  void add_sequence_commands();
  void add_cluster_commands();

  CLI::App app_;
  GlobalOptions globals_;
  CommandArguments args_;
  std::map<const CLI::App*, CommandHandler> handlers_;
  const CLI::App* selected_ = nullptr;
};

}  // namespace kahuna::cli
