// Running a CoreCall and unwrapping its reply into the type the API returns.
#pragma once

#include <memory>

#include <asio/awaitable.hpp>

#include <kahuna/client/result.h>

#include "client_core.h"
#include "reply_cast.h"

namespace kahuna::client::detail {

// For replies that travel as Routed<Reply>.
template <class Reply>
asio::awaitable<Result<Reply>> run_routed(std::shared_ptr<ClientCore> core, CoreCall call) {
  Result<wire::Response> raw = co_await core->call(std::move(call));
  co_return routed_reply_as<Reply>(std::move(raw));
}

// For replies that travel as they are (scan-all-by-prefix, cluster status).
template <class Reply>
asio::awaitable<Result<Reply>> run_plain(std::shared_ptr<ClientCore> core, CoreCall call) {
  Result<wire::Response> raw = co_await core->call(std::move(call));
  co_return reply_as<Reply>(std::move(raw));
}

}  // namespace kahuna::client::detail
