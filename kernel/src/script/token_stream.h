// TokenStream: the parser's cursor over the lexer's tokens, with the checks
// and error messages every grammar rule shares, and the depth guard that
// keeps the recursive descent shallow on hostile input (parser.h).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "script/ast.h"
#include "script/lexer.h"
#include "script/script_error.h"

namespace kahuna::script {

class TokenStream {
 public:
  explicit TokenStream(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  // The token `ahead` places on; the last token (end of script) repeats.
  const Token& peek(std::size_t ahead = 0) const {
    const std::size_t at = pos_ + ahead;
    return at < tokens_.size() ? tokens_[at] : tokens_.back();
  }
  const Token& advance() {
    const Token& token = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return token;
  }
  bool at(TokenKind kind) const { return peek().kind == kind; }
  bool at_keyword(Keyword keyword) const {
    return peek().kind == TokenKind::kKeyword && peek().keyword == keyword;
  }
  bool at_word(std::string_view word) const { return is_word(peek(), word); }

  bool accept(TokenKind kind) {
    if (!at(kind)) return false;
    advance();
    return true;
  }
  bool accept_keyword(Keyword keyword) {
    if (!at_keyword(keyword)) return false;
    advance();
    return true;
  }
  bool accept_word(std::string_view word) {
    if (!at_word(word)) return false;
    advance();
    return true;
  }

  // "Syntax error: expected <what>, found <the current token>".
  [[noreturn]] void expected(std::string_view what) const {
    throw ScriptFailure("Syntax error: expected " + std::string(what) + ", found " + describe(peek()),
                        peek().line);
  }
  const Token& expect(TokenKind kind, std::string_view what) {
    if (!at(kind)) expected(what);
    return advance();
  }
  void expect_keyword(Keyword keyword, std::string_view what) {
    if (!accept_keyword(keyword)) expected(what);
  }
  void expect_word(std::string_view word, std::string_view what) {
    if (!accept_word(word)) expected(what);
  }

  // Counts one level of nesting for as long as it lives; past kMaxAstDepth
  // the parse stops with an error instead of recursing further.
  class DepthGuard {
   public:
    explicit DepthGuard(TokenStream& stream) : stream_(stream) {
      if (++stream_.depth_ > kMaxAstDepth) too_deep(stream_.peek().line);
    }
    ~DepthGuard() { --stream_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    TokenStream& stream_;
  };

  [[noreturn]] static void too_deep(int line) {
    throw ScriptFailure(
        "script is nested deeper than the limit of " + std::to_string(kMaxAstDepth) + " levels", line);
  }

 private:
  std::vector<Token> tokens_;  // never empty: ends with kEndOfScript
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace kahuna::script
