// Interpreter: expressions (interpreter_state.h). Value rules live in
// value.cpp; here are the parts that need the run's state — variables,
// parameters, guards, reads — and the line a failing rule is reported at.
#include <type_traits>
#include <utility>
#include <variant>

#include "script/interpreter_state.h"

namespace kahuna::script {

Value Interpreter::eval(const Expr& expr) {
  try {
    return eval_node(expr);
  } catch (const ValueError& error) {
    // The innermost expression that failed names the line; outer ones see a
    // ScriptFailure and let it pass.
    throw ScriptFailure(error.message(), expr.line);
  }
}

Value Interpreter::eval_node(const Expr& expr) {
  return std::visit(
      [&](const auto& node) -> Value {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, Expr::Literal>) {
          return node.value;
        } else if constexpr (std::is_same_v<Node, Expr::Variable>) {
          auto it = variables_.find(node.name);
          if (it == variables_.end()) throw ScriptFailure("unknown variable '" + node.name + "'", expr.line);
          return it->second;
        } else if constexpr (std::is_same_v<Node, Expr::Parameter>) {
          return parameter(node.name, expr.line);
        } else if constexpr (std::is_same_v<Node, Expr::Unary>) {
          Value operand = eval(*node.operand);
          if (node.op == UnaryOp::kNegate) return negate(operand);
          return Value::boolean(!condition(operand, "not", expr.line));
        } else if constexpr (std::is_same_v<Node, Expr::Binary>) {
          return eval_binary(node, expr.line);
        } else if constexpr (std::is_same_v<Node, Expr::Index>) {
          Value base = eval(*node.base);
          return index_value(base, eval(*node.index));
        } else if constexpr (std::is_same_v<Node, Expr::Call>) {
          std::vector<Value> arguments;
          arguments.reserve(node.arguments.size());
          for (const ExprPtr& argument : node.arguments) arguments.push_back(eval(*argument));
          return node.function->impl(arguments, functions_);
        } else if constexpr (std::is_same_v<Node, Expr::GuardCheck>) {
          return Value::boolean(guard(node.guard, expr.line));
        } else {
          static_assert(std::is_same_v<Node, Expr::Read>);
          return read(node.op, expr.line);
        }
      },
      expr.node);
}

Value Interpreter::eval_binary(const Expr::Binary& binary, int line) {
  // && and || look at the right side only when they need it.
  if (binary.op == BinaryOp::kAnd || binary.op == BinaryOp::kOr) {
    const char* name = binary.op == BinaryOp::kAnd ? "&&" : "||";
    const bool left = condition(eval(*binary.lhs), name, line);
    if (binary.op == BinaryOp::kAnd && !left) return Value::boolean(false);
    if (binary.op == BinaryOp::kOr && left) return Value::boolean(true);
    return Value::boolean(condition(eval(*binary.rhs), name, line));
  }
  const Value lhs = eval(*binary.lhs);
  const Value rhs = eval(*binary.rhs);
  switch (binary.op) {
    case BinaryOp::kRange: return make_range(lhs, rhs);
    case BinaryOp::kEqual: return Value::boolean(values_equal(lhs, rhs));
    case BinaryOp::kNotEqual: return Value::boolean(!values_equal(lhs, rhs));
    case BinaryOp::kLess: return Value::boolean(compare_values(lhs, rhs) < 0);
    case BinaryOp::kGreater: return Value::boolean(compare_values(lhs, rhs) > 0);
    case BinaryOp::kLessEqual: return Value::boolean(compare_values(lhs, rhs) <= 0);
    case BinaryOp::kGreaterEqual: return Value::boolean(compare_values(lhs, rhs) >= 0);
    case BinaryOp::kAdd: return add(lhs, rhs);
    case BinaryOp::kSubtract: return subtract(lhs, rhs);
    case BinaryOp::kMultiply: return multiply(lhs, rhs);
    case BinaryOp::kDivide: return divide(lhs, rhs);
    default: break;
  }
  throw ScriptFailure("unknown operator", line);
}

Value Interpreter::parameter(const std::string& name, int line) {
  if (auto it = parameter_values_.find(name); it != parameter_values_.end()) return it->second;
  const std::optional<std::string>* text = find_parameter(parameters_, name);
  if (text == nullptr) throw ScriptFailure("parameter " + name + " was not given", line);
  Value value = text->has_value() ? Value::string(**text) : Value::null();
  parameter_values_.emplace(name, value);
  return value;
}

bool Interpreter::guard(Guard guard, int line) const {
  const char* name = "";
  const std::optional<bool>* outcome = nullptr;
  switch (guard) {
    case Guard::kNotFound:
      name = "NOT FOUND needs a GET or EXISTS before it";
      outcome = &last_found_;
      break;
    case Guard::kNotSet:
      name = "NOT SET needs a SET before it";
      outcome = &last_set_;
      break;
    case Guard::kNotDeleted:
      name = "NOT DELETED needs a DELETE before it";
      outcome = &last_deleted_;
      break;
    case Guard::kNotExtended:
      name = "NOT EXTENDED needs an EXTEND before it";
      outcome = &last_extended_;
      break;
  }
  if (outcome == nullptr || !outcome->has_value()) throw ScriptFailure(name, line);
  return !**outcome;
}

}  // namespace kahuna::script
