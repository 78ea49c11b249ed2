// AsyncClient: locks and lock handles.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include <kahuna/client/async_client.h>

#include "call_runner.h"
#include "client_core.h"
#include "lock_state.h"
#include "random_text.h"

namespace kahuna::client {

namespace {

constexpr std::size_t kOwnerHexLength = 32;

detail::CoreCall lock_call(detail::ClientCore& core, wire::RequestBody body, const std::string& resource,
                           const Deadline& deadline) {
  detail::CoreCall call;
  call.body = std::move(body);
  call.target = detail::CallTarget::key(resource);
  call.deadline = core.deadline_of(deadline);
  return call;
}

LockRequest lock_request(std::string resource, std::string owner, std::chrono::milliseconds lease,
                         Durability durability) {
  return LockRequest{std::move(resource), std::move(owner), lease.count(), durability};
}

std::uint32_t wait_ms(std::chrono::milliseconds wait) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(wait.count(), 0, 0xFFFFFFFF));
}

}  // namespace

asio::awaitable<Result<LockResult>> AsyncClient::try_lock(std::string resource, std::string owner,
                                                          std::chrono::milliseconds lease,
                                                          LockOptions options) {
  const std::string target = resource;
  wire::TryLock body{lock_request(std::move(resource), std::move(owner), lease, options.durability)};
  return detail::run_routed<LockReply>(core_, lock_call(*core_, std::move(body), target, options.deadline));
}

asio::awaitable<Result<LockResult>> AsyncClient::acquire_lock(std::string resource, std::string owner,
                                                              std::chrono::milliseconds lease,
                                                              std::chrono::milliseconds wait,
                                                              LockOptions options) {
  const std::string target = resource;
  wire::Lock body{lock_request(std::move(resource), std::move(owner), lease, options.durability),
                  wait_ms(wait)};
  detail::CoreCall call = lock_call(*core_, std::move(body), target, options.deadline);
  call.server_wait = std::chrono::milliseconds(wait_ms(wait));
  return detail::run_routed<LockReply>(core_, std::move(call));
}

asio::awaitable<Result<LockResult>> AsyncClient::extend_lock(std::string resource, std::string owner,
                                                             std::chrono::milliseconds lease,
                                                             LockOptions options) {
  const std::string target = resource;
  wire::TryExtendLock body{lock_request(std::move(resource), std::move(owner), lease, options.durability)};
  return detail::run_routed<LockReply>(core_, lock_call(*core_, std::move(body), target, options.deadline));
}

asio::awaitable<Result<LockResult>> AsyncClient::unlock(std::string resource, std::string owner,
                                                        LockOptions options) {
  const std::string target = resource;
  wire::Unlock body{
      lock_request(std::move(resource), std::move(owner), std::chrono::milliseconds(0), options.durability)};
  return detail::run_routed<LockReply>(core_, lock_call(*core_, std::move(body), target, options.deadline));
}

asio::awaitable<Result<LockResult>> AsyncClient::get_lock(std::string resource, LockOptions options) {
  const std::string target = resource;
  wire::GetLock body{lock_request(std::move(resource), {}, std::chrono::milliseconds(0), options.durability)};
  return detail::run_routed<LockReply>(core_, lock_call(*core_, std::move(body), target, options.deadline));
}

asio::awaitable<Result<LockHandle>> AsyncClient::lock(std::string resource, std::chrono::milliseconds lease,
                                                      std::chrono::milliseconds wait,
                                                      LockHandleOptions options) {
  const std::shared_ptr<detail::ClientCore> core = core_;
  std::string owner = options.owner.empty() ? detail::random_hex(kOwnerHexLength) : options.owner;
  LockRequest request = lock_request(resource, std::move(owner), lease, options.durability);

  detail::CoreCall call;
  if (wait.count() > 0) {
    call.body = wire::Lock{request, wait_ms(wait)};
    call.server_wait = std::chrono::milliseconds(wait_ms(wait));
  } else {
    call.body = wire::TryLock{request};
  }
  call.target = detail::CallTarget::key(resource);
  call.deadline = core->deadline_of(options.deadline);

  // The lease runs from the grant, which is no earlier than the request.
  const auto sent_at = std::chrono::steady_clock::now();
  Result<wire::Response> raw = co_await core->call(std::move(call));
  Result<LockResult> reply = detail::routed_reply_as<LockReply>(std::move(raw));
  if (!reply) co_return reply.error();

  auto state = std::make_shared<detail::LockState>(core, std::move(request), std::move(options.on_lost));
  state->code = reply->code;
  state->fencing_token = reply->fencing_token;
  if (reply->code == LockCode::kLocked) {
    state->lease_end = sent_at + lease;
    state->acquired = true;
    core->register_lock(state);
    asio::co_spawn(core->executor(), detail::keep_lock(state), asio::detached);
  }
  co_return LockHandle(std::move(state));
}

}  // namespace kahuna::client
