// TestClient: a blocking binary protocol client for tests, with a timeout on
// every read so that a server bug fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <kahuna/wire/frame_splitter.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::binary_protocol::testing {

struct ReceivedReply {
  wire::FrameHeader header;
  wire::Response response;
  std::string frame;  // the whole frame as received
};

class TestClient {
 public:
  // Connects to "host:port"; connected() tells whether it worked.
  explicit TestClient(const std::string& endpoint);

  bool connected() const { return socket_.is_open(); }

  // False when the server has closed the connection.
  bool send_raw(std::string_view bytes);
  bool send(std::uint64_t request_id, const wire::Request& request);

  // The next reply frame; nullopt when the connection closed, the reply did
  // not decode, or nothing came within `timeout` (see closed()).
  std::optional<ReceivedReply> receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Reads (discarding frames) until the server closes the connection; false
  // when it is still open after `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // True once a read has seen the end of the stream or a reset.
  bool closed() const { return closed_; }

 private:
  // Reads once into the splitter; false on close or timeout.
  bool read_some(std::chrono::milliseconds timeout);

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  wire::FrameSplitter splitter_;
  bool closed_ = false;
};

}  // namespace kahuna::binary_protocol::testing
