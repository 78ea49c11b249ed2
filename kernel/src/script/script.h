// Script: a parsed Kahuna Script, immutable and shareable between threads
// (the script cache hands the same one to every session that sends its
// text), with what the session layer must know before running it:
// - transaction_mode(): a script of one key/value command runs as that
//   command; a longer one as one transaction that the interpreter opens
//   first and commits at the end (auto-commit); a script with BEGIN … END
//   opens and closes its own (TRANSACTIONS.md §4);
// - begin_options(): the options of its BEGINs (locking mode, timeout, ...);
// - keys(parameters): every key and prefix any branch may touch, so a
//   pessimistic run can lock them all before the first statement.
#pragma once

#include <compare>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/types/call.h>

#include "script/ast.h"
#include "script/script_error.h"
#include "script/transaction_options.h"

namespace kahuna::script {

enum class TransactionMode : std::uint8_t {
  kNone,        // at most one key/value access, or none: no transaction
  kAutoCommit,  // the interpreter wraps the whole run in one transaction
  kExplicit,    // the script's BEGIN … END blocks are its transactions
};

// "@name" -> value (nullopt: the parameter is JSON null), as the request's
// `parameters` give them. A name given without its '@' is found too.
using ScriptParameters = std::map<std::string, std::optional<std::string>, std::less<>>;

// The parameter called `name` ("@name"), or nullptr when it was not given.
const std::optional<std::string>* find_parameter(const ScriptParameters& parameters, std::string_view name);

struct ScriptKey {
  std::string key{};
  Durability durability = Durability::kPersistent;
  bool prefix = false;  // GET BY BUCKET / SCAN BY PREFIX: every key starting with `key`
  friend auto operator<=>(const ScriptKey&, const ScriptKey&) = default;
};

class Script {
 public:
  struct ParseResult {
    std::shared_ptr<const Script> script{};  // null when there is an error
    std::optional<ScriptError> error{};
  };

  // Parses `text` (at most kMaxScriptBytes); never throws.
  static ParseResult parse(std::string_view text);

  Script(const Script&) = delete;
  Script& operator=(const Script&) = delete;

  const std::string& text() const noexcept { return text_; }
  const Block& program() const noexcept { return program_; }

  TransactionMode transaction_mode() const noexcept { return mode_; }
  // True for an auto-commit script: the run is one transaction.
  bool needs_transaction() const noexcept { return mode_ == TransactionMode::kAutoCommit; }
  // The options of every BEGIN, in text order (empty unless kExplicit).
  const std::vector<TransactionOptions>& begin_options() const noexcept { return begin_options_; }
  // How many key/value statements and reads the text contains.
  int access_count() const noexcept { return access_count_; }

  // Every key and prefix the script may touch in any branch, resolved with
  // `parameters`, sorted and without duplicates. A key position naming a
  // parameter that is missing or null is left out: running the script fails
  // at that statement anyway.
  std::vector<ScriptKey> keys(const ScriptParameters& parameters) const;

 private:
  Script() = default;

  std::string text_;
  Block program_;
  TransactionMode mode_ = TransactionMode::kNone;
  std::vector<TransactionOptions> begin_options_;
  int access_count_ = 0;
};

}  // namespace kahuna::script
