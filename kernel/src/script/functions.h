// The built-in functions of Kahuna Script (TRANSACTIONS.md §4).
//
// The parser resolves a call to its FunctionInfo once, so an unknown name or
// a wrong number of arguments is an error before the script runs (nothing is
// written by a script that cannot finish); argument types are checked when
// the function runs and a mismatch is a ValueError.
#pragma once

#include <functional>
#include <span>
#include <string_view>

#include <kahuna/hlc_timestamp.h>

#include "script/value.h"

namespace kahuna::script {

// What a function may read besides its arguments: the host's clock, for
// current_time() and hlc().
struct FunctionContext {
  std::function<HlcTimestamp()> now{};
};

using FunctionImpl = Value (*)(std::span<const Value> arguments, const FunctionContext& context);

struct FunctionInfo {
  std::string_view name;  // lower case
  int min_arguments = 0;
  int max_arguments = 0;  // kVariadic: no limit
  FunctionImpl impl = nullptr;
};

inline constexpr int kVariadic = -1;

// The function called `name` (any case), or nullptr.
const FunctionInfo* find_function(std::string_view name);
// Every function, in a stable order.
std::span<const FunctionInfo> all_functions();

// "abs takes 1 argument", "min takes at least 1 argument", "substring takes 2 or 3 arguments".
std::string arity_text(const FunctionInfo& function);

}  // namespace kahuna::script
