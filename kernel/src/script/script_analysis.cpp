// A walk over the whole tree, both branches of every IF (script_analysis.h).
#include "script/script_analysis.h"

#include <type_traits>

namespace kahuna::script {
namespace {

class Analyzer {
 public:
  explicit Analyzer(ScriptShape& shape) : shape_(shape) {}

  void block(const Block& statements) {
    for (const StmtPtr& stmt : statements) statement(*stmt);
  }

 private:
  void statement(const Stmt& stmt) {
    std::visit(
        [this](const auto& node) {
          using Node = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<Node, SetStmt>) {
            access(node.key, node.durability, false);
            expr(node.value.get());
            expr(node.compare.get());
            expr(node.expires_ms.get());
          } else if constexpr (std::is_same_v<Node, ReadStmt>) {
            read(node.op);
          } else if constexpr (std::is_same_v<Node, DeleteStmt>) {
            access(node.key, node.durability, false);
          } else if constexpr (std::is_same_v<Node, ExtendStmt>) {
            access(node.key, node.durability, false);
            expr(node.expires_ms.get());
          } else if constexpr (std::is_same_v<Node, LetStmt>) {
            expr(node.value.get());
          } else if constexpr (std::is_same_v<Node, IfStmt>) {
            expr(node.condition.get());
            block(node.then_block);
            block(node.else_block);
          } else if constexpr (std::is_same_v<Node, ForStmt>) {
            expr(node.iterable.get());
            block(node.body);
          } else if constexpr (std::is_same_v<Node, BeginStmt>) {
            shape_.has_begin = true;
            shape_.begin_options.push_back(node.options);
            block(node.body);
          } else if constexpr (std::is_same_v<Node, ReturnStmt>) {
            expr(node.value.get());
          } else if constexpr (std::is_same_v<Node, ThrowStmt>) {
            expr(node.message.get());
          } else if constexpr (std::is_same_v<Node, SleepStmt>) {
            expr(node.ms.get());
          }
        },
        stmt.node);
  }

  void expr(const Expr* e) {
    if (e == nullptr) return;
    std::visit(
        [this](const auto& node) {
          using Node = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<Node, Expr::Unary>) {
            expr(node.operand.get());
          } else if constexpr (std::is_same_v<Node, Expr::Binary>) {
            expr(node.lhs.get());
            expr(node.rhs.get());
          } else if constexpr (std::is_same_v<Node, Expr::Index>) {
            expr(node.base.get());
            expr(node.index.get());
          } else if constexpr (std::is_same_v<Node, Expr::Call>) {
            for (const ExprPtr& argument : node.arguments) expr(argument.get());
          } else if constexpr (std::is_same_v<Node, Expr::Read>) {
            read(node.op);
          }
        },
        e->node);
  }

  void read(const ReadOp& op) {
    const bool prefix = op.kind == ReadKind::kGetByBucket || op.kind == ReadKind::kScanByPrefix;
    access(op.key, op.durability, prefix);
    expr(op.at_revision.get());
    expr(op.as_of.get());
  }

  void access(const KeyRef& key, Durability durability, bool prefix) {
    ++shape_.accesses;
    shape_.key_uses.push_back(KeyUse{&key, durability, prefix});
  }

  ScriptShape& shape_;
};

}  // namespace

ScriptShape analyze(const Block& program) {
  ScriptShape shape;
  Analyzer(shape).block(program);
  return shape;
}

}  // namespace kahuna::script
