#include "client_core.h"

#include <algorithm>

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "backoff.h"
#include "lock_state.h"
#include "reply_facts.h"

namespace kahuna::client::detail {

namespace {

constexpr auto kMinRefreshInterval = std::chrono::milliseconds(20);
constexpr auto kStatusReadTimeout = std::chrono::milliseconds(1000);

std::chrono::milliseconds ms_until(std::chrono::steady_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - std::chrono::steady_clock::now());
}

// What the server is told it may spend: a little less than the client waits,
// so that a slow call comes back as the server's own answer (must-retry when
// it certainly did not run, outcome-unknown when it may have) rather than
// as a local timeout that tells nothing.
std::uint32_t server_timeout_ms(std::chrono::milliseconds attempt) {
  const auto margin = std::min(attempt / 4, std::chrono::milliseconds(250));
  const auto server = std::max(attempt - margin, std::chrono::milliseconds(1));
  return static_cast<std::uint32_t>(std::min<std::int64_t>(server.count(), 0xFFFFFFFF));
}

// Why a call gave up at its deadline; see client_core.h.
Error gave_up(bool maybe_applied, bool any_reply, int attempts, const std::string& last_failure) {
  const std::string tried = std::to_string(attempts) + " attempt(s)";
  if (maybe_applied) {
    return Error{ErrorKind::kOutcomeUnknown,
                 "gave up after " + tried +
                     " without learning whether the write was applied (at most once); last: " + last_failure};
  }
  const ErrorKind kind = any_reply ? ErrorKind::kDeadline : ErrorKind::kUnreachable;
  return Error{kind, "gave up after " + tried + "; last: " + last_failure};
}

}  // namespace

ClientCore::ClientCore(asio::any_io_executor executor, ClientOptions options)
    : executor_(executor),
      options_(std::move(options)),
      pool_(executor, Connection::Options{options_.connect_timeout, options_.max_reply_bytes},
            options_.endpoint_cooldown, metrics_) {}

std::chrono::milliseconds ClientCore::deadline_of(const Deadline& deadline) const {
  return deadline.value_or(options_.call_deadline);
}

void ClientCore::shutdown() {
  if (closed_.exchange(true)) return;
  pool_.close_all("the client was shut down");
  for (auto& weak : locks_) {
    if (auto state = weak.lock()) state->stop();
  }
  locks_.clear();
  for (auto& waiter : refresh_waiters_) waiter->cancel();
  refresh_waiters_.clear();
}

void ClientCore::register_lock(const std::shared_ptr<LockState>& state) {
  std::erase_if(locks_, [](const std::weak_ptr<LockState>& weak) { return weak.expired(); });
  locks_.push_back(state);
}

