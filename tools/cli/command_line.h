// CommandLine: the grammar of kahuna-cli — global options and one command —
// for a process's arguments and for each line of the console alike.
#pragma once

#include <istream>
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

  // Runs the parsed command; its exit code (exit_codes.h). `in` is read by
  // the commands that take lines of their own (`tx`).
  int run(Session& session, std::istream& in, std::ostream& out, std::ostream& err) const;

  const GlobalOptions& globals() const noexcept { return globals_; }

  // The list of commands, for `help`.
  std::string help() const { return app_.help(); }

 private:
  CLI::App* command(const std::string& name, const std::string& description, CommandHandler handler);
  void add_kv_commands();
  void add_scan_commands();
  void add_lock_commands();
  void add_sequence_commands();
  void add_transaction_commands();
  void add_cluster_commands();
  // `script FILE` or `script -- TEXT`: which one `words` says; a usage
  // problem's message, if any.
  std::optional<std::string> settle_script_source(const std::vector<std::string>& words);

  CLI::App app_;
  GlobalOptions globals_;
  CommandArguments args_;
  std::map<const CLI::App*, CommandHandler> handlers_;
  const CLI::App* selected_ = nullptr;
  const CLI::App* script_ = nullptr;
};

}  // namespace kahuna::cli
