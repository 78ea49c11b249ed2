// ScriptError: what went wrong in a Kahuna Script and on which line — the
// one form every lexing, parsing and run-time failure takes. The reply's
// reason is "<message> at line N" (TRANSACTIONS.md §4).
//
// Inside the library a failure unwinds as a ScriptFailure exception (a parser
// or interpreter many calls deep has nothing useful to do but stop); the
// entry points (Script::parse, run_script) catch it and return values, so no
// exception leaves the library. ValueError is the line-less form thrown by
// value arithmetic and the functions, which do not know where they are
// called from; the interpreter adds the line of the expression.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "script/script_result.h"

namespace kahuna::script {

struct ScriptError {
  std::string message;
  int line = 0;

  // "Syntax error: expected THEN at line 3"
  std::string reason() const { return message + " at line " + std::to_string(line); }
};

class ScriptFailure : public std::exception {
 public:
  ScriptFailure(std::string message, int line, ScriptCode code = ScriptCode::kErrored)
      : error_{std::move(message), line}, code_(code) {}

  const ScriptError& error() const noexcept { return error_; }
  // The reply code the script ends with: 99 for errors, or the code a host
  // failure or a rollback carries (101, 102, ...).
  ScriptCode code() const noexcept { return code_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  ScriptError error_;
  ScriptCode code_;
};

class ValueError : public std::exception {
 public:
  explicit ValueError(std::string message) : message_(std::move(message)) {}
  const std::string& message() const noexcept { return message_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

}  // namespace kahuna::script