asio::awaitable<Result<wire::Response>> ClientCore::call(CoreCall call) {
  const auto self = shared_from_this();  // a lock handle may drop the last other owner meanwhile
  const auto deadline = Clock::now() + call.deadline + call.server_wait;
  Backoff backoff(options_.initial_backoff, options_.max_backoff);
  std::optional<std::uint64_t> redirect;
  bool redirected_once = false;
  bool any_reply = false;
  // Set once an attempt of a write may have been applied, and never cleared:
  // a later must-retry speaks for its own attempt only, not for an earlier
  // one whose proposal may still commit.
  bool maybe_applied = false;
  std::string last_failure = "no attempt was made";
  int attempts = 0;

  const bool write = carries_request_id(call.body);
  if (write && !call.request_id.present()) call.request_id = request_ids_.next();

  if (!map_.known() && call.target.placed()) co_await refresh_map();

  for (;;) {
    if (closed()) co_return Error{ErrorKind::kClosed, "the client was shut down"};
    const auto remaining = ms_until(deadline);
    if (remaining.count() <= 0) co_return gave_up(maybe_applied, any_reply, attempts, last_failure);
    if (attempts++ > 0) ++metrics_.retries;

    const std::optional<std::uint32_t> partition = map_.partition_of(call.target);
    const std::string endpoint = choose_endpoint(call.target, redirect);
    redirect.reset();

    const auto attempt_timeout = std::min(remaining, options_.attempt_timeout + call.server_wait);
    wire::Request request;
    request.body = call.body;
    request.settings.timeout_ms =
        server_timeout_ms(std::max(attempt_timeout - call.server_wait, std::chrono::milliseconds(1)));
    request.settings.consistency = call.consistency;
    request.settings.request_id = call.request_id;  // the same on every attempt

    std::shared_ptr<Connection> connection = pool_.get(endpoint);
    ++metrics_.requests_sent;
    Exchange exchange = co_await connection->exchange(std::move(request), attempt_timeout);
    if (closed()) co_return Error{ErrorKind::kClosed, "the client was shut down"};

    switch (exchange.outcome) {
      case Exchange::Outcome::kUnencodable: co_return Error{ErrorKind::kInvalidArgument, exchange.message};
      case Exchange::Outcome::kUndecodable: co_return Error{ErrorKind::kProtocol, exchange.message};
      case Exchange::Outcome::kFailed:
      case Exchange::Outcome::kTimedOut: {
        ++metrics_.transport_failures;
        last_failure = exchange.message;
        // A request may have reached the node and run, unless its connection
        // failed before it was ever made. (One that timed out while still
        // connecting stays queued, and goes out if the connection is made.)
        const bool never_sent =
            exchange.outcome == Exchange::Outcome::kFailed && !connection->was_connected();
        if (write && !never_sent) maybe_applied = true;
        if (!call.resend_after_sent && !never_sent) {
          co_return Error{ErrorKind::kOutcomeUnknown,
                          endpoint + ": " + exchange.message + "; not resent, as it may have run"};
        }
        if (never_sent) pool_.mark_unreachable(endpoint);
        if (partition) map_.forget_leader(*partition);
        ++any_node_preference_;
        co_await sleep(std::min(backoff.next(), std::max(ms_until(deadline), std::chrono::milliseconds(0))));
        if (call.target.kind != CallTarget::Kind::kNode) co_await refresh_map();
        continue;
      }
      case Exchange::Outcome::kReply: break;
    }

    any_reply = true;
    ++metrics_.replies;
    const ReplyFacts facts = facts_of(exchange.response);
    if (facts.error != nullptr) {
      const std::string text =
          endpoint + ": " + std::string(wire::to_string(facts.error->code)) + ": " + facts.error->message;
      if (facts.error->code != wire::ErrorCode::kTooManyInFlight) co_return Error{ErrorKind::kProtocol, text};
      last_failure = text;
      co_await sleep(std::min(backoff.next(), std::max(ms_until(deadline), std::chrono::milliseconds(0))));
      continue;
    }
    if (facts.forwarded) ++metrics_.forwarded_replies;
    if (facts.route && facts.route->leader != 0) map_.set_leader(facts.route->partition, facts.route->leader);
    // Members or replicas moved since the map was read, so leaders and
    // endpoints may have too.
    if (facts.metadata_version > map_.metadata_version()) co_await catch_up_with(facts.metadata_version);
    if (!facts.must_retry && !facts.outcome_unknown) co_return std::move(exchange.response);
    if (facts.outcome_unknown && (!call.resend_when_unknown || !call.resend_after_sent)) {
      ++metrics_.outcome_unknown_replies;
      co_return std::move(exchange.response);
    }

    if (facts.must_retry) {
      ++metrics_.must_retry_replies;
      last_failure = endpoint + " answered mustRetry";
    } else {
      // Resending is safe: the request id makes the cluster apply it at most
      // once, and answer the resend with the first apply's reply if it was.
      ++metrics_.outcome_unknown_replies;
      if (write) maybe_applied = true;
      last_failure = endpoint + " answered unknown";
    }
    const bool points_elsewhere = facts.route && facts.route->leader != 0 &&
                                  map_.endpoint_of(facts.route->leader).value_or(endpoint) != endpoint;
    if (points_elsewhere) {
      // The node named the leader: go there, at once the first time.
      redirect = facts.route->leader;
      if (!redirected_once) {
        redirected_once = true;
        continue;
      }
    } else {
      if (partition) map_.forget_leader(*partition);
      if (call.target.kind == CallTarget::Kind::kAnyNode) ++any_node_preference_;
    }
    co_await sleep(std::min(backoff.next(), std::max(ms_until(deadline), std::chrono::milliseconds(0))));
    if (!points_elsewhere && call.target.kind != CallTarget::Kind::kNode) co_await refresh_map();
  }
}

