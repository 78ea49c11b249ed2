#include "test_client.h"

#include <asio/connect.hpp>
#include <asio/write.hpp>

#include <kahuna/wire/codec.h>

namespace kahuna::binary_protocol::testing {
namespace {

// What is left of the time until `deadline` (negative once it passed).
std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
}

}  // namespace

TestClient::TestClient(const std::string& endpoint) : socket_(io_), splitter_(64u << 20) {
  const std::size_t colon = endpoint.rfind(':');
  asio::ip::tcp::resolver resolver(io_);
  std::error_code error;
  const auto endpoints = resolver.resolve(endpoint.substr(0, colon), endpoint.substr(colon + 1), error);
  if (!error) asio::connect(socket_, endpoints, error);
  if (!error) socket_.set_option(asio::ip::tcp::no_delay(true), error);
  if (error) socket_.close(error);
}

bool TestClient::send_raw(std::string_view bytes) {
  std::error_code error;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), error);
  return !error;
}

bool TestClient::send(std::uint64_t request_id, const wire::Request& request) {
  std::string frame;
  if (!wire::encode_request(request_id, request, frame).is_ok()) return false;
  return send_raw(frame);
}

bool TestClient::read_some(std::chrono::milliseconds timeout) {
  if (closed_) return false;
  const std::span<char> space = splitter_.prepare(64 * 1024);
  std::error_code error;
  std::size_t n = 0;
  bool done = false;
  socket_.async_read_some(asio::buffer(space.data(), space.size()), [&](std::error_code e, std::size_t k) {
    error = e;
    n = k;
    done = true;
  });
  io_.restart();
  io_.run_for(timeout);
  if (!done) {
    socket_.cancel();
    io_.restart();
    io_.run();  // lets the cancelled read complete
    splitter_.commit(0);
    return false;
  }
  splitter_.commit(n);
  if (error) {
    closed_ = true;
    return false;
  }
  return true;
}

std::optional<ReceivedReply> TestClient::receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    wire::FrameView frame;
    const wire::SplitState state = splitter_.next(frame);
    if (state == wire::SplitState::kFrame) {
      ReceivedReply reply;
      reply.header = frame.header;
      wire::append_frame_header(reply.frame, frame.header);
      reply.frame.append(frame.body);
      if (!wire::decode_response(frame.header, frame.body, reply.response).is_ok()) return std::nullopt;
      return reply;
    }
    if (state == wire::SplitState::kBroken) return std::nullopt;
    const auto left = time_left(deadline);
    if (left.count() <= 0 || !read_some(left)) return std::nullopt;
  }
}

bool TestClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_) {
    const auto left = time_left(deadline);
    if (left.count() <= 0) return false;
    read_some(left);
    wire::FrameView frame;
    while (splitter_.next(frame) == wire::SplitState::kFrame) {
    }
  }
  return true;
}

}  // namespace kahuna::binary_protocol::testing
