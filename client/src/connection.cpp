#include "connection.h"

#include <utility>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <kahuna/host_port.h>
#include <kahuna/wire/codec.h>

namespace kahuna::client::detail {

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
}

Connection::Connection(asio::any_io_executor executor, std::string endpoint, Options options)
    : executor_(executor),
      endpoint_(std::move(endpoint)),
      options_(options),
      socket_(executor),
      writer_wakeup_(executor),
      splitter_(options.max_reply_bytes) {}

void Connection::start() {
  std::shared_ptr<Connection> self = shared_from_this();
  asio::co_spawn(executor_, run(std::move(self)), asio::detached);
}

// `self` keeps the connection alive for as long as it runs.
asio::awaitable<void> Connection::run(std::shared_ptr<Connection> self) {
  const bool connected = co_await connect();
  if (!connected) co_return;
  connected_ = true;
  asio::co_spawn(executor_, write_loop(self), asio::detached);
  co_await read_loop();
}

asio::awaitable<bool> Connection::connect() {
  HostPort address;
  if (Status parsed = parse_host_port(endpoint_, address, PortZero::kRefused); !parsed.is_ok()) {
    close(parsed.message());
    co_return false;
  }
  asio::ip::tcp::resolver resolver(executor_);
  // A connect that neither succeeds nor fails (a silent host) is cut short by
  // closing the socket. The timer's handler may run after this frame is gone
  // (when it fired just as the connect completed), so it shares only `race`.
  struct Race {
    bool finished = false;
    bool timed_out = false;
  };
  auto race = std::make_shared<Race>();
  asio::steady_timer limit(executor_, options_.connect_timeout);
  limit.async_wait([self = shared_from_this(), race](std::error_code error) {
    if (error || race->finished) return;
    race->timed_out = true;
    std::error_code ignored;
    self->socket_.close(ignored);
  });
  std::error_code error;
  const auto results = co_await resolver.async_resolve(address.host, std::to_string(address.port),
                                                       asio::redirect_error(asio::use_awaitable, error));
  if (!error && !broken_ && !race->timed_out) {
    co_await asio::async_connect(socket_, results, asio::redirect_error(asio::use_awaitable, error));
  }
  race->finished = true;
  const bool fired = race->timed_out;
  limit.cancel();
  if (broken_) co_return false;  // closed by the client meanwhile
  if (fired) {
    close(endpoint_ + ": connect timed out after " + std::to_string(options_.connect_timeout.count()) +
          " ms");
    co_return false;
  }
  if (error) {
    close(endpoint_ + ": " + error.message());
    co_return false;
  }
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return true;
}

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Connection> /*keep_alive*/) {
  std::string writing;
  while (!broken_) {
    if (outbox_.empty()) {
      writer_wakeup_.expires_at(asio::steady_timer::time_point::max());
      std::error_code ignored;
      co_await writer_wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      continue;
    }
    // Everything queued goes in one write: pipelined requests share packets.
    writing.clear();
    writing.swap(outbox_);
    std::error_code error;
    co_await asio::async_write(socket_, asio::buffer(writing),
                               asio::redirect_error(asio::use_awaitable, error));
    if (error && !broken_) close(endpoint_ + ": " + error.message());
  }
}

asio::awaitable<void> Connection::read_loop() {
  while (!broken_) {
    const std::span<char> space = splitter_.prepare(kReadChunk);
    std::error_code error;
    const std::size_t n = co_await socket_.async_read_some(asio::buffer(space.data(), space.size()),
                                                           asio::redirect_error(asio::use_awaitable, error));
    if (broken_) co_return;
    if (error) {
      splitter_.commit(0);
      close(error == asio::error::eof ? endpoint_ + ": connection closed by the node"
                                      : endpoint_ + ": " + error.message());
      co_return;
    }
    splitter_.commit(n);
    wire::FrameView frame;
    for (;;) {
      const wire::SplitState state = splitter_.next(frame);
      if (state == wire::SplitState::kNeedMore) break;
      if (state == wire::SplitState::kBroken) {
        close(endpoint_ + ": unreadable reply stream: " + splitter_.error().to_string());
        co_return;
      }
      deliver(frame.header, frame.body);
      if (broken_) co_return;
    }
  }
}

void Connection::deliver(const wire::FrameHeader& header, std::string_view body) {
  const auto found = pending_.find(header.request_id);
  if (found == pending_.end()) {
    // A reply to a request that timed out, or the server's complaint that it
    // could not read our stream at all (request id 0): the latter ends the connection.
    if (header.request_id == 0 && header.opcode == static_cast<std::uint16_t>(wire::Opcode::kErrorReply)) {
      wire::Response response;
      std::string reason = endpoint_ + ": the node could not read our frames";
      if (wire::decode_response(header, body, response).is_ok()) {
        if (const auto* error = std::get_if<wire::ErrorReply>(&response)) reason += ": " + error->message;
      }
      close(reason);
    }
    return;
  }
  std::shared_ptr<Pending> pending = found->second;
  pending_.erase(found);
  Exchange result;
  const Status decoded = wire::decode_response(header, body, result.response);
  if (decoded.is_ok()) {
    result.outcome = Exchange::Outcome::kReply;
  } else {
    result.outcome = Exchange::Outcome::kUndecodable;
    result.message = endpoint_ + ": reply does not decode: " + decoded.to_string();
  }
  complete(*pending, std::move(result));
}

void Connection::complete(Pending& pending, Exchange result) {
  pending.done = true;
  pending.result = std::move(result);
  pending.wakeup.cancel();
}

asio::awaitable<Exchange> Connection::exchange(wire::Request request, std::chrono::milliseconds timeout) {
  const std::shared_ptr<Connection> self = shared_from_this();  // outlive close() while we wait
  if (broken_) co_return Exchange{Exchange::Outcome::kFailed, {}, broken_reason_};
  const std::uint64_t id = next_request_id_++;
  const Status encoded = wire::encode_request(id, request, outbox_);
  if (!encoded.is_ok()) co_return Exchange{Exchange::Outcome::kUnencodable, {}, encoded.to_string()};
  auto pending = std::make_shared<Pending>(executor_);
  pending_.emplace(id, pending);
  writer_wakeup_.cancel();
  pending->wakeup.expires_after(timeout);
  if (!pending->done) {
    std::error_code ignored;
    co_await pending->wakeup.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  if (!pending->done) {
    pending_.erase(id);
    co_return Exchange{Exchange::Outcome::kTimedOut,
                       {},
                       endpoint_ + ": no reply within " + std::to_string(timeout.count()) + " ms"};
  }
  co_return std::move(pending->result);
}

void Connection::close(const std::string& reason) {
  if (broken_) return;
  broken_ = true;
  broken_reason_ = reason;
  std::error_code ignored;
  socket_.close(ignored);
  writer_wakeup_.cancel();
  outbox_.clear();
  auto waiting = std::move(pending_);
  pending_.clear();
  for (auto& [id, pending] : waiting) complete(*pending, Exchange{Exchange::Outcome::kFailed, {}, reason});
}

}  // namespace kahuna::client::detail
