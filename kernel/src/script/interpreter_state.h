// Interpreter: the state of one run of a script (interpreter.h) — private to
// the library, split over three files by job: interpreter.cpp (statements,
// control flow, transactions), interpreter_access.cpp (the key/value
// accesses and their outcomes) and interpreter_eval.cpp (expressions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "script/ast.h"
#include "script/functions.h"
#include "script/interpreter.h"
#include "script/run_budget.h"

namespace kahuna::script {

class Interpreter {
 public:
  Interpreter(const Script& script, ScriptHost& host, const ScriptParameters& parameters,
              const InterpreterLimits& limits);

  ScriptResult run();

 private:
  enum class Flow { kNext, kReturn };

  // ---- interpreter.cpp ----
  Flow block(const Block& statements);
  Flow statement(const Stmt& stmt);
  Flow for_loop(const ForStmt& loop, int line);
  Flow transaction_block(const BeginStmt& begin, int line);
  void commit(int line);
  [[noreturn]] void roll_back(int line);
  // Rolls back a transaction left open by a failure; never throws.
  void abandon_transaction() noexcept;
  void step(int line);
  bool condition(const Value& value, std::string_view what, int line) const;

  // ---- interpreter_access.cpp ----
  void set(const SetStmt& set, int line);
  void remove(const DeleteStmt& del, int line);
  void extend(const ExtendStmt& extend, int line);
  Value read(const ReadOp& op, int line);
  Value point_read(const ReadOp& op, const std::string& key, int line);
  Value prefix_read(const ReadOp& op, const std::string& key, int line);
  std::string resolve_key(const KeyRef& key, int line) const;
  // A key/value access in an explicit script after its COMMIT has no
  // transaction to run in.
  void check_access_allowed(int line) const;
  // Ends the script when the host refuses (see script_host.h).
  void check_host(const Status& status, std::string_view verb, std::string_view key, int line) const;
  // Ends the script unless `code` is one of `outcomes`.
  void check_outcome(KvCode code, std::initializer_list<KvCode> outcomes, std::string_view verb,
                     std::string_view key, int line) const;
  void record(ScriptCode code, std::vector<ScriptValueRow> rows);
  std::int64_t int_argument(const Expr& expr, std::string_view what, std::int64_t minimum);

  // ---- interpreter_eval.cpp ----
  Value eval(const Expr& expr);
  Value eval_node(const Expr& expr);
  Value eval_binary(const Expr::Binary& binary, int line);
  // A parameter's value, made (and charged) once per run however often it is read.
  Value parameter(const std::string& name, int line);
  bool guard(Guard guard, int line) const;

  const Script& script_;
  ScriptHost& host_;
  const ScriptParameters& parameters_;
  FunctionContext functions_;

  RunBudget budget_;
  std::unordered_map<std::string, Value> variables_;
  std::unordered_map<std::string, Value> parameter_values_;
  int current_line_ = 1;

  // The outcome of the last access: the script's answer unless it RETURNs.
  ScriptCode last_code_ = ScriptCode::kSet;
  std::vector<ScriptValueRow> last_rows_;
  // What the guards read: whether the last access of each kind succeeded.
  std::optional<bool> last_found_;
  std::optional<bool> last_set_;
  std::optional<bool> last_deleted_;
  std::optional<bool> last_extended_;

  bool transaction_open_ = false;
  std::optional<Value> returned_;
};

// The rows a RETURNed value answers: one per element of an array, else one.
// Their bytes are charged as values: an array of 100,000 copies of one
// 16 MiB string costs little to hold but 1.6 TB to answer.
std::vector<ScriptValueRow> rows_of(const Value& value);

}  // namespace kahuna::script
