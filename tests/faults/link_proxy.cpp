#include "link_proxy.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
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

struct Session {
  explicit Session(asio::io_context& io) : dialer(io), target(io) {}
  void close() {
    closed = true;
    std::error_code ignored;
    dialer.close(ignored);
    target.close(ignored);
  }
  tcp::socket dialer;  // the connection the dialling node opened to us
  tcp::socket target;  // our connection to the proxied port
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
  bool dropping() const {
    return forward.load() == LinkMode::kDrop || backward.load() == LinkMode::kDrop;
  }
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

// Copies `from` to `to` while the direction's mode allows; closes the session
// when either side ends or the link is dropped.
asio::awaitable<void> pump(std::shared_ptr<State> state, std::shared_ptr<Session> session, bool forward) {
  tcp::socket& from = forward ? session->dialer : session->target;
  tcp::socket& to = forward ? session->target : session->dialer;
  const std::atomic<LinkMode>& mode = forward ? state->forward : state->backward;
  asio::steady_timer pause(from.get_executor());
  std::array<char, 16384> buffer;
  for (;;) {
    std::error_code error;
    const std::size_t n = co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error || session->closed) break;
    // Hanging: hold the bytes (and read nothing more) until the mode changes.
    while (mode.load() == LinkMode::kHang && !session->closed) {
      pause.expires_after(std::chrono::milliseconds(10));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
    }
    if (session->closed || mode.load() == LinkMode::kDrop) break;
    co_await asio::async_write(to, asio::buffer(buffer.data(), n), asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    (forward ? state->forward_bytes : state->backward_bytes) += n;
  }
  session->close();
}

asio::awaitable<void> serve(std::shared_ptr<State> state, std::shared_ptr<Session> session) {
  std::error_code error;
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), state->target_port);
  error = open_cloexec(session->target);
  if (!error) co_await session->target.async_connect(target, asio::redirect_error(asio::use_awaitable, error));
  if (error || session->closed || state->dropping()) {
    session->close();
    co_return;
  }
  auto executor = session->dialer.get_executor();
  ++state->open;
  asio::co_spawn(executor, pump(state, session, true), asio::detached);
  co_await pump(state, session, false);
  // Both pumps close the session when they end; the other one ends too.
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

void LinkProxy::set_mode(LinkDirection direction, LinkMode mode) {
  (direction == LinkDirection::kForward ? state_->forward : state_->backward).store(mode);
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