std::string ClientCore::choose_endpoint(const CallTarget& target, std::optional<std::uint64_t> redirect) {
  if (target.kind == CallTarget::Kind::kNode) return target.name;
  if (redirect) {
    if (auto endpoint = map_.endpoint_of(*redirect); endpoint && !pool_.cooling_down(*endpoint))
      return *endpoint;
  }
  if (const auto partition = map_.partition_of(target)) {
    if (const std::uint64_t leader = map_.leader_of(*partition); leader != 0) {
      if (auto endpoint = map_.endpoint_of(leader); endpoint && !pool_.cooling_down(*endpoint))
        return *endpoint;
    }
  }
  // No usable leader: any node forwards to it (or tells us who it is).
  return candidate_endpoints().front();
}

std::vector<std::string> ClientCore::candidate_endpoints() const {
  std::vector<std::string> all = map_.endpoints();
  for (const std::string& seed : options_.endpoints) {
    if (std::find(all.begin(), all.end(), seed) == all.end()) all.push_back(seed);
  }
  if (all.empty()) all.push_back("127.0.0.1:7100");
  std::rotate(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(any_node_preference_ % all.size()),
              all.end());
  std::stable_partition(all.begin(), all.end(),
                        [this](const std::string& e) { return !pool_.cooling_down(e); });
  return all;
}

asio::awaitable<void> ClientCore::ensure_map() {
  if (!map_.known()) co_await refresh_map();
}

void ClientCore::learn_map(const ClusterStatus& status) {
  map_.apply(status);
  metrics_.map_metadata_version = map_.metadata_version();
}

asio::awaitable<void> ClientCore::catch_up_with(std::uint64_t metadata_version) {
  if (metadata_version <= caught_up_to_) co_return;
  caught_up_to_ = metadata_version;
  co_await refresh_map(true);
}

asio::awaitable<void> ClientCore::refresh_map(bool even_if_recent) {
  const auto self = shared_from_this();
  if (closed()) co_return;
  if (refreshing_) {
    auto waiter = std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
    refresh_waiters_.push_back(waiter);
    std::error_code ignored;
    co_await waiter->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return;
  }
  if (!even_if_recent && Clock::now() - last_refresh_ < kMinRefreshInterval) co_return;
  refreshing_ = true;
  co_await read_map_from_cluster();
  refreshing_ = false;
  last_refresh_ = Clock::now();
  auto waiters = std::move(refresh_waiters_);
  refresh_waiters_.clear();
  for (auto& waiter : waiters) waiter->cancel();
}

asio::awaitable<void> ClientCore::read_map_from_cluster() {
  const std::vector<std::string> candidates = candidate_endpoints();
  for (const std::string& endpoint : candidates) {
    if (closed()) co_return;
    wire::Request request;
    request.body = wire::GetClusterStatus{};
    std::shared_ptr<Connection> connection = pool_.get(endpoint);
    const auto timeout = std::min(options_.attempt_timeout, kStatusReadTimeout);
    Exchange exchange = co_await connection->exchange(std::move(request), timeout);
    if (exchange.outcome == Exchange::Outcome::kReply) {
      if (const auto* status = std::get_if<ClusterStatus>(&exchange.response)) {
        learn_map(*status);
        ++metrics_.map_refreshes;
        co_return;
      }
    } else if (exchange.outcome == Exchange::Outcome::kFailed && !connection->was_connected()) {
      pool_.mark_unreachable(endpoint);
    }
  }
}

asio::awaitable<void> ClientCore::sleep(std::chrono::milliseconds delay) {
  if (delay.count() <= 0) co_return;
  asio::steady_timer timer(executor_, delay);
  std::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

}  // namespace kahuna::client::detail
