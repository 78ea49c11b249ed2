// run_script: runs a parsed Kahuna Script against a ScriptHost and answers
// {code, reason, values} (TRANSACTIONS.md §4):
// - the code is the outcome of the last key/value access that ran (0 set,
//   1 notSet, 2 extended, 3 get, 4 deleted, 10 exists, 103 doesNotExist),
//   with its rows in `values`; 0 with no rows when none ran;
// - RETURN expr answers 3 with the value's text (an array: one row per
//   element); a bare RETURN stops with the last access's outcome;
// - ROLLBACK, and a BEGIN … END left without COMMIT (RETURN included),
//   roll back and answer 102 aborted;
// - an error — THROW, a type error, a limit, an unknown variable — answers
//   99 with "<message> at line N", after rolling back an open transaction;
// - a host failure answers the code the host gave (script_host.h).
// Guards (NOT FOUND, NOT SET, NOT DELETED, NOT EXTENDED) read the outcome of
// the last access of their kind; asking before any ran is an error.
//
// Variables live in one scope for the whole run (a FOR variable and a LET
// inside a loop stay visible after it).
#pragma once

#include <cstddef>
#include <cstdint>

#include "script/script.h"
#include "script/script_host.h"
#include "script/script_result.h"

namespace kahuna::script {

// What one run may spend (run_budget.h); each limit ends the script with 99
// and "script exceeded the limit of ... at line N".
struct InterpreterLimits {
  // CPU time: statements and loop iterations one run may execute — nested
  // loops of 100,000-element ranges would otherwise run for hours — where
  // every 1 KiB (kWorkBytesPerStep) a rule reads or copies without making a
  // value (comparing, searching, converting) is one more step, so a step on
  // a 16 MiB string is not free.
  std::int64_t max_steps = 1'000'000;
  // Memory: bytes of values one run may make — a string its bytes, an array
  // sizeof(Value) per element; values read from the host, what SET hands
  // the host and the reply's rows included. Copies are free (shared). The
  // total counts what was made, not what is still held: it never goes down
  // (run_budget.h says why). 48 MiB is three strings of the largest size
  // (kMaxStringBytes): room to build one (by doubling: 16 + 8 + 4 + ... MiB,
  // nearly 32) and work with pieces of it, or to read and rework dozens of
  // values of the default stored-value limit (1 MiB); a server runs many
  // scripts at once and cannot give each more.
  std::size_t max_value_bytes = std::size_t{48} << 20;
};

// Never throws (an exception from the host ends the script with 99).
ScriptResult run_script(const Script& script, ScriptHost& host, const ScriptParameters& parameters,
                        const InterpreterLimits& limits = {});

}  // namespace kahuna::script
