// Parser: statements, blocks and the transaction rules (parser.h); the
// expressions are ExpressionParser's.
#include "script/parser.h"

#include <utility>

#include "script/expression_parser.h"
#include "script/lexer.h"
#include "script/token_stream.h"

namespace kahuna::script {
namespace {

class StatementParser {
 public:
  explicit StatementParser(std::vector<Token> tokens)
      : tokens_(std::move(tokens)), expressions_(tokens_, scope_) {}

  Block parse_script() {
    if (tokens_.at(TokenKind::kEndOfScript)) {
      throw ScriptFailure("Syntax error: the script is empty", tokens_.peek().line);
    }
    Block program = parse_block();
    if (!tokens_.at(TokenKind::kEndOfScript)) tokens_.expected("a statement");
    if (scope_.first_begin_line != 0 && scope_.first_unwrapped_access_line != 0) {
      throw ScriptFailure(
          "a script with BEGIN must keep every key/value statement inside BEGIN … END (the BEGIN is at "
          "line " +
              std::to_string(scope_.first_begin_line) + ")",
          scope_.first_unwrapped_access_line);
    }
    return program;
  }

 private:
  // Statements up to (not including) END, ELSE or the end of the script;
  // the caller checks which one it needs.
  Block parse_block() {
    TokenStream::DepthGuard guard(tokens_);
    Block block;
    while (!tokens_.at(TokenKind::kEndOfScript) && !tokens_.at_keyword(Keyword::kEnd) &&
           !tokens_.at_keyword(Keyword::kElse)) {
      block.push_back(parse_statement());
    }
    return block;
  }

  StmtPtr parse_statement() {
    const Token& token = tokens_.peek();
    if (token.kind != TokenKind::kKeyword) tokens_.expected("a statement");
    auto stmt = std::make_unique<Stmt>();
    stmt->line = token.line;
    switch (token.keyword) {
      case Keyword::kSet: stmt->node = parse_set(Durability::kPersistent); break;
      case Keyword::kEset: stmt->node = parse_set(Durability::kEphemeral); break;
      case Keyword::kGet:
      case Keyword::kEget:
      case Keyword::kExists:
      case Keyword::kEexists:
      case Keyword::kScan: stmt->node = ReadStmt{expressions_.parse_read(tokens_.advance())}; break;
      case Keyword::kDelete: stmt->node = parse_delete(Durability::kPersistent); break;
      case Keyword::kEdelete: stmt->node = parse_delete(Durability::kEphemeral); break;
      case Keyword::kExtend: stmt->node = parse_extend(Durability::kPersistent); break;
      case Keyword::kEextend: stmt->node = parse_extend(Durability::kEphemeral); break;
      case Keyword::kLet: stmt->node = parse_let(); break;
      case Keyword::kIf: stmt->node = parse_if(); break;
      case Keyword::kFor: stmt->node = parse_for(); break;
      case Keyword::kBegin: stmt->node = parse_begin(); break;
      case Keyword::kCommit:
        if (scope_.begin_depth == 0) throw ScriptFailure("COMMIT outside BEGIN … END", token.line);
        tokens_.advance();
        stmt->node = CommitStmt{};
        break;
      case Keyword::kRollback:
        tokens_.advance();
        stmt->node = RollbackStmt{};
        break;
      case Keyword::kReturn:
        tokens_.advance();
        stmt->node = ReturnStmt{expressions_.at_expression_start() ? expressions_.parse() : nullptr};
        break;
      case Keyword::kThrow:
        tokens_.advance();
        stmt->node = ThrowStmt{expressions_.parse()};
        break;
      case Keyword::kSleep:
        tokens_.advance();
        stmt->node = SleepStmt{expressions_.parse()};
        break;
      default: tokens_.expected("a statement");
    }
    return stmt;
  }

  // SET key value [NX|XX] [EX ms] [CMP value] [CMPREV revision], options in any order.
  SetStmt parse_set(Durability durability) {
    const int line = tokens_.advance().line;
    SetStmt set;
    set.durability = durability;
    const char* verb = durability == Durability::kEphemeral ? "ESET" : "SET";
    set.key = expressions_.parse_key(verb);
    scope_.note_access(line, false);
    set.value = expressions_.parse();
    for (;;) {
      const Token& option = tokens_.peek();
      SetCondition condition = SetCondition::kAlways;
      if (is_word(option, "nx")) {
        condition = SetCondition::kIfNotExists;
      } else if (is_word(option, "xx")) {
        condition = SetCondition::kIfExists;
      } else if (is_word(option, "cmp")) {
        condition = SetCondition::kIfValueEquals;
      } else if (is_word(option, "cmprev")) {
        condition = SetCondition::kIfRevisionEquals;
      } else if (is_word(option, "ex")) {
        if (set.expires_ms) throw ScriptFailure("Syntax error: EX given twice", option.line);
        tokens_.advance();
        set.expires_ms = expressions_.parse();
        continue;
      } else {
        return set;
      }
      if (set.condition != SetCondition::kAlways) {
        throw ScriptFailure("Syntax error: SET takes only one of NX, XX, CMP and CMPREV", option.line);
      }
      tokens_.advance();
      set.condition = condition;
      if (condition == SetCondition::kIfValueEquals || condition == SetCondition::kIfRevisionEquals) {
        set.compare = expressions_.parse();
      }
    }
  }

  DeleteStmt parse_delete(Durability durability) {
    const int line = tokens_.advance().line;
    DeleteStmt del{durability,
                   expressions_.parse_key(durability == Durability::kEphemeral ? "EDELETE" : "DELETE")};
    scope_.note_access(line, false);
    return del;
  }

