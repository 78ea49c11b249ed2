// kahuna-cli: run one command against a Kahuna cluster, or an interactive
// console when no command is given. See docs/cli.md.
#include <iostream>
#include <string>
#include <vector>

#include "command_line.h"
#include "console.h"
#include "session.h"

int main(int argc, char** argv) {
  using namespace kahuna::cli;
  CommandLine command{GlobalOptions{}};
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (const auto exit_code = command.parse(words, std::cout, std::cerr)) return *exit_code;
  Session session;
  if (!command.has_command()) return run_console(command.globals(), session, std::cin, std::cout, std::cerr);
  return command.run(session, std::cin, std::cout, std::cerr);
}
