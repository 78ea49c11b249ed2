// Lexer: a single pass over the bytes with one character of lookahead (two
// for "..", "--" and "0x"); see lexer.h for what is reserved and why.
#include "script/lexer.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <limits>
#include <utility>

namespace kahuna::script {
namespace {

struct KeywordName {
  std::string_view name;  // lower case
  Keyword keyword;
};

constexpr std::array kKeywords{
    KeywordName{"set", Keyword::kSet},         KeywordName{"get", Keyword::kGet},
    KeywordName{"exists", Keyword::kExists},   KeywordName{"delete", Keyword::kDelete},
    KeywordName{"del", Keyword::kDelete},      KeywordName{"extend", Keyword::kExtend},
    KeywordName{"scan", Keyword::kScan},       KeywordName{"eset", Keyword::kEset},
    KeywordName{"eget", Keyword::kEget},       KeywordName{"eexists", Keyword::kEexists},
    KeywordName{"edelete", Keyword::kEdelete}, KeywordName{"eextend", Keyword::kEextend},
    KeywordName{"let", Keyword::kLet},         KeywordName{"if", Keyword::kIf},
    KeywordName{"then", Keyword::kThen},       KeywordName{"else", Keyword::kElse},
    KeywordName{"end", Keyword::kEnd},         KeywordName{"for", Keyword::kFor},
    KeywordName{"do", Keyword::kDo},           KeywordName{"begin", Keyword::kBegin},
    KeywordName{"commit", Keyword::kCommit},   KeywordName{"rollback", Keyword::kRollback},
    KeywordName{"return", Keyword::kReturn},   KeywordName{"throw", Keyword::kThrow},
    KeywordName{"sleep", Keyword::kSleep},     KeywordName{"true", Keyword::kTrue},
    KeywordName{"false", Keyword::kFalse},     KeywordName{"null", Keyword::kNull},
    KeywordName{"not", Keyword::kNot},
};

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
constexpr bool is_identifier_part(char c) { return is_identifier_start(c) || is_digit(c); }
constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (to_lower(text[i]) != lower_word[i]) return false;
  }
  return true;
}

Keyword keyword_of(std::string_view word) {
  for (const auto& entry : kKeywords) {
    if (equals_ignoring_case(word, entry.name)) return entry.keyword;
  }
  return Keyword::kNone;
}