  ExtendStmt parse_extend(Durability durability) {
    const int line = tokens_.advance().line;
    ExtendStmt extend;
    extend.durability = durability;
    extend.key = expressions_.parse_key(durability == Durability::kEphemeral ? "EEXTEND" : "EXTEND");
    scope_.note_access(line, false);
    extend.expires_ms = expressions_.parse();
    return extend;
  }

  LetStmt parse_let() {
    tokens_.advance();
    LetStmt let;
    let.name = tokens_.expect(TokenKind::kIdentifier, "a variable name after LET").text;
    if (!tokens_.accept(TokenKind::kAssign)) tokens_.expected("'=' after LET " + let.name);
    let.value = expressions_.parse();
    return let;
  }

  IfStmt parse_if() {
    tokens_.advance();
    IfStmt stmt;
    stmt.condition = expressions_.parse();
    tokens_.expect_keyword(Keyword::kThen, "THEN after the IF condition");
    stmt.then_block = parse_block();
    if (tokens_.accept_keyword(Keyword::kElse)) stmt.else_block = parse_block();
    tokens_.expect_keyword(Keyword::kEnd, "END to close IF");
    return stmt;
  }

  ForStmt parse_for() {
    tokens_.advance();
    ForStmt stmt;
    stmt.variable = tokens_.expect(TokenKind::kIdentifier, "a variable name after FOR").text;
    tokens_.expect_word("in", "IN after FOR " + stmt.variable);
    stmt.iterable = expressions_.parse();
    tokens_.expect_keyword(Keyword::kDo, "DO after the FOR range");
    stmt.body = parse_block();
    tokens_.expect_keyword(Keyword::kEnd, "END to close FOR");
    return stmt;
  }

  BeginStmt parse_begin() {
    const int line = tokens_.advance().line;
    if (scope_.begin_depth > 0) throw ScriptFailure("BEGIN inside BEGIN … END is not allowed", line);
    if (scope_.first_begin_line == 0) scope_.first_begin_line = line;
    BeginStmt stmt;
    if (tokens_.accept(TokenKind::kLeftParen)) stmt.options = parse_begin_options();
    ++scope_.begin_depth;
    stmt.body = parse_block();
    --scope_.begin_depth;
    tokens_.expect_keyword(Keyword::kEnd, "END to close BEGIN");
    return stmt;
  }

  // (name = value, ...) after BEGIN, the opening parenthesis consumed. The
  // values are literals: the session layer reads them before the script runs.
  TransactionOptions parse_begin_options() {
    TransactionOptions options;
    if (tokens_.accept(TokenKind::kRightParen)) return options;
    do {
      const Token& name =
          tokens_.expect(TokenKind::kIdentifier, "a BEGIN option (locking, timeout, priority)");
      if (!tokens_.accept(TokenKind::kAssign)) tokens_.expected("'=' after " + name.text);
      const Token& value = tokens_.advance();
      auto fail = [&](const std::string& why) {
        throw ScriptFailure("BEGIN option " + name.text + ": " + why, value.line);
      };
      auto duplicate = [&](bool present) {
        if (present) fail("given twice");
      };
      if (is_word(name, "locking")) {
        duplicate(options.locking.has_value());
        const bool word = value.kind == TokenKind::kString || value.kind == TokenKind::kIdentifier;
        Token lowered = value;
        lowered.kind = TokenKind::kIdentifier;
        if (word && is_word(lowered, "optimistic")) {
          options.locking = LockingMode::kOptimistic;
        } else if (word && is_word(lowered, "pessimistic")) {
          options.locking = LockingMode::kPessimistic;
        } else {
          fail("expected \"optimistic\" or \"pessimistic\", found " + describe(value));
        }
      } else if (is_word(name, "timeout")) {
        duplicate(options.timeout_ms.has_value());
        if (value.kind != TokenKind::kInteger || value.integer <= 0) {
          fail("expected a number of milliseconds > 0, found " + describe(value));
        }
        options.timeout_ms = value.integer;
      } else if (is_word(name, "priority")) {
        duplicate(options.priority.has_value());
        if (value.kind != TokenKind::kInteger || value.integer < 0 || value.integer > 4) {
          fail("expected a priority from 0 to 4, found " + describe(value));
        }
        options.priority = static_cast<std::int32_t>(value.integer);
      } else {
        throw ScriptFailure("unknown BEGIN option '" + name.text + "' (known: locking, timeout, priority)",
                            name.line);
      }
    } while (tokens_.accept(TokenKind::kComma));
    tokens_.expect(TokenKind::kRightParen, "')' or ',' in the BEGIN options");
    return options;
  }

  TokenStream tokens_;
  TransactionScope scope_;
  ExpressionParser expressions_;
};

}  // namespace

ParseOutput parse_program(std::string_view text, std::size_t max_bytes) {
  ParseOutput output;
  if (text.size() > max_bytes) {
    output.error = ScriptError{"script of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                   std::to_string(max_bytes) + " bytes",
                               1};
    return output;
  }
  LexResult lexed = tokenize(text);
  if (lexed.error) {
    output.error = std::move(lexed.error);
    return output;
  }
  try {
    output.program = StatementParser(std::move(lexed.tokens)).parse_script();
  } catch (const ScriptFailure& failure) {
    output.program.clear();
    output.error = failure.error();
  } catch (const ValueError& error) {  // a literal the value rules refuse
    output.program.clear();
    output.error = ScriptError{error.message(), 1};
  }
  return output;
}

}  // namespace kahuna::script
