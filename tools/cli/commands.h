// The commands of kahuna-cli: each calls the SDK, prints the reply and
// returns the exit code (exit_codes.h).
#pragma once

#include <istream>
#include <string>

#include <kahuna/client/client.h>
#include <CLI/CLI.hpp>

#include "arguments.h"
#include "printer.h"

namespace kahuna::cli {

struct CommandContext {
  client::Client& client;
  Printer& printer;
  const CommandArguments& args;
  const CLI::App& command;  // the parsed subcommand, to ask which options were given
  std::istream& in;         // the input a command reads lines from (`tx`)

  bool given(const std::string& option) const { return command.count(option) > 0; }
};

using CommandHandler = int (*)(const CommandContext&);

// Prints a failed call and returns its exit code; for `if (!reply) return failed(...)`.
int failed(const CommandContext& context, const client::Error& error);

int run_set(const CommandContext& context);
int run_get(const CommandContext& context);
int run_exists(const CommandContext& context);
int run_delete(const CommandContext& context);
int run_extend(const CommandContext& context);
int run_scan(const CommandContext& context);
int run_bucket(const CommandContext& context);
int run_range(const CommandContext& context);
int run_lock(const CommandContext& context);
int run_unlock(const CommandContext& context);
int run_extend_lock(const CommandContext& context);
int run_get_lock(const CommandContext& context);
int run_sequence_create(const CommandContext& context);
int run_sequence_next(const CommandContext& context);
int run_sequence_reserve(const CommandContext& context);
int run_sequence_get(const CommandContext& context);
int run_sequence_update(const CommandContext& context);
int run_sequence_delete(const CommandContext& context);
// script_command.cpp
int run_script(const CommandContext& context);
// tx_console.cpp
int run_tx(const CommandContext& context);
// cluster_commands.cpp
int run_status(const CommandContext& context);
int run_cluster_join(const CommandContext& context);
int run_cluster_leave(const CommandContext& context);
int run_cluster_remove(const CommandContext& context);
int run_cluster_replication_factor(const CommandContext& context);

}  // namespace kahuna::cli
