// Lexer: tokens, lines, keywords, literals, operators and errors.
#include <gtest/gtest.h>

#include <vector>

#include "script/lexer.h"

namespace kahuna::script {
namespace {

std::vector<Token> lex_ok(std::string_view text) {
  LexResult result = tokenize(text);
  EXPECT_FALSE(result.error) << result.error->reason();
  return result.tokens;
}

std::string lex_error(std::string_view text) {
  LexResult result = tokenize(text);
  if (!result.error) {
    ADD_FAILURE() << "no error for: " << text;
    return "";
  }
  return result.error->reason();
}

std::vector<TokenKind> kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> out;
  for (const Token& t : tokens) out.push_back(t.kind);
  return out;
}

TEST(ScriptLexer, EmptyTextIsJustTheEnd) {
  auto tokens = lex_ok("  \n -- only a comment\n # another\n");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kEndOfScript);
  EXPECT_EQ(tokens[0].line, 4);
}

TEST(ScriptLexer, KeywordsAreCaseInsensitiveAndKeepTheirSpelling) {
  auto tokens = lex_ok("SeT get Del DELETE eSet rollback");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].keyword, Keyword::kSet);
  EXPECT_EQ(tokens[0].text, "SeT");
  EXPECT_EQ(tokens[1].keyword, Keyword::kGet);
  EXPECT_EQ(tokens[2].keyword, Keyword::kDelete);
  EXPECT_EQ(tokens[3].keyword, Keyword::kDelete);
  EXPECT_EQ(tokens[4].keyword, Keyword::kEset);
  EXPECT_EQ(tokens[5].keyword, Keyword::kRollback);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(tokens[i].kind, TokenKind::kKeyword);
}

TEST(ScriptLexer, QualifyingWordsStayIdentifiers) {
  auto tokens = lex_ok("nx XX ex cmp cmprev at as of by bucket prefix in found deleted extended");
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    EXPECT_EQ(tokens[i].kind, TokenKind::kIdentifier) << tokens[i].text;
  }
  EXPECT_TRUE(is_word(tokens[1], "xx"));
  EXPECT_FALSE(is_word(tokens[1], "nx"));
}

TEST(ScriptLexer, TokensCarryTheirLine) {
  auto tokens = lex_ok("SET a 1\n\n-- comment\nGET a # trailing\n  RETURN\n'multi\nline' x");
  std::vector<int> lines;
  for (const Token& t : tokens) lines.push_back(t.line);
  EXPECT_EQ(lines, (std::vector<int>{1, 1, 1, 4, 4, 5, 6, 7, 7}));
}

TEST(ScriptLexer, Numbers) {
  auto tokens = lex_ok("0 42 0x1F 0XfF 3.25 1e3 2.5E-2 9223372036854775807");
  ASSERT_EQ(tokens.size(), 9u);
  EXPECT_EQ(tokens[0].integer, 0);
  EXPECT_EQ(tokens[1].integer, 42);
  EXPECT_EQ(tokens[2].integer, 31);
  EXPECT_EQ(tokens[3].integer, 255);
  EXPECT_EQ(tokens[4].kind, TokenKind::kDecimal);
  EXPECT_DOUBLE_EQ(tokens[4].decimal, 3.25);
  EXPECT_DOUBLE_EQ(tokens[5].decimal, 1000.0);
  EXPECT_DOUBLE_EQ(tokens[6].decimal, 0.025);
  EXPECT_EQ(tokens[7].integer, INT64_MAX);
}

TEST(ScriptLexer, RangeIsNotADecimal) {
  auto tokens = lex_ok("1..10");
  EXPECT_EQ(kinds(tokens), (std::vector<TokenKind>{TokenKind::kInteger, TokenKind::kDotDot,
                                                   TokenKind::kInteger, TokenKind::kEndOfScript}));
}

TEST(ScriptLexer, StringsWithEscapes) {
  auto tokens = lex_ok(R"('it\'s' "say \"hi\"\n" 'tab\there' "\x41\\\0z" '' "")");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_EQ(tokens[1].text, "say \"hi\"\n");
  EXPECT_EQ(tokens[2].text, "tab\there");
  EXPECT_EQ(tokens[3].text, std::string("A\\\0z", 4));
  EXPECT_EQ(tokens[4].text, "");
  EXPECT_EQ(tokens[5].kind, TokenKind::kString);
}

