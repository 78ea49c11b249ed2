// ExpressionParser: the expression half of the parser (parser.h), and the
// two things statements and expressions share — key positions and reads
// (GET, EXISTS, GET BY BUCKET, SCAN BY PREFIX are statements and expressions
// both: `LET stock = to_int(GET @item)`).
//
// Precedence, low to high (TRANSACTIONS.md §4): `..`, `||`, `&&`, equality
// (== = != <>), relational (< > <= >=), `+ -`, `* /`, unary (not ! -),
// postfix `[]`. Binary levels are left-associative; `..` does not chain.
#pragma once

#include <string_view>

#include "script/ast.h"
#include "script/token_stream.h"

namespace kahuna::script {

// Where the parse is with respect to BEGIN … END, and what the transaction
// rules of parser.h need to know once the whole script is read.
struct TransactionScope {
  int begin_depth = 0;                  // > 0: inside BEGIN … END
  int first_begin_line = 0;             // 0: the script has no BEGIN
  int first_unwrapped_access_line = 0;  // a key/value access outside BEGIN; 0: none

  // Records a key/value statement or read at `line`; a scan inside BEGIN is
  // an error at once.
  void note_access(int line, bool is_scan);
};

class ExpressionParser {
 public:
  ExpressionParser(TokenStream& tokens, TransactionScope& scope) : tokens_(tokens), scope_(scope) {}

  // A whole expression.
  ExprPtr parse();
  // An operand at unary precedence, for the arguments of AT and AS OF, so
  // that `to_int(GET k AT 3) + 1` adds to the GET's result.
  ExprPtr parse_operand();
  // Whether the current token can begin an expression (RETURN's is optional).
  bool at_expression_start() const;

  // A key position: an identifier, a `backquoted key`, a 'string' or an
  // @param; `after` names what it follows, for the error message.
  KeyRef parse_key(std::string_view after);
  // The rest of a read whose keyword (GET, EGET, EXISTS, EEXISTS, SCAN) was
  // just consumed.
  ReadOp parse_read(const Token& keyword);

 private:
  ExprPtr parse_range();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_equality();
  ExprPtr parse_relational();
  ExprPtr parse_additive();
  ExprPtr parse_multiplicative();
  ExprPtr parse_unary();
  ExprPtr parse_postfix();
  ExprPtr parse_primary();
  ExprPtr parse_call(const Token& name);

  TokenStream& tokens_;
  TransactionScope& scope_;
};

// A node over its children, with its height; an error past kMaxAstDepth.
template <class Node>
ExprPtr make_expr(Node node, int line, std::initializer_list<const Expr*> children = {}) {
  int height = 1;
  for (const Expr* child : children) {
    if (child != nullptr && child->height + 1 > height) height = child->height + 1;
  }
  if (height > kMaxAstDepth) TokenStream::too_deep(line);
  auto expr = std::make_unique<Expr>();
  expr->node = std::move(node);
  expr->line = line;
  expr->height = height;
  return expr;
}

}  // namespace kahuna::script
