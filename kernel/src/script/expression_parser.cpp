// ExpressionParser: one function per precedence level (expression_parser.h).
#include "script/expression_parser.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace kahuna::script {

void TransactionScope::note_access(int line, bool is_scan) {
  if (begin_depth > 0 && is_scan) {
    throw ScriptFailure(
        "SCAN BY PREFIX is not allowed inside BEGIN … END (a scan of every partition is not "
        "transactional)",
        line);
  }
  if (begin_depth == 0 && first_unwrapped_access_line == 0) first_unwrapped_access_line = line;
}

ExprPtr ExpressionParser::parse() {
  TokenStream::DepthGuard guard(tokens_);
  return parse_range();
}

ExprPtr ExpressionParser::parse_operand() {
  TokenStream::DepthGuard guard(tokens_);
  return parse_unary();
}

bool ExpressionParser::at_expression_start() const {
  const Token& token = tokens_.peek();
  switch (token.kind) {
    case TokenKind::kIdentifier:
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kString:
    case TokenKind::kParameter:
    case TokenKind::kLeftParen:
    case TokenKind::kMinus:
    case TokenKind::kBang: return true;
    case TokenKind::kKeyword:
      switch (token.keyword) {
        case Keyword::kTrue:
        case Keyword::kFalse:
        case Keyword::kNull:
        case Keyword::kNot:
        case Keyword::kGet:
        case Keyword::kEget:
        case Keyword::kExists:
        case Keyword::kEexists:
        case Keyword::kScan: return true;
        default: return false;
      }
    default: return false;
  }
}

KeyRef ExpressionParser::parse_key(std::string_view after) {
  const Token& token = tokens_.peek();
  switch (token.kind) {
    case TokenKind::kIdentifier:
    case TokenKind::kBackquotedKey: tokens_.advance(); return KeyRef{KeyRef::Source::kLiteral, token.text};
    case TokenKind::kString:
      if (token.text.empty()) {
        throw ScriptFailure("Syntax error: empty key after " + std::string(after), token.line);
      }
      tokens_.advance();
      return KeyRef{KeyRef::Source::kLiteral, token.text};
    case TokenKind::kParameter: tokens_.advance(); return KeyRef{KeyRef::Source::kParameter, token.text};
    default:
      tokens_.expected("a key after " + std::string(after) + " (an identifier, `key`, 'key' or @param)");
  }
}

ReadOp ExpressionParser::parse_read(const Token& keyword) {
  ReadOp op;
  const bool ephemeral = keyword.keyword == Keyword::kEget || keyword.keyword == Keyword::kEexists;
  op.durability = ephemeral ? Durability::kEphemeral : Durability::kPersistent;
  std::string name = keyword.text;
  for (char& c : name) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  switch (keyword.keyword) {
    case Keyword::kScan:
      tokens_.expect_word("by", "BY after SCAN");
      tokens_.expect_word("prefix", "PREFIX after SCAN BY");
      op.kind = ReadKind::kScanByPrefix;
      name = "SCAN BY PREFIX";
      break;
    case Keyword::kExists:
    case Keyword::kEexists: op.kind = ReadKind::kExists; break;
    default:
      // GET BY BUCKET: "by" alone could still be a key named "by".
      if (tokens_.at_word("by") && is_word(tokens_.peek(1), "bucket")) {
        tokens_.advance();
        tokens_.advance();
        op.kind = ReadKind::kGetByBucket;
        name += " BY BUCKET";
      } else {
        op.kind = ReadKind::kGet;
      }
  }
  op.key = parse_key(name);
  scope_.note_access(keyword.line, op.kind == ReadKind::kScanByPrefix);
  const bool point_read = op.kind == ReadKind::kGet || op.kind == ReadKind::kExists;
  if (point_read && tokens_.accept_word("at")) {
    op.at_revision = parse_operand();
  } else if (tokens_.accept_word("as")) {
    tokens_.expect_word("of", "OF after AS");
    op.as_of = parse_operand();
  }
  return op;
}

