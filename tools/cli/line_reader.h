// LineReader: the console's input. On a terminal (and when built with
// libedit) lines are edited, with history; otherwise they
// are read plainly, with a prompt only on a terminal, and kept in an
// in-memory history that `history` lists.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace kahuna::cli {

class LineReader {
 public:
  explicit LineReader(std::istream& in);

  // The next line, without its newline; nullopt at end of input.
  std::optional<std::string> read(const std::string& prompt);

  // Lines read so far (non-blank ones), oldest first.
  const std::vector<std::string>& history() const noexcept { return history_; }

 private:
  std::istream& in_;
  bool interactive_;
  std::vector<std::string> history_;
};

}  // namespace kahuna::cli
