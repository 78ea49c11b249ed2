#include "console.h"

#include "command_line.h"
#include "exit_codes.h"
#include "line_reader.h"
#include "tokenize.h"

namespace kahuna::cli {

namespace {

constexpr const char* kConsoleHelp =
    "Type a command as on the command line, without 'kahuna-cli', e.g.\n"
    "  set users/7 hello --if-not-exists\n"
    "  lock jobs/42 --lease 10000\n"
    "  script -- 'GET `users/7`'\n"
    "  cluster status\n"
    "'help COMMAND' shows a command's options; 'history' lists past lines; 'quit' leaves.\n\n";

}  // namespace

int run_console(const GlobalOptions& globals, Session& session, std::istream& in, std::ostream& out,
                std::ostream& err) {
  LineReader reader(in);
  for (;;) {
    const std::optional<std::string> line = reader.read("kahuna> ");
    if (!line) break;
    const auto words = tokenize(*line);
    if (!words) {
      err << "kahuna-cli: unbalanced quotes\n";
      continue;
    }
    if (words->empty()) continue;
    const std::string& first = words->front();
    if (first == "quit" || first == "exit") break;
    if (first == "history") {
      for (std::size_t i = 0; i < reader.history().size(); ++i)
        out << (i + 1) << "  " << reader.history()[i] << '\n';
      continue;
    }
    CommandLine command(globals);
    if (first == "help") {
      if (words->size() == 1) {
        out << kConsoleHelp << command.help();
        continue;
      }
      std::vector<std::string> asking(words->begin() + 1, words->end());  // `help cluster join`
      asking.push_back("--help");
      (void)command.parse(asking, out, err);
      continue;
    }
    if (command.parse(*words, out, err)) continue;  // help or a usage error, already printed
    if (!command.has_command()) {
      err << "kahuna-cli: no command; type 'help'\n";
      continue;
    }
    (void)command.run(session, in, out, err);
    out.flush();
  }
  return kExitSuccess;
}

}  // namespace kahuna::cli
