// Interpreter: statements, control flow and the transaction life cycle
// (interpreter.h, interpreter_state.h).
#include "script/interpreter.h"

#include <new>
#include <type_traits>
#include <utility>
#include <variant>

#include "script/interpreter_state.h"

namespace kahuna::script {

ScriptResult run_script(const Script& script, ScriptHost& host, const ScriptParameters& parameters,
                        const InterpreterLimits& limits) {
  return Interpreter(script, host, parameters, limits).run();
}

Interpreter::Interpreter(const Script& script, ScriptHost& host, const ScriptParameters& parameters,
                         const InterpreterLimits& limits)
    : script_(script),
      host_(host),
      parameters_(parameters),
      budget_(limits.max_steps, limits.max_value_bytes) {
  functions_.now = [this] { return host_.now(); };
}

ScriptResult Interpreter::run() {
  // Every value made from here on, however deep, is charged to this run.
  const RunBudget::Scope budget_scope(budget_);
  ScriptResult result;
  try {
    if (script_.transaction_mode() == TransactionMode::kAutoCommit) {
      check_host(host_.begin(TransactionOptions{}), "BEGIN", "", 1);
      transaction_open_ = true;
    }
    block(script_.program());
    // The reply is made before the commit: a RETURN too big to answer fails
    // while its transaction can still be rolled back.
    if (returned_) {
      result.code = ScriptCode::kGet;
      result.values = rows_of(*returned_);
    } else {
      result.code = last_code_;
      result.values = std::move(last_rows_);
    }
    if (transaction_open_) commit(current_line_);
  } catch (const ScriptFailure& failure) {
    abandon_transaction();
    result = ScriptResult{failure.code(), failure.error().reason(), {}};
  } catch (const std::bad_alloc&) {
    abandon_transaction();
    result = ScriptResult{ScriptCode::kErrored, ScriptError{"out of memory", current_line_}.reason(), {}};
  } catch (const std::exception& e) {
    abandon_transaction();
    result = ScriptResult{ScriptCode::kErrored, ScriptError{e.what(), current_line_}.reason(), {}};
  } catch (...) {
    abandon_transaction();
    result =
        ScriptResult{ScriptCode::kErrored, ScriptError{"unexpected exception", current_line_}.reason(), {}};
  }
  return result;
}

Interpreter::Flow Interpreter::block(const Block& statements) {
  for (const StmtPtr& stmt : statements) {
    if (statement(*stmt) == Flow::kReturn) return Flow::kReturn;
  }
  return Flow::kNext;
}

Interpreter::Flow Interpreter::statement(const Stmt& stmt) {
  const int line = stmt.line;
  current_line_ = line;
  step(line);
  return std::visit(
      [&](const auto& node) -> Flow {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, SetStmt>) {
          set(node, line);
        } else if constexpr (std::is_same_v<Node, ReadStmt>) {
          read(node.op, line);
        } else if constexpr (std::is_same_v<Node, DeleteStmt>) {
          remove(node, line);
        } else if constexpr (std::is_same_v<Node, ExtendStmt>) {
          extend(node, line);
        } else if constexpr (std::is_same_v<Node, LetStmt>) {
          Value value = eval(*node.value);
          variables_.insert_or_assign(node.name, std::move(value));
        } else if constexpr (std::is_same_v<Node, IfStmt>) {
          const bool taken = condition(eval(*node.condition), "IF", line);
          return block(taken ? node.then_block : node.else_block);
        } else if constexpr (std::is_same_v<Node, ForStmt>) {
          return for_loop(node, line);
        } else if constexpr (std::is_same_v<Node, BeginStmt>) {
          return transaction_block(node, line);
        } else if constexpr (std::is_same_v<Node, CommitStmt>) {
          commit(line);
        } else if constexpr (std::is_same_v<Node, RollbackStmt>) {
          roll_back(line);
        } else if constexpr (std::is_same_v<Node, ReturnStmt>) {
          if (node.value) returned_ = eval(*node.value);
          return Flow::kReturn;
        } else if constexpr (std::is_same_v<Node, ThrowStmt>) {
          throw ScriptFailure(to_text(eval(*node.message)), line);
        } else if constexpr (std::is_same_v<Node, SleepStmt>) {
          const std::int64_t ms = int_argument(*node.ms, "SLEEP", 0);
          check_host(host_.sleep(ms), "SLEEP", "", line);
        }
        return Flow::kNext;
      },
      stmt.node);
}

Interpreter::Flow Interpreter::for_loop(const ForStmt& loop, int line) {
  // The array is immutable and shared: the body cannot change what it walks.
  const Value iterable = eval(*loop.iterable);
  if (iterable.type() != Value::Type::kArray) {
    throw ScriptFailure("FOR expects an array (e.g. 1..10), got " + std::string(type_name(iterable)), line);
  }
  for (const Value& element : iterable.as_array()) {
    step(line);
    variables_.insert_or_assign(loop.variable, element);
    if (block(loop.body) == Flow::kReturn) return Flow::kReturn;
  }
  return Flow::kNext;
}

Interpreter::Flow Interpreter::transaction_block(const BeginStmt& begin, int line) {
  check_host(host_.begin(begin.options), "BEGIN", "", line);
  transaction_open_ = true;
  const Flow flow = block(begin.body);
  if (transaction_open_) {
    // Leaving BEGIN … END without COMMIT (RETURN included) discards it.
    abandon_transaction();
    throw ScriptFailure("transaction rolled back: BEGIN … END ended without COMMIT", line,
                        ScriptCode::kAborted);
  }
  return flow;
}

void Interpreter::commit(int line) {
  if (!transaction_open_) throw ScriptFailure("COMMIT with no open transaction (already committed?)", line);
  // Whatever the answer, the transaction is over: a failed commit is aborted
  // or undecided, and neither may be rolled back from here.
  transaction_open_ = false;
  check_host(host_.commit(), "COMMIT", "", line);
}

void Interpreter::roll_back(int line) {
  abandon_transaction();
  throw ScriptFailure("transaction rolled back by ROLLBACK", line, ScriptCode::kAborted);
}

void Interpreter::abandon_transaction() noexcept {
  if (!transaction_open_) return;
  transaction_open_ = false;
  try {
    (void)host_.rollback();  // the outcome is the failure being reported, not this
  } catch (...) {
  }
}

void Interpreter::step(int line) {
  try {
    budget_.step();
  } catch (const ValueError& error) {
    throw ScriptFailure(error.message(), line);
  }
}

bool Interpreter::condition(const Value& value, std::string_view what, int line) const {
  if (value.type() != Value::Type::kBool) {
    throw ScriptFailure(std::string(what) + " expects a bool condition, got " + std::string(type_name(value)),
                        line);
  }
  return value.as_bool();
}

std::vector<ScriptValueRow> rows_of(const Value& value) {
  auto row = [](const Value& v) {
    ScriptValueRow r;
    r.value = v.type() == Value::Type::kArray ? std::optional<std::string>(to_json(v)) : to_stored_bytes(v);
    charge_value(r.value ? r.value->size() : 0);
    if (const ReadInfo* info = v.read_info()) {
      r.key = info->key;
      r.revision = info->revision;
      r.expires = info->expires;
      r.last_modified = info->last_modified;
    }
    return r;
  };
  std::vector<ScriptValueRow> rows;
  if (value.type() == Value::Type::kArray) {
    for (const Value& element : value.as_array()) rows.push_back(row(element));
  } else {
    rows.push_back(row(value));
  }
  return rows;
}

}  // namespace kahuna::script
