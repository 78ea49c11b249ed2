#include "api/kernel_entry.h"

#include <asio/co_spawn.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {

// Each call: start the kernel's coroutine on the server's io_context and
// await its result from the caller's. The request is moved into the kernel's
// coroutine frame, which owns it until the call completes.
#define KAHUNA_OPERATION(name, Result, parameters, arguments, ...)                                    \
  asio::awaitable<Result> KernelEntry::name(KAHUNA_UNPARENTHESIZED parameters, CallOptions options) { \
    return asio::co_spawn(io_, kernel_.name(KAHUNA_UNPARENTHESIZED arguments, options),               \
                          asio::use_awaitable);                                                       \
  }
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

}  // namespace kahuna
