// The syntax tree of a Kahuna Script, as the parser builds it and the
// interpreter and the key analysis walk it.
//
// Nodes own their children (unique_ptr); a parsed tree never changes. Every
// node keeps the line it starts on, for error reasons. The parser bounds the
// tree's depth (kMaxAstDepth), so every recursive walk of it — evaluation,
// analysis, destruction — stays shallow.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <kahuna/types/call.h>

#include "script/functions.h"
#include "script/transaction_options.h"
#include "script/value.h"

namespace kahuna::script {

inline constexpr int kMaxAstDepth = 256;

// A key position: a literal key (identifier, `backquoted`, 'quoted') or an
// @parameter resolved when the script runs. Nothing else can name a key, so
// the keys a script may touch are known before it runs.
struct KeyRef {
  enum class Source : std::uint8_t { kLiteral, kParameter };
  Source source = Source::kLiteral;
  std::string text{};  // the key, or "@name"
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ReadKind : std::uint8_t {
  kGet,           // GET / EGET: the value
  kExists,        // EXISTS / EEXISTS: a bool
  kGetByBucket,   // GET BY BUCKET / EGET BY BUCKET: an array, one partition
  kScanByPrefix,  // SCAN BY PREFIX: an array, every partition
};

// A read of the store, usable as a statement or inside an expression
// (`LET stock = to_int(GET @item)`).
struct ReadOp {
  ReadKind kind = ReadKind::kGet;
  Durability durability = Durability::kPersistent;
  KeyRef key{};
  ExprPtr at_revision{};  // GET … AT rev
  ExprPtr as_of{};        // GET … AS OF ms
};

enum class UnaryOp : std::uint8_t { kNot, kNegate };

enum class BinaryOp : std::uint8_t {
  kRange,
  kOr,
  kAnd,
  kEqual,
  kNotEqual,
  kLess,
  kGreater,
  kLessEqual,
  kGreaterEqual,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
};

// NOT FOUND / NOT SET / NOT DELETED / NOT EXTENDED: about the last statement
// of their kind.
enum class Guard : std::uint8_t { kNotFound, kNotSet, kNotDeleted, kNotExtended };

struct Expr {
  struct Literal {
    Value value;
  };
  struct Variable {
    std::string name;
  };
  struct Parameter {
    std::string name;  // "@name"
  };
  struct Unary {
    UnaryOp op;
    ExprPtr operand;
  };
  struct Binary {
    BinaryOp op;
    ExprPtr lhs;
    ExprPtr rhs;
  };
  struct Index {
    ExprPtr base;
    ExprPtr index;
  };
  struct Call {
    const FunctionInfo* function;
    std::vector<ExprPtr> arguments;
  };
  struct GuardCheck {
    Guard guard;
  };
  struct Read {
    ReadOp op;
  };

  std::variant<Literal, Variable, Parameter, Unary, Binary, Index, Call, GuardCheck, Read> node;
  int line = 0;
  int height = 1;  // 1 + the tallest child's height
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

// SET's condition: at most one of NX, XX, CMP, CMPREV.
enum class SetCondition : std::uint8_t {
  kAlways,
  kIfNotExists,
  kIfExists,
  kIfValueEquals,
  kIfRevisionEquals
};

struct SetStmt {
  Durability durability = Durability::kPersistent;
  KeyRef key{};
  ExprPtr value{};
  SetCondition condition = SetCondition::kAlways;
  ExprPtr compare{};     // CMP value or CMPREV revision
  ExprPtr expires_ms{};  // EX ms; null: never
};

struct ReadStmt {
  ReadOp op;
};

struct DeleteStmt {
  Durability durability = Durability::kPersistent;
  KeyRef key{};
};

struct ExtendStmt {
  Durability durability = Durability::kPersistent;
  KeyRef key{};
  ExprPtr expires_ms{};
};

struct LetStmt {
  std::string name;
  ExprPtr value;
};

struct IfStmt {
  ExprPtr condition;
  Block then_block;
  Block else_block;
};

struct ForStmt {
  std::string variable;
  ExprPtr iterable;
  Block body;
};

struct BeginStmt {
  TransactionOptions options;
  Block body;
};

struct CommitStmt {};
struct RollbackStmt {};

struct ReturnStmt {
  ExprPtr value;  // null: a bare RETURN
};

struct ThrowStmt {
  ExprPtr message;
};

struct SleepStmt {
  ExprPtr ms;
};

struct Stmt {
  std::variant<SetStmt, ReadStmt, DeleteStmt, ExtendStmt, LetStmt, IfStmt, ForStmt, BeginStmt, CommitStmt,
               RollbackStmt, ReturnStmt, ThrowStmt, SleepStmt>
      node;
  int line = 0;
};

}  // namespace kahuna::script
