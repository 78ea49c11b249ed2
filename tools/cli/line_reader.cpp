#include "line_reader.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#ifdef KAHUNA_CLI_HAVE_LINE_EDITING
#include <editline/readline.h>
#endif

namespace kahuna::cli {

LineReader::LineReader(std::istream& in)
    : in_(in), interactive_(&in == &std::cin && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {}

std::optional<std::string> LineReader::read(const std::string& prompt) {
  std::string line;
#ifdef KAHUNA_CLI_HAVE_LINE_EDITING
  if (interactive_) {
    char* raw = ::readline(prompt.c_str());
    if (raw == nullptr) return std::nullopt;
    line = raw;
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) {
      ::add_history(line.c_str());
      history_.push_back(line);
    }
    return line;
  }
#endif
  if (interactive_) std::cout << prompt << std::flush;
  if (!std::getline(in_, line)) return std::nullopt;
  if (line.find_first_not_of(" \t") != std::string::npos) history_.push_back(line);
  return line;
}

}  // namespace kahuna::cli
