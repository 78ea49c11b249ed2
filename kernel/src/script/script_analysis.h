// What can be known of a parsed script before it runs: every key position it
// has (in every branch, taken or not), how many key/value accesses it
// writes, and the transaction it needs. Script (script.h) exposes these.
#pragma once

#include <vector>

#include "script/ast.h"

namespace kahuna::script {

// A key position of the script, and how it is accessed.
struct KeyUse {
  const KeyRef* key = nullptr;
  Durability durability = Durability::kPersistent;
  bool prefix = false;  // GET BY BUCKET / SCAN BY PREFIX: every key starting with it
};

struct ScriptShape {
  std::vector<KeyUse> key_uses{};                   // in text order
  int accesses = 0;                                 // key/value statements and reads, as written
  bool has_begin = false;                           // any BEGIN anywhere
  std::vector<TransactionOptions> begin_options{};  // each BEGIN's, in text order
};

ScriptShape analyze(const Block& program);

}  // namespace kahuna::script
