// LinkProxy: a TCP proxy in front of one node's peer port, carrying the
// connections one other node dials to it, with a fault mode per direction:
//   pass — bytes flow;
//   drop — every connection is closed at once and new ones are closed on
//          accept (a TCP link cannot lose one direction only, so dropping
//          either direction drops the link);
//   hang — connections stay open but the bytes of that direction stop
//          (buffered, and delivered late once the direction passes again);
//   slow — every chunk of that direction is delivered `latency` after the
//          proxy read it, in order (a chunk read after the mode went back to
//          pass still waits behind the delayed ones).
// Runs on the caller's io_context; set_mode() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <asio/io_context.hpp>

namespace kahuna::faults {

enum class LinkMode { kPass, kDrop, kHang, kSlow };

const char* to_string(LinkMode mode);

// kForward: from the dialling side to the proxied port; kBackward: the answers.
enum class LinkDirection { kForward, kBackward };

class LinkProxy {
 public:
  // Listens on 127.0.0.1:listen_port (0: any free port) and forwards each
  // accepted connection to 127.0.0.1:target_port.
  LinkProxy(asio::io_context& io, std::uint16_t listen_port, std::uint16_t target_port);
  ~LinkProxy();  // stops accepting and closes every connection
  LinkProxy(const LinkProxy&) = delete;
  LinkProxy& operator=(const LinkProxy&) = delete;

  // `latency` is the delay of kSlow; other modes ignore it.
  void set_mode(LinkDirection direction, LinkMode mode,
                std::chrono::milliseconds latency = std::chrono::milliseconds(0));
  LinkMode mode(LinkDirection direction) const;
  std::uint16_t port() const;
  // Connections accepted and forwarded so far (for tests of the proxy).
  std::uint64_t connections_accepted() const;
  // Bytes forwarded so far in `direction`, and connections open now.
  std::uint64_t bytes(LinkDirection direction) const;
  std::uint64_t connections_open() const;

  struct State;

 private:
  asio::io_context& io_;
  std::shared_ptr<State> state_;
};

}  // namespace kahuna::faults
