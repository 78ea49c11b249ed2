#include "connection.h"

#include <utility>
#include <vector>

#include <asio/buffer.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <kahuna/wire/codec.h>
#include <kahuna/wire/dispatch.h>

namespace kahuna::binary_protocol {
namespace {

// How much the reader asks the socket for at a time.
constexpr std::size_t kReadChunk = 64 * 1024;
// How long a connection being closed for a framing error waits for the
// client to read the error reply before the socket is closed regardless.
constexpr std::chrono::seconds kCloseLinger{2};

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, KernelApi& kernel, const ConnectionLimits& limits,
                       std::shared_ptr<ConnectionRegistry> registry)
    : socket_(std::move(socket)),
      kernel_(kernel),
      limits_(limits),
      registry_(std::move(registry)),
      splitter_(limits.max_frame_bytes),
      reader_wakeup_(socket_.get_executor()),
      idle_timer_(socket_.get_executor()),
      linger_timer_(socket_.get_executor()),
      last_activity_(Clock::now()) {}

Connection::~Connection() { registry_->remove(this); }

void Connection::start() {
  auto self = shared_from_this();
  asio::co_spawn(socket_.get_executor(), read_loop(self), asio::detached);
  if (limits_.idle_timeout.count() > 0) {
    asio::co_spawn(socket_.get_executor(), idle_watchdog(self), asio::detached);
  }
}

void Connection::close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close_now(); });
}

void Connection::close_now() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  reader_wakeup_.cancel();
  idle_timer_.cancel();
  linger_timer_.cancel();
  outbox_.clear();
  registry_->remove(this);
}

void Connection::close_after_flush() {
  if (closing_) return;
  closing_ = true;
  reader_wakeup_.cancel();
  if (unanswered_ == 0) {
    close_now();
    return;
  }
  asio::co_spawn(socket_.get_executor(), close_after_linger(shared_from_this()), asio::detached);
}

asio::awaitable<void> Connection::close_after_linger(std::shared_ptr<Connection> self) {
  std::error_code error;
  self->linger_timer_.expires_after(kCloseLinger);
  co_await self->linger_timer_.async_wait(asio::redirect_error(asio::use_awaitable, error));
  self->close_now();
}

asio::awaitable<void> Connection::read_loop(std::shared_ptr<Connection> self) {
  Connection& c = *self;
  std::error_code error;
  while (!c.closing_) {
    // Backpressure: leave further frames unread (in the splitter and in the
    // socket) until replies drain; TCP flow control then slows the client.
    if (c.unanswered_ >= c.limits_.max_inflight) {
      c.reader_wakeup_.expires_at(asio::steady_timer::time_point::max());
      co_await c.reader_wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    wire::FrameView frame;
    const wire::SplitState state = c.splitter_.next(frame);
    if (state == wire::SplitState::kFrame) {
      c.handle_frame(frame);
      continue;
    }
    if (state == wire::SplitState::kBroken) {
      const auto& oversized = c.splitter_.oversized_header();
      c.send_error(oversized ? oversized->request_id : 0,
                   oversized ? wire::ErrorCode::kFrameTooLarge : wire::ErrorCode::kMalformedFrame,
                   c.splitter_.error().message());
      c.close_after_flush();
      break;
    }
    const std::span<char> space = c.splitter_.prepare(kReadChunk);
    const std::size_t n = co_await c.socket_.async_read_some(
        asio::buffer(space.data(), space.size()), asio::redirect_error(asio::use_awaitable, error));
    c.splitter_.commit(n);
    if (error) {
      // End of stream or reset: replies still queued have nobody to read them.
      c.close_now();
      break;
    }
    c.last_activity_ = Clock::now();
  }
}

void Connection::handle_frame(const wire::FrameView& frame) {
  wire::Request request;
  if (Status s = wire::decode_request(frame.header, frame.body, request); !s.is_ok()) {
    send_error(frame.header.request_id, wire::request_error_code(frame.header), s.message());
    return;
  }
  ++unanswered_;
  asio::co_spawn(socket_.get_executor(),
                 run_request(shared_from_this(), frame.header.request_id, std::move(request)),
                 asio::detached);
}

asio::awaitable<void> Connection::run_request(std::shared_ptr<Connection> self, std::uint64_t request_id,
                                              wire::Request request) {
  Connection& c = *self;
  std::string frame;
  try {
    const CallOptions options = wire::to_call_options(request.settings, c.limits_.default_request_timeout);
    const wire::Response response = co_await wire::dispatch(c.kernel_, std::move(request), options);
    if (Status s = wire::encode_response(request_id, response, frame); !s.is_ok()) {
      frame.clear();
      (void)wire::encode_response(request_id, wire::ErrorReply{wire::ErrorCode::kInternal, s.message()},
                                  frame);
    }
  } catch (...) {
    // Out of memory building the reply: the connection cannot keep its
    // promise of one reply per request, so it ends.
    --c.unanswered_;
    c.close_now();
    co_return;
  }
  --c.unanswered_;  // send() counts the queued frame instead
  c.send(std::move(frame));
}

void Connection::send_error(std::uint64_t request_id, wire::ErrorCode code, const std::string& message) {
  std::string frame;
  if (!wire::encode_response(request_id, wire::ErrorReply{code, message}, frame).is_ok()) return;
  send(std::move(frame));
}

void Connection::send(std::string frame) {
  if (closed_) {
    reader_wakeup_.cancel();
    return;
  }
  ++unanswered_;
  outbox_.push_back(std::move(frame));
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(socket_.get_executor(), write_loop(shared_from_this()), asio::detached);
  }
}

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Connection> self) {
  Connection& c = *self;
  std::error_code error;
  while (!c.closed_ && !c.outbox_.empty()) {
    // Everything queued so far goes out in one gathered write.
    std::vector<std::string> batch(std::make_move_iterator(c.outbox_.begin()),
                                   std::make_move_iterator(c.outbox_.end()));
    c.outbox_.clear();
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(batch.size());
    for (const std::string& frame : batch) buffers.push_back(asio::buffer(frame));
    co_await asio::async_write(c.socket_, buffers, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      c.close_now();
      break;
    }
    c.unanswered_ -= batch.size();
    c.last_activity_ = Clock::now();
    c.reader_wakeup_.cancel();
  }
  c.writing_ = false;
  // Closing waits for the requests still running too, within the linger.
  if (c.closing_ && c.unanswered_ == 0) c.close_now();
}

asio::awaitable<void> Connection::idle_watchdog(std::shared_ptr<Connection> self) {
  Connection& c = *self;
  std::error_code error;
  while (!c.closed_) {
    c.idle_timer_.expires_at(c.last_activity_ + c.limits_.idle_timeout);
    co_await c.idle_timer_.async_wait(asio::redirect_error(asio::use_awaitable, error));
    if (c.closed_) break;
    const bool quiet = Clock::now() - c.last_activity_ >= c.limits_.idle_timeout;
    // A connection waiting on its own requests (a lock wait, say) is not idle.
    if (quiet && c.unanswered_ == 0) {
      c.close_now();
      break;
    }
    if (quiet) c.last_activity_ = Clock::now();
  }
}

}  // namespace kahuna::binary_protocol