TEST(ScriptLexer, BackquotedKeysAndParameters) {
  auto tokens = lex_ok("`election/leader` `a key with spaces` @value @_x1");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kBackquotedKey);
  EXPECT_EQ(tokens[0].text, "election/leader");
  EXPECT_EQ(tokens[1].text, "a key with spaces");
  EXPECT_EQ(tokens[2].kind, TokenKind::kParameter);
  EXPECT_EQ(tokens[2].text, "@value");
  EXPECT_EQ(tokens[3].text, "@_x1");
}

TEST(ScriptLexer, EveryOperator) {
  auto tokens = lex_ok("+ - * / == = != <> < > <= >= && || ! .. [ ] ( ) ,");
  EXPECT_EQ(
      kinds(tokens),
      (std::vector<TokenKind>{
          TokenKind::kPlus,        TokenKind::kMinus,        TokenKind::kStar,      TokenKind::kSlash,
          TokenKind::kEqualEqual,  TokenKind::kAssign,       TokenKind::kNotEqual,  TokenKind::kNotEqual,
          TokenKind::kLess,        TokenKind::kGreater,      TokenKind::kLessEqual, TokenKind::kGreaterEqual,
          TokenKind::kAndAnd,      TokenKind::kOrOr,         TokenKind::kBang,      TokenKind::kDotDot,
          TokenKind::kLeftBracket, TokenKind::kRightBracket, TokenKind::kLeftParen, TokenKind::kRightParen,
          TokenKind::kComma,       TokenKind::kEndOfScript}));
}

TEST(ScriptLexer, DoubleDashStartsAComment) {
  auto tokens = lex_ok("1 -- 2\n- 3");
  EXPECT_EQ(kinds(tokens), (std::vector<TokenKind>{TokenKind::kInteger, TokenKind::kMinus,
                                                   TokenKind::kInteger, TokenKind::kEndOfScript}));
}

TEST(ScriptLexer, ErrorsCarryTheLine) {
  EXPECT_EQ(lex_error("SET a 1\nSET b 'open\n\n"), "Syntax error: unterminated string at line 2");
  EXPECT_EQ(lex_error("\n\nx $ y"), "Syntax error: unexpected character '$' at line 3");
  EXPECT_EQ(lex_error("'\\q'"), "Syntax error: unknown escape '\\q' in a string at line 1");
  EXPECT_EQ(lex_error("\"\\x4\""), "Syntax error: \\x needs two hexadecimal digits at line 1");
  EXPECT_EQ(lex_error("\n`unterminated"), "Syntax error: unterminated backquoted key at line 2");
  EXPECT_EQ(lex_error("``"), "Syntax error: empty key `` at line 1");
  EXPECT_EQ(lex_error("@ x"), "Syntax error: '@' must be followed by a parameter name at line 1");
  EXPECT_EQ(lex_error("a & b"), "Syntax error: unexpected character '&' at line 1");
  EXPECT_EQ(lex_error("a | b"), "Syntax error: unexpected character '|' at line 1");
  EXPECT_EQ(lex_error("1.x"), "Syntax error: unexpected character '.' at line 1");
  EXPECT_NE(lex_error("9223372036854775808").find("out of range"), std::string::npos);
  EXPECT_NE(lex_error("0x8000000000000000").find("out of range"), std::string::npos);
  EXPECT_NE(lex_error("0x").find("malformed"), std::string::npos);
  EXPECT_NE(lex_error("12abc").find("malformed number"), std::string::npos);
  EXPECT_NE(lex_error("1e999").find("out of range"), std::string::npos);
  EXPECT_EQ(lex_error("\x01"), "Syntax error: unexpected character '\\x01' at line 1");
}

TEST(ScriptLexer, DescribeNamesTokensForMessages) {
  auto tokens = lex_ok("THEN 'abc' 12 `k` @p )");
  EXPECT_EQ(describe(tokens[0]), "'THEN'");
  EXPECT_EQ(describe(tokens[1]), "string 'abc'");
  EXPECT_EQ(describe(tokens[2]), "number 12");
  EXPECT_EQ(describe(tokens[3]), "key `k`");
  EXPECT_EQ(describe(tokens[4]), "parameter @p");
  EXPECT_EQ(describe(tokens[5]), "')'");
  EXPECT_EQ(describe(tokens[6]), "end of script");
}

}  // namespace
}  // namespace kahuna::script
