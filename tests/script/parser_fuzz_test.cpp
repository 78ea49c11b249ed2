// Garbage in, errors out: random bytes, random token soups and every
// truncation of the example scripts go through the parser (and, when they
// parse, through the interpreter with a small step budget). Nothing may
// crash, hang or answer without a line.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>

#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::FakeScriptHost;

constexpr std::array kExamples{
    "SET `k` @value",
    "GET `k`",
    "BEGIN (locking=\"optimistic\") SET @key @value COMMIT END",
    "BEGIN SET pp 'x' ROLLBACK END",
    "let cur = get `election/leader`\n"
    "if rev(cur) == 0 then set `election/leader` \"node-A\" else throw \"election failed\" end",
    "let stock = to_int(get @item)\n"
    "if stock >= to_int(@n) then set @item stock - to_int(@n) return 1 else return 0 end",
    "SET leader 'node-A' NX\nIF NOT SET THEN THROW 'taken' END",
    "LET items = GET BY BUCKET `users`\nFOR item IN items DO IF rev(item) > 2 THEN DELETE @k END END",
    "SET a 0x1F EX 100 CMPREV 3 -- comment\n# more\nRETURN (1..2)[0]",
};

// Parses `text`; when it parses, runs it cheaply. Checks the answer's form.
void check_input(const std::string& text) {
  Script::ParseResult parsed = Script::parse(text);
  if (!parsed.script) {
    ASSERT_TRUE(parsed.error.has_value());
    EXPECT_FALSE(parsed.error->message.empty());
    EXPECT_GE(parsed.error->line, 1);
    EXPECT_NE(parsed.error->reason().find(" at line "), std::string::npos);
    return;
  }
  FakeScriptHost host;
  ScriptParameters parameters{{"@value", "v"}, {"@key", "k"}, {"@item", "5"}, {"@n", "2"}, {"@k", "x"}};
  ScriptResult result = run_script(*parsed.script, host, parameters, InterpreterLimits{2'000});
  // Failures carry a reason with a line; 103 doesNotExist is an outcome.
  if (static_cast<int>(result.code) >= 98 && result.code != ScriptCode::kDoesNotExist) {
    EXPECT_NE(result.reason.find(" at line "), std::string::npos) << result.reason;
  }
}

TEST(ScriptFuzz, RandomBytes) {
  std::mt19937_64 random(20240611);
  std::uniform_int_distribution<int> length(0, 200);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 2'000; ++i) {
    std::string text(static_cast<std::size_t>(length(random)), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    check_input(text);
  }
}

TEST(ScriptFuzz, RandomTokenSoup) {
  static constexpr std::array kPieces{
      "SET ",    "GET ",   "EXISTS ", "DELETE ", "EXTEND ", "ESET ",     "EGET ",  "LET ",    "IF ",
      "THEN ",   "ELSE ",  "END ",    "FOR ",    "IN ",     "DO ",       "BEGIN ", "COMMIT ", "ROLLBACK ",
      "RETURN ", "THROW ", "SLEEP ",  "NOT ",    "FOUND ",  "NX ",       "XX ",    "EX ",     "CMP ",
      "CMPREV ", "AT ",    "AS ",     "OF ",     "BY ",     "BUCKET ",   "SCAN ",  "PREFIX ", "x ",
      "k ",      "`a/b` ", "'s' ",    "\"t\" ",  "@value ", "@missing ", "1 ",     "0 ",      "2.5 ",
      "0x10 ",   "+ ",     "- ",      "* ",      "/ ",      "== ",       "= ",     "!= ",     "< ",
      ">= ",     "&& ",    "|| ",     "! ",      ".. ",     "[ ",        "] ",     "( ",      ") ",
      ", ",      "true ",  "false ",  "null ",   "to_int(", "len(",      "rev(",   "concat(", "\n",
      "-- c\n"};
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  for (int i = 0; i < 3'000; ++i) {
    std::string text;
    const int n = length(random);
    for (int j = 0; j < n; ++j) text += kPieces[piece(random)];
    check_input(text);
  }
}

TEST(ScriptFuzz, EveryTruncationAndSplice) {
  std::mt19937_64 random(99);
  for (const char* example : kExamples) {
    const std::string text(example);
    for (std::size_t cut = 0; cut <= text.size(); ++cut) check_input(text.substr(0, cut));
    for (int i = 0; i < 100; ++i) {
      std::string mutated = text;
      std::uniform_int_distribution<std::size_t> at(0, mutated.size() - 1);
      mutated[at(random)] = static_cast<char>(random() & 0xff);
      mutated.erase(at(random) % mutated.size(), 1);
      check_input(mutated);
    }
  }
}

}  // namespace
}  // namespace kahuna::script
