// The Kernel's Kahuna Script verb (TRANSACTIONS.md §4): a script runs on the
// node that receives it, on a thread of the script pool, against the
// cluster through KernelScriptHost; its transaction commits through the
// coordinator like any other.
#include <asio/co_spawn.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "api/kernel.h"
#include "script/interpreter.h"
#include "tx/kernel_script_host.h"

namespace kahuna {

asio::awaitable<ScriptReply> Kernel::kv_execute_script(ScriptRequest request, CallOptions options) {
  asio::any_io_executor io = co_await asio::this_coro::executor;
  const Clock::time_point deadline = Clock::now() + options.timeout;
  auto run = [this, io, deadline, request = std::move(request)]() -> asio::awaitable<ScriptReply> {
    co_return run_script_here(request, io, deadline);
  };
  co_return co_await asio::co_spawn(script_threads_, std::move(run), asio::use_awaitable);
}

ScriptReply Kernel::run_script_here(const ScriptRequest& request, asio::any_io_executor io,
                                    Clock::time_point deadline) {
  const script::Script::ParseResult parsed = scripts_.get_or_parse(request.script);
  if (!parsed.script) {
    const script::ScriptError error = parsed.error.value_or(script::ScriptError{"Syntax error", 1});
    return ScriptReply{ScriptCode::kErrored, error.reason(), {}};
  }
  script::ScriptParameters parameters;
  for (const ScriptParameter& parameter : request.parameters) parameters[parameter.name] = parameter.value;
  // What a pessimistic transaction locks first: every key (not prefix) any
  // branch may touch, persistent ones only (ephemeral keys take no part).
  std::vector<std::string> keys;
  for (const script::ScriptKey& key : parsed.script->keys(parameters)) {
    if (!key.prefix && key.durability == Durability::kPersistent) keys.push_back(key.key);
  }
  KernelScriptHost host(*this, std::move(io), clock_, deadline, std::move(keys),
                        parsed.script->needs_transaction());
  script::ScriptResult result = script::run_script(*parsed.script, host, parameters);
  // A commit whose outcome could not be learned is not an error of the
  // script: the caller must be told the writes may have happened.
  if (host.commit_outcome_unknown() && result.code == ScriptCode::kErrored) {
    result.code = ScriptCode::kOutcomeUnknown;
  }
  return ScriptReply{result.code, std::move(result.reason), std::move(result.values)};
}

}  // namespace kahuna
