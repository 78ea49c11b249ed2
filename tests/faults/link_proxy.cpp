#include "link_proxy.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <deque>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace kahuna::faults {

using asio::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;

// Bytes of one direction read from one side and not yet written to the
// other, each chunk with the time it may be written (later than its read
// under a slow link).
struct Pipe {
  explicit Pipe(asio::io_context& io) : wake(io) {}
  struct Chunk {
    Clock::time_point due;
    std::vector<char> bytes;
  };
  std::deque<Chunk> chunks;
  std::size_t queued_bytes = 0;
  bool reader_done = false;  // the source closed: write what is queued, then close
  asio::steady_timer wake;   // the writer sleeps on it; the reader cancels it
};

struct Session {
  explicit Session(asio::io_context& io) : dialer(io), target(io), forward(io), backward(io) {}
  void close() {
    closed = true;
    std::error_code ignored;
    dialer.close(ignored);
    target.close(ignored);
    forward.wake.cancel();
    backward.wake.cancel();
  }
  tcp::socket dialer;  // the connection the dialling node opened to us
  tcp::socket target;  // our connection to the proxied port
  Pipe forward;        // dialer -> target
  Pipe backward;       // target -> dialer
  bool closed = false;
};

}  // namespace

// Shared with the coroutines, so none of them outlives what it touches.
// Everything but the modes is touched on the io_context's thread only.
struct LinkProxy::State {
  State(asio::io_context& io, std::uint16_t listen_port, std::uint16_t target)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), listen_port)), target_port(target) {
    ::fcntl(acceptor.native_handle(), F_SETFD, FD_CLOEXEC);
  }
  bool dropping() const { return forward.load() == LinkMode::kDrop || backward.load() == LinkMode::kDrop; }
  void close_all() {
    for (auto& weak : sessions) {
      if (auto session = weak.lock()) session->close();
    }
    sessions.clear();
  }
  tcp::acceptor acceptor;
  std::uint16_t target_port;
  std::atomic<LinkMode> forward{LinkMode::kPass};
  std::atomic<LinkMode> backward{LinkMode::kPass};
  std::atomic<std::int64_t> forward_latency_ms{0};
  std::atomic<std::int64_t> backward_latency_ms{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> open{0};
  std::atomic<std::uint64_t> forward_bytes{0};
  std::atomic<std::uint64_t> backward_bytes{0};
  std::vector<std::weak_ptr<Session>> sessions;
};

namespace {

using State = LinkProxy::State;

// Every socket of the proxy is close-on-exec, created so atomically: the
// test forks kahuna processes while the proxy runs, and a child holding a
// copy of a proxied connection would keep it open after the proxy closes
// it, so a dropped link would never look dropped to the nodes.
std::error_code open_cloexec(tcp::socket& socket) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::error_code(errno, std::system_category());
  std::error_code error;
  socket.assign(tcp::v4(), fd, error);
  if (error) ::close(fd);
  return error;
}

// accept4 with SOCK_CLOEXEC, waiting on the acceptor through asio.
asio::awaitable<std::error_code> accept_cloexec(tcp::acceptor& acceptor, tcp::socket& socket) {
  for (;;) {
    std::error_code error;
    co_await acceptor.async_wait(tcp::acceptor::wait_read, asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return error;
    const int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) continue;
      co_return std::error_code(errno, std::system_category());
    }
    socket.assign(tcp::v4(), fd, error);
    if (error) ::close(fd);
    co_return error;
  }
}

// Bounds what a slow link holds per direction, so that a fast sender meets
// TCP back-pressure instead of filling the test's memory.
constexpr std::size_t kMaxQueuedBytes = 4 << 20;

asio::awaitable<void> sleep_for(asio::steady_timer& timer, std::chrono::milliseconds duration) {
  std::error_code ignored;
  timer.expires_after(duration);
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// Reads one direction into its pipe while the mode allows: nothing is read
// while the direction hangs (the bytes stay in the socket buffers), and
// under a slow link each chunk is stamped with the time it may leave.
asio::awaitable<void> read_side(std::shared_ptr<State> state, std::shared_ptr<Session> session,
                                bool forward) {
  tcp::socket& from = forward ? session->dialer : session->target;
  Pipe& pipe = forward ? session->forward : session->backward;
  const std::atomic<LinkMode>& mode = forward ? state->forward : state->backward;
  const std::atomic<std::int64_t>& latency = forward ? state->forward_latency_ms : state->backward_latency_ms;
  asio::steady_timer pause(from.get_executor());
  std::array<char, 16384> buffer;
  for (;;) {
    while (!session->closed && (mode.load() == LinkMode::kHang || pipe.queued_bytes > kMaxQueuedBytes)) {
      co_await sleep_for(pause, std::chrono::milliseconds(10));
    }
    if (session->closed) break;
    std::error_code error;
    const std::size_t n =
        co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error || session->closed) break;
    const auto delay = mode.load() == LinkMode::kSlow ? std::chrono::milliseconds(latency.load())
                                                      : std::chrono::milliseconds(0);
    pipe.chunks.push_back(
        Pipe::Chunk{Clock::now() + delay, std::vector<char>(buffer.data(), buffer.data() + n)});
    pipe.queued_bytes += n;
    pipe.wake.cancel();
  }
  pipe.reader_done = true;
  pipe.wake.cancel();
}

