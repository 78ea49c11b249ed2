// Parser: Kahuna Script text -> syntax tree (ast.h), by hand-written
// recursive descent over the lexer's tokens (TRANSACTIONS.md §4).
//
// Besides the grammar it enforces the limits and the rules that make a
// script safe to run before anything is written:
// - at most kMaxScriptBytes of text, and a tree at most kMaxAstDepth deep
//   (counting both nesting — parentheses, blocks, unary operators — and the
//   height of operator chains like 1+1+…+1), so no input can exhaust the
//   stack of the parser, the interpreter or a destructor;
// - functions exist and get a number of arguments they take;
// - transactions are well formed: no BEGIN inside BEGIN, COMMIT only inside
//   BEGIN … END, no SCAN BY PREFIX inside BEGIN (a scan of every partition
//   is not transactional), and a script that has a BEGIN keeps every
//   key/value statement inside one (none runs outside its transaction by
//   accident).
//
// Error messages of grammar errors start with "Syntax error"; every error
// has the line it was found on.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "script/ast.h"
#include "script/script_error.h"

namespace kahuna::script {

inline constexpr std::size_t kMaxScriptBytes = 64 * 1024;

struct ParseOutput {
  Block program{};  // empty when there is an error
  std::optional<ScriptError> error{};
};

// `max_bytes` is the size limit; only tests raise it (to show that depth,
// not size, is what keeps 100,000 nested parentheses from the stack).
ParseOutput parse_program(std::string_view text, std::size_t max_bytes = kMaxScriptBytes);

}  // namespace kahuna::script
