// Lexer: Kahuna Script text -> tokens, each with the line it starts on
// (TRANSACTIONS.md §4).
//
// Keywords are matched case-insensitively. Only the words that start or
// close a statement are reserved (SET, GET, IF, THEN, END, ...), together
// with TRUE, FALSE, NULL and NOT; the words that only qualify a statement
// (NX, XX, EX, CMP, CMPREV, AT, AS, OF, BY, BUCKET, PREFIX, IN, FOUND,
// DELETED, EXTENDED) stay identifiers, which the parser recognises where they
// can occur, so they remain usable as variable names and keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/script_error.h"

namespace kahuna::script {

enum class TokenKind : std::uint8_t {
  kEndOfScript,
  kIdentifier,     // text: as written
  kKeyword,        // keyword: which one; text: as written
  kInteger,        // integer
  kDecimal,        // decimal
  kString,         // text: the contents, escapes decoded
  kBackquotedKey,  // text: the key between the backquotes
  kParameter,      // text: "@name"
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kEqualEqual,    // ==
  kAssign,        // =  (also equality inside expressions)
  kNotEqual,      // != or <>
  kLess,          // <
  kGreater,       // >
  kLessEqual,     // <=
  kGreaterEqual,  // >=
  kAndAnd,        // &&
  kOrOr,          // ||
  kBang,          // !
  kDotDot,        // ..
  kLeftBracket,
  kRightBracket,
  kLeftParen,
  kRightParen,
  kComma,
};

enum class Keyword : std::uint8_t {
  kNone,
  kSet,
  kGet,
  kExists,
  kDelete,  // DELETE or DEL
  kExtend,
  kScan,
  kEset,
  kEget,
  kEexists,
  kEdelete,
  kEextend,
  kLet,
  kIf,
  kThen,
  kElse,
  kEnd,
  kFor,
  kDo,
  kBegin,
  kCommit,
  kRollback,
  kReturn,
  kThrow,
  kSleep,
  kTrue,
  kFalse,
  kNull,
  kNot,
};

struct Token {
  TokenKind kind = TokenKind::kEndOfScript;
  Keyword keyword = Keyword::kNone;
  std::string text{};
  std::int64_t integer = 0;
  double decimal = 0;
  int line = 1;
};

struct LexResult {
  std::vector<Token> tokens{};  // ends with kEndOfScript when there is no error
  std::optional<ScriptError> error{};
};

// Splits `text` into tokens. Errors ("Syntax error: unterminated string",
// "Syntax error: unexpected character '$'", ...) carry the line.
LexResult tokenize(std::string_view text);

// How a token reads in an error message: "'THEN'", "end of script", "string 'abc'".
std::string describe(const Token& token);

// True when `token` is the identifier `word`, compared case-insensitively
// (`word` in lower case): the parser's test for contextual words like NX.
bool is_word(const Token& token, std::string_view word);

}  // namespace kahuna::script
