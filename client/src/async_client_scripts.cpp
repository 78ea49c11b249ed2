// AsyncClient: Kahuna Script.
#include <kahuna/client/async_client.h>

#include "call_runner.h"
#include "client_core.h"

namespace kahuna::client {

namespace {

// Runs a script call; a run the client cannot vouch for (it may have
// happened) is the script family's outcome unknown, not an error, so that a
// caller reads one code for it whether the node said so or the client did.
asio::awaitable<Result<ScriptResult>> run_script(std::shared_ptr<detail::ClientCore> core,
                                                 detail::CoreCall call) {
  asio::awaitable<Result<ScriptResult>> running =
      detail::run_plain<ScriptReply>(std::move(core), std::move(call));
  Result<ScriptResult> reply = co_await std::move(running);
  if (!reply && reply.error().kind == ErrorKind::kOutcomeUnknown) {
    co_return ScriptResult{ScriptCode::kOutcomeUnknown, reply.error().message, {}};
  }
  co_return reply;
}

}  // namespace

asio::awaitable<Result<ScriptResult>> AsyncClient::execute_script(std::string script,
                                                                  std::vector<ScriptParameter> parameters,
                                                                  ScriptOptions options) {
  detail::CoreCall call;
  call.body = wire::KvExecuteScript{ScriptRequest{std::move(script), std::nullopt, std::move(parameters)}};
  // It runs on the node that receives it, whichever that is.
  call.target = detail::CallTarget::any_node();
  call.deadline = core_->deadline_of(options.deadline);
  // Nothing on the server recognizes a second run of the same script.
  call.resend_after_sent = false;
  call.resend_when_unknown = false;
  return run_script(core_, std::move(call));
}

}  // namespace kahuna::client
