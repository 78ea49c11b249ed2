#include <kahuna/wire/dispatch.h>

#include <kahuna/status.h>

namespace kahuna::wire {
namespace {

// A request body's call, as the Response its reply travels in.
template <class Body>
asio::awaitable<Response> call_for_response(KernelApi& kernel, Body body, CallOptions options) {
  co_return co_await call(kernel, std::move(body), options);
}
asio::awaitable<Response> call_for_response(KernelApi& kernel, GetClusterStatus, CallOptions) {
  co_return kernel.cluster_status();
}

}  // namespace

asio::awaitable<Response> dispatch(KernelApi& kernel, Request request, CallOptions options) {
  try {
    co_return co_await std::visit(
        [&](auto& alternative) { return call_for_response(kernel, std::move(alternative), options); },
        request.body);
  } catch (...) {
    // status_from_current_exception never throws, and moving its message does
    // not allocate: the error reply itself cannot fail.
    co_return ErrorReply{ErrorCode::kInternal,
                         status_from_current_exception("running the request").message()};
  }
}

}  // namespace kahuna::wire