// A byte as it can be shown in a message: printable ASCII as itself, anything
// else as \xHH (the text may be any bytes at all).
std::string printable(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string(1, c);
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return buffer;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (;;) {
      skip_space_and_comments();
      if (at_end()) break;
      tokens.push_back(next_token());
    }
    Token end;
    end.kind = TokenKind::kEndOfScript;
    end.line = line_;
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  char advance() {
    char c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  [[noreturn]] void fail(const std::string& message, int line) const {
    throw ScriptFailure("Syntax error: " + message, line);
  }

  void skip_space_and_comments() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        advance();
      } else if (c == '#' || (c == '-' && peek(1) == '-')) {
        while (!at_end() && peek() != '\n') advance();
      } else {
        return;
      }
    }
  }

  Token make(TokenKind kind, int line, std::string text = {}) const {
    Token token;
    token.kind = kind;
    token.line = line;
    token.text = std::move(text);
    return token;
  }

  Token next_token() {
    const int line = line_;
    const char c = peek();
    if (is_identifier_start(c)) return word(line);
    if (is_digit(c)) return number(line);
    switch (c) {
      case '\'':
      case '"': return string_literal(line);
      case '`': return backquoted_key(line);
      case '@': return parameter(line);
      default: break;
    }
    return punctuation(line);
  }

  Token word(int line) {
    const std::size_t start = pos_;
    while (!at_end() && is_identifier_part(peek())) advance();
    Token token = make(TokenKind::kIdentifier, line, std::string(text_.substr(start, pos_ - start)));
    token.keyword = keyword_of(token.text);
    if (token.keyword != Keyword::kNone) token.kind = TokenKind::kKeyword;
    return token;
  }

  Token number(int line) {
    const std::size_t start = pos_;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) return hex_number(line);
    while (is_digit(peek())) advance();
    bool decimal = false;
    // "1..5" is a range, not the decimal "1." followed by ".5".
    if (peek() == '.' && is_digit(peek(1))) {
      decimal = true;
      advance();
      while (is_digit(peek())) advance();
    }
    if (peek() == 'e' || peek() == 'E') {
      std::size_t ahead = (peek(1) == '+' || peek(1) == '-') ? 2 : 1;
      if (is_digit(peek(ahead))) {
        decimal = true;
        for (std::size_t i = 0; i < ahead; ++i) advance();
        while (is_digit(peek())) advance();
      }
    }
    if (is_identifier_start(peek()))
      fail("malformed number '" + std::string(text_.substr(start, pos_ - start + 1)) + "'", line);
    const std::string_view digits = text_.substr(start, pos_ - start);
    Token token = make(decimal ? TokenKind::kDecimal : TokenKind::kInteger, line, std::string(digits));
    const char* first = digits.data();
    const char* last = digits.data() + digits.size();
    if (decimal) {
      auto [end, error] = std::from_chars(first, last, token.decimal);
      if (error != std::errc() || end != last)
        fail("number '" + std::string(digits) + "' is out of range", line);
    } else {
      auto [end, error] = std::from_chars(first, last, token.integer);
      if (error != std::errc() || end != last) {
        fail("integer '" + std::string(digits) + "' is out of range (a 64-bit signed integer)", line);
      }
    }
    return token;
  }

  Token hex_number(int line) {
    const std::size_t start = pos_;
    advance();  // 0
    advance();  // x
    const std::size_t digits_start = pos_;
    while (is_hex_digit(peek())) advance();
    const std::string_view digits = text_.substr(digits_start, pos_ - digits_start);
    const std::string written(text_.substr(start, pos_ - start));
    if (digits.empty() || is_identifier_part(peek()))
      fail("malformed hexadecimal number '" + written + "'", line);
    Token token = make(TokenKind::kInteger, line, written);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), token.integer, 16);
    if (error != std::errc() || end != digits.data() + digits.size()) {
      fail("integer '" + written + "' is out of range (a 64-bit signed integer)", line);
    }
    return token;
  }

  Token string_literal(int line) {
    const char quote = advance();
    std::string contents;
    for (;;) {
      if (at_end()) fail("unterminated string", line);
      char c = advance();
      if (c == quote) break;
      if (c == '\\') {
        contents += escape(line);
      } else {
        contents += c;
      }
    }
    return make(TokenKind::kString, line, std::move(contents));
  }

  // The character after a backslash (C escapes).
  char escape(int line) {
    if (at_end()) fail("unterminated string", line);
    const int escape_line = line_;
    char c = advance();
    switch (c) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return '\0';
      case 'a': return '\a';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '\\': return '\\';
      case '\'': return '\'';
      case '"': return '"';
      case '?': return '?';
      case 'x': {
        if (!is_hex_digit(peek()) || !is_hex_digit(peek(1)))
          fail("\\x needs two hexadecimal digits", escape_line);
        char high = advance();
        char low = advance();
        auto value = [](char h) { return is_digit(h) ? h - '0' : to_lower(h) - 'a' + 10; };
        return static_cast<char>(value(high) * 16 + value(low));
      }
      default: fail("unknown escape '\\" + printable(c) + "' in a string", escape_line);
    }
  }

  Token backquoted_key(int line) {
    advance();  // `
    const std::size_t start = pos_;
    while (!at_end() && peek() != '`') advance();
    if (at_end()) fail("unterminated backquoted key", line);
    std::string key(text_.substr(start, pos_ - start));
    advance();  // `
    if (key.empty()) fail("empty key ``", line);
    return make(TokenKind::kBackquotedKey, line, std::move(key));
  }

  Token parameter(int line) {
    advance();  // @
    if (!is_identifier_start(peek())) fail("'@' must be followed by a parameter name", line);
    const std::size_t start = pos_;
    while (!at_end() && is_identifier_part(peek())) advance();
    return make(TokenKind::kParameter, line, "@" + std::string(text_.substr(start, pos_ - start)));
  }

  Token punctuation(int line) {
    const char c = advance();
    auto two = [&](char second, TokenKind both, TokenKind one) {
      if (peek() == second) {
        advance();
        return make(both, line);
      }
      return make(one, line);
    };
    switch (c) {
      case '+': return make(TokenKind::kPlus, line);
      case '-': return make(TokenKind::kMinus, line);
      case '*': return make(TokenKind::kStar, line);
      case '/': return make(TokenKind::kSlash, line);
      case '(': return make(TokenKind::kLeftParen, line);
      case ')': return make(TokenKind::kRightParen, line);
      case '[': return make(TokenKind::kLeftBracket, line);
      case ']': return make(TokenKind::kRightBracket, line);
      case ',': return make(TokenKind::kComma, line);
      case '=': return two('=', TokenKind::kEqualEqual, TokenKind::kAssign);
      case '!': return two('=', TokenKind::kNotEqual, TokenKind::kBang);
      case '>': return two('=', TokenKind::kGreaterEqual, TokenKind::kGreater);
      case '<':
        if (peek() == '>') {
          advance();
          return make(TokenKind::kNotEqual, line);
        }
        return two('=', TokenKind::kLessEqual, TokenKind::kLess);
      case '&':
        if (peek() == '&') return two('&', TokenKind::kAndAnd, TokenKind::kAndAnd);
        break;
      case '|':
        if (peek() == '|') return two('|', TokenKind::kOrOr, TokenKind::kOrOr);
        break;
      case '.':
        if (peek() == '.') return two('.', TokenKind::kDotDot, TokenKind::kDotDot);
        break;
      default: break;
    }
    fail("unexpected character '" + printable(c) + "'", line);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

std::string_view symbol_of(TokenKind kind) {
  switch (kind) {
    case TokenKind::kPlus: return "+";
    case TokenKind::kMinus: return "-";
    case TokenKind::kStar: return "*";
    case TokenKind::kSlash: return "/";
    case TokenKind::kEqualEqual: return "==";
    case TokenKind::kAssign: return "=";
    case TokenKind::kNotEqual: return "!=";
    case TokenKind::kLess: return "<";
    case TokenKind::kGreater: return ">";
    case TokenKind::kLessEqual: return "<=";
    case TokenKind::kGreaterEqual: return ">=";
    case TokenKind::kAndAnd: return "&&";
    case TokenKind::kOrOr: return "||";
    case TokenKind::kBang: return "!";
    case TokenKind::kDotDot: return "..";
    case TokenKind::kLeftBracket: return "[";
    case TokenKind::kRightBracket: return "]";
    case TokenKind::kLeftParen: return "(";
    case TokenKind::kRightParen: return ")";
    case TokenKind::kComma: return ",";
    default: return "?";
  }
}

// At most this much of a literal is quoted back in a message.
constexpr std::size_t kQuotedLength = 40;

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kQuotedLength; ++i) out += printable(text[i]);
  if (text.size() > kQuotedLength) out += "...";
  return out + "'";
}

}  // namespace

LexResult tokenize(std::string_view text) {
  LexResult result;
  try {
    result.tokens = Scanner(text).run();
  } catch (const ScriptFailure& failure) {
    result.tokens.clear();
    result.error = failure.error();
  }
  return result;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEndOfScript: return "end of script";
    case TokenKind::kIdentifier: return quoted(token.text);
    case TokenKind::kKeyword: return quoted(token.text);
    case TokenKind::kInteger:
    case TokenKind::kDecimal: return "number " + token.text;
    case TokenKind::kString: return "string " + quoted(token.text);
    case TokenKind::kBackquotedKey: return "key `" + token.text.substr(0, kQuotedLength) + "`";
    case TokenKind::kParameter: return "parameter " + token.text;
    default: return "'" + std::string(symbol_of(token.kind)) + "'";
  }
}

bool is_word(const Token& token, std::string_view word) {
  return token.kind == TokenKind::kIdentifier && equals_ignoring_case(token.text, word);
}

}  // namespace kahuna::script
