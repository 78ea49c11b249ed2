// Connection: one client's TCP connection to the binary protocol.
//
// Three kinds of coroutine share the connection's strand:
// - the reader cuts the byte stream into frames and starts one request
//   coroutine per request frame, so any number of requests run at once
//   (pipelining) and finish in any order;
// - each request coroutine runs its call on the KernelApi and queues the
//   reply frame;
// - the writer (at most one at a time) sends every queued reply in one
//   gathered write.
// A frame the connection cannot serve gets an error reply; a stream it
// cannot frame any more (bad magic, oversized frame) gets an error reply and
// is then closed. Nothing a client sends affects another connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/error_reply.h>
#include <kahuna/wire/frame_splitter.h>
#include <kahuna/wire/request.h>

#include "connection_registry.h"

namespace kahuna::binary_protocol {

struct ConnectionLimits {
  std::size_t max_frame_bytes = wire::kDefaultMaxFrameBytes;
  std::size_t max_inflight = 1024;
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds default_request_timeout{5000};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `socket` must be bound to a strand of its own: every member runs on it.
  // `kernel` must outlive every request the connection runs.
  Connection(asio::ip::tcp::socket socket, KernelApi& kernel, const ConnectionLimits& limits,
             std::shared_ptr<ConnectionRegistry> registry);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts the reader (and the idle watchdog); call once, from any thread.
  void start();

  // Closes the socket from any thread; requests in flight finish and their
  // replies are dropped. Idempotent.
  void close();

 private:
  using Clock = std::chrono::steady_clock;

  static asio::awaitable<void> read_loop(std::shared_ptr<Connection> self);
  static asio::awaitable<void> run_request(std::shared_ptr<Connection> self, std::uint64_t request_id,
                                           wire::Request request);
  static asio::awaitable<void> write_loop(std::shared_ptr<Connection> self);
  static asio::awaitable<void> idle_watchdog(std::shared_ptr<Connection> self);
  static asio::awaitable<void> close_after_linger(std::shared_ptr<Connection> self);

  // The members below run on the strand only.

  // Decodes one frame and starts its request, or answers it with an error.
  void handle_frame(const wire::FrameView& frame);
  // Queues a reply frame; counts against max_inflight until written.
  void send(std::string frame);
  void send_error(std::uint64_t request_id, wire::ErrorCode code, const std::string& message);
  // Stops reading; closes once every request read so far is answered on the
  // wire, or after a short linger (a client that does not read its replies).
  void close_after_flush();
  void close_now();

  asio::ip::tcp::socket socket_;
  KernelApi& kernel_;
  const ConnectionLimits limits_;
  const std::shared_ptr<ConnectionRegistry> registry_;

  wire::FrameSplitter splitter_;
  asio::steady_timer reader_wakeup_;  // the reader sleeps on it while at max_inflight
  asio::steady_timer idle_timer_;
  asio::steady_timer linger_timer_;

  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool closing_ = false;  // no more reading; close when the outbox is empty
  bool closed_ = false;
  // Frames read and not yet answered on the wire (calls running, replies queued).
  std::size_t unanswered_ = 0;
  Clock::time_point last_activity_;
};

}  // namespace kahuna::binary_protocol