// Writes one direction's pipe to the other side, each chunk at its time and
// in order; holds everything while the direction hangs. Closes the session
// when the link is dropped, a write fails, or the source closed and its
// last bytes are written.
asio::awaitable<void> write_side(std::shared_ptr<State> state, std::shared_ptr<Session> session,
                                 bool forward) {
  tcp::socket& to = forward ? session->target : session->dialer;
  Pipe& pipe = forward ? session->forward : session->backward;
  const std::atomic<LinkMode>& mode = forward ? state->forward : state->backward;
  asio::steady_timer pause(to.get_executor());
  for (;;) {
    if (session->closed || mode.load() == LinkMode::kDrop) break;
    if (pipe.chunks.empty()) {
      if (pipe.reader_done) break;
      std::error_code ignored;
      pipe.wake.expires_at(Clock::time_point::max());
      co_await pipe.wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      continue;
    }
    if (mode.load() == LinkMode::kHang) {
      co_await sleep_for(pause, std::chrono::milliseconds(10));
      continue;
    }
    if (const auto due = pipe.chunks.front().due; due > Clock::now()) {
      std::error_code ignored;
      pipe.wake.expires_at(due);
      co_await pipe.wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      continue;
    }
    // Moved out first: the chunk must outlive the write, and the reader
    // may push more meanwhile.
    std::vector<char> bytes = std::move(pipe.chunks.front().bytes);
    pipe.chunks.pop_front();
    std::error_code error;
    co_await asio::async_write(to, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, error));
    pipe.queued_bytes -= bytes.size();
    if (error) break;
    (forward ? state->forward_bytes : state->backward_bytes) += bytes.size();
  }
  session->close();
}

asio::awaitable<void> serve(std::shared_ptr<State> state, std::shared_ptr<Session> session) {
  std::error_code error;
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), state->target_port);
  error = open_cloexec(session->target);
  if (!error)
    co_await session->target.async_connect(target, asio::redirect_error(asio::use_awaitable, error));
  if (error || session->closed || state->dropping()) {
    session->close();
    co_return;
  }
  auto executor = session->dialer.get_executor();
  ++state->open;
  asio::co_spawn(executor, read_side(state, session, true), asio::detached);
  asio::co_spawn(executor, read_side(state, session, false), asio::detached);
  asio::co_spawn(executor, write_side(state, session, true), asio::detached);
  co_await write_side(state, session, false);
  // A writer closes the session when it ends; then every side ends.
  --state->open;
}

asio::awaitable<void> accept_loop(std::shared_ptr<State> state) {
  auto& io = static_cast<asio::io_context&>(state->acceptor.get_executor().context());
  for (;;) {
    auto session = std::make_shared<Session>(io);
    const std::error_code error = co_await accept_cloexec(state->acceptor, session->dialer);
    if (error == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
    if (error) continue;
    if (state->dropping()) {  // refuse: the dialler sees the connection closed
      session->close();
      continue;
    }
    ++state->accepted;
    std::erase_if(state->sessions, [](const std::weak_ptr<Session>& weak) { return weak.expired(); });
    state->sessions.push_back(session);
    asio::co_spawn(io, serve(state, session), asio::detached);
  }
}

}  // namespace

LinkProxy::LinkProxy(asio::io_context& io, std::uint16_t listen_port, std::uint16_t target_port)
    : io_(io), state_(std::make_shared<State>(io, listen_port, target_port)) {
  asio::co_spawn(io_, accept_loop(state_), asio::detached);
}

LinkProxy::~LinkProxy() {
  asio::post(io_, [state = state_] {
    std::error_code ignored;
    state->acceptor.close(ignored);
    state->close_all();
  });
}

const char* to_string(LinkMode mode) {
  switch (mode) {
    case LinkMode::kPass: return "pass";
    case LinkMode::kDrop: return "drop";
    case LinkMode::kHang: return "hang";
    case LinkMode::kSlow: return "slow";
  }
  return "?";
}

void LinkProxy::set_mode(LinkDirection direction, LinkMode mode, std::chrono::milliseconds latency) {
  const bool forward = direction == LinkDirection::kForward;
  // The latency first: a chunk read just after the mode turns slow must not
  // see the previous latency.
  (forward ? state_->forward_latency_ms : state_->backward_latency_ms).store(latency.count());
  (forward ? state_->forward : state_->backward).store(mode);
  if (mode == LinkMode::kDrop) {
    asio::post(io_, [state = state_] { state->close_all(); });
  }
}

LinkMode LinkProxy::mode(LinkDirection direction) const {
  return (direction == LinkDirection::kForward ? state_->forward : state_->backward).load();
}

std::uint16_t LinkProxy::port() const { return state_->acceptor.local_endpoint().port(); }

std::uint64_t LinkProxy::connections_accepted() const { return state_->accepted.load(); }

std::uint64_t LinkProxy::bytes(LinkDirection direction) const {
  return (direction == LinkDirection::kForward ? state_->forward_bytes : state_->backward_bytes).load();
}

std::uint64_t LinkProxy::connections_open() const { return state_->open.load(); }

}  // namespace kahuna::faults