ExprPtr ExpressionParser::parse_range() {
  ExprPtr lhs = parse_or();
  const int line = tokens_.peek().line;
  if (!tokens_.accept(TokenKind::kDotDot)) return lhs;
  ExprPtr rhs = parse_or();
  if (tokens_.at(TokenKind::kDotDot)) tokens_.expected("one '..' per range (use parentheses)");
  const Expr* l = lhs.get();
  const Expr* r = rhs.get();
  return make_expr(Expr::Binary{BinaryOp::kRange, std::move(lhs), std::move(rhs)}, line, {l, r});
}

namespace {

// One left-associative binary level: operands from `next`, operators from
// `op_of` (which answers false for a token that is not one of its operators).
template <class Next, class OpOf>
ExprPtr binary_level(TokenStream& tokens, Next next, OpOf op_of) {
  ExprPtr lhs = next();
  for (;;) {
    BinaryOp op;
    if (!op_of(tokens.peek(), op)) return lhs;
    const int line = tokens.advance().line;
    ExprPtr rhs = next();
    const Expr* l = lhs.get();
    const Expr* r = rhs.get();
    lhs = make_expr(Expr::Binary{op, std::move(lhs), std::move(rhs)}, line, {l, r});
  }
}

}  // namespace

ExprPtr ExpressionParser::parse_or() {
  return binary_level(
      tokens_, [this] { return parse_and(); },
      [](const Token& t, BinaryOp& op) {
        op = BinaryOp::kOr;
        return t.kind == TokenKind::kOrOr;
      });
}

ExprPtr ExpressionParser::parse_and() {
  return binary_level(
      tokens_, [this] { return parse_equality(); },
      [](const Token& t, BinaryOp& op) {
        op = BinaryOp::kAnd;
        return t.kind == TokenKind::kAndAnd;
      });
}

ExprPtr ExpressionParser::parse_equality() {
  return binary_level(
      tokens_, [this] { return parse_relational(); },
      [](const Token& t, BinaryOp& op) {
        if (t.kind == TokenKind::kEqualEqual || t.kind == TokenKind::kAssign) {
          op = BinaryOp::kEqual;
          return true;
        }
        op = BinaryOp::kNotEqual;
        return t.kind == TokenKind::kNotEqual;
      });
}

ExprPtr ExpressionParser::parse_relational() {
  return binary_level(
      tokens_, [this] { return parse_additive(); },
      [](const Token& t, BinaryOp& op) {
        switch (t.kind) {
          case TokenKind::kLess: op = BinaryOp::kLess; return true;
          case TokenKind::kGreater: op = BinaryOp::kGreater; return true;
          case TokenKind::kLessEqual: op = BinaryOp::kLessEqual; return true;
          case TokenKind::kGreaterEqual: op = BinaryOp::kGreaterEqual; return true;
          default: return false;
        }
      });
}

ExprPtr ExpressionParser::parse_additive() {
  return binary_level(
      tokens_, [this] { return parse_multiplicative(); },
      [](const Token& t, BinaryOp& op) {
        op = t.kind == TokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSubtract;
        return t.kind == TokenKind::kPlus || t.kind == TokenKind::kMinus;
      });
}

ExprPtr ExpressionParser::parse_multiplicative() {
  return binary_level(
      tokens_, [this] { return parse_unary(); },
      [](const Token& t, BinaryOp& op) {
        op = t.kind == TokenKind::kStar ? BinaryOp::kMultiply : BinaryOp::kDivide;
        return t.kind == TokenKind::kStar || t.kind == TokenKind::kSlash;
      });
}

ExprPtr ExpressionParser::parse_unary() {
  const Token& token = tokens_.peek();
  const int line = token.line;
  if (token.kind == TokenKind::kKeyword && token.keyword == Keyword::kNot) {
    // NOT FOUND / NOT SET / NOT DELETED / NOT EXTENDED are guards, not negations.
    const Token& next = tokens_.peek(1);
    std::optional<Guard> guard;
    if (next.kind == TokenKind::kKeyword && next.keyword == Keyword::kSet) guard = Guard::kNotSet;
    if (is_word(next, "found")) guard = Guard::kNotFound;
    if (is_word(next, "deleted")) guard = Guard::kNotDeleted;
    if (is_word(next, "extended")) guard = Guard::kNotExtended;
    if (guard) {
      tokens_.advance();
      tokens_.advance();
      return make_expr(Expr::GuardCheck{*guard}, line);
    }
  }
  const bool is_not =
      (token.kind == TokenKind::kKeyword && token.keyword == Keyword::kNot) || token.kind == TokenKind::kBang;
  if (is_not || token.kind == TokenKind::kMinus) {
    tokens_.advance();
    TokenStream::DepthGuard guard(tokens_);
    ExprPtr operand = parse_unary();
    const Expr* o = operand.get();
    return make_expr(Expr::Unary{is_not ? UnaryOp::kNot : UnaryOp::kNegate, std::move(operand)}, line, {o});
  }
  return parse_postfix();
}

