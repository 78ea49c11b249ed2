// The interactive console: the same commands as the command line, one per
// line, on one connection to the cluster, plus `help`, `history` and `quit`.
#pragma once

#include <istream>
#include <ostream>

#include "arguments.h"
#include "session.h"

namespace kahuna::cli {

// Reads commands from `in` until `quit`, `exit` or end of input. Returns 0.
int run_console(const GlobalOptions& globals, Session& session, std::istream& in, std::ostream& out,
                std::ostream& err);

}  // namespace kahuna::cli