ExprPtr ExpressionParser::parse_postfix() {
  ExprPtr base = parse_primary();
  while (tokens_.at(TokenKind::kLeftBracket)) {
    const int line = tokens_.advance().line;
    ExprPtr index = parse();
    tokens_.expect(TokenKind::kRightBracket, "']'");
    const Expr* b = base.get();
    const Expr* i = index.get();
    base = make_expr(Expr::Index{std::move(base), std::move(index)}, line, {b, i});
  }
  return base;
}

ExprPtr ExpressionParser::parse_primary() {
  const Token& token = tokens_.peek();
  const int line = token.line;
  switch (token.kind) {
    case TokenKind::kInteger:
      tokens_.advance();
      return make_expr(Expr::Literal{Value::integer(token.integer)}, line);
    case TokenKind::kDecimal:
      tokens_.advance();
      return make_expr(Expr::Literal{Value::decimal(token.decimal)}, line);
    case TokenKind::kString:
      tokens_.advance();
      return make_expr(Expr::Literal{Value::string(token.text)}, line);
    case TokenKind::kParameter: tokens_.advance(); return make_expr(Expr::Parameter{token.text}, line);
    case TokenKind::kIdentifier: {
      const Token& name = tokens_.advance();
      if (tokens_.at(TokenKind::kLeftParen)) return parse_call(name);
      return make_expr(Expr::Variable{name.text}, line);
    }
    case TokenKind::kLeftParen: {
      tokens_.advance();
      ExprPtr inner = parse();
      tokens_.expect(TokenKind::kRightParen, "')'");
      return inner;
    }
    case TokenKind::kKeyword:
      switch (token.keyword) {
        case Keyword::kTrue: tokens_.advance(); return make_expr(Expr::Literal{Value::boolean(true)}, line);
        case Keyword::kFalse: tokens_.advance(); return make_expr(Expr::Literal{Value::boolean(false)}, line);
        case Keyword::kNull: tokens_.advance(); return make_expr(Expr::Literal{Value::null()}, line);
        case Keyword::kGet:
        case Keyword::kEget:
        case Keyword::kExists:
        case Keyword::kEexists:
        case Keyword::kScan: {
          const Token& keyword = tokens_.advance();
          ReadOp op = parse_read(keyword);
          const Expr* at = op.at_revision.get();
          const Expr* as_of = op.as_of.get();
          return make_expr(Expr::Read{std::move(op)}, line, {at, as_of});
        }
        default: break;
      }
      break;
    default: break;
  }
  tokens_.expected("an expression");
}

ExprPtr ExpressionParser::parse_call(const Token& name) {
  const FunctionInfo* function = find_function(name.text);
  if (function == nullptr) throw ScriptFailure("Unknown function '" + name.text + "'", name.line);
  tokens_.expect(TokenKind::kLeftParen, "'('");
  std::vector<ExprPtr> arguments;
  int height = 1;
  if (!tokens_.at(TokenKind::kRightParen)) {
    do {
      arguments.push_back(parse());
      height = std::max(height, arguments.back()->height + 1);
    } while (tokens_.accept(TokenKind::kComma));
  }
  tokens_.expect(TokenKind::kRightParen, "')' or ',' in the arguments of " + std::string(function->name));
  const int count = static_cast<int>(arguments.size());
  if (count < function->min_arguments ||
      (function->max_arguments != kVariadic && count > function->max_arguments)) {
    throw ScriptFailure(
        "Wrong number of arguments: " + arity_text(*function) + ", got " + std::to_string(count), name.line);
  }
  ExprPtr call = make_expr(Expr::Call{function, std::move(arguments)}, name.line);
  if (height > kMaxAstDepth) TokenStream::too_deep(name.line);
  call->height = height;
  return call;
}

}  // namespace kahuna::script
