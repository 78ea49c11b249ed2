// Helpers shared by the SDK tests that run against FakeNodes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <kahuna/client/client_options.h>

#include "fake_node.h"

namespace kahuna::client::testing {

// Options for a client of `node`: short timeouts and backoff, so that a test
// that runs a call into its deadline stays quick.
inline ClientOptions options_for(const FakeNode& node,
                                 std::chrono::milliseconds deadline = std::chrono::seconds(2)) {
  ClientOptions options;
  options.endpoints = {node.endpoint()};
  options.call_deadline = deadline;
  options.attempt_timeout = std::chrono::milliseconds(200);
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(10);
  return options;
}

// A script answering every request alike.
inline FakeNode::Script always(Answer answer, std::uint64_t leader = 1) {
  return [answer, leader](const wire::Request& request, std::size_t) {
    return FakeNode::Action::reply(reply_to(request, answer, leader));
  };
}

// A script answering its first `count` requests with `first`, the others
// with success.
inline FakeNode::Script first_then_success(std::size_t count, Answer first) {
  return [count, first](const wire::Request& request, std::size_t nth) {
    return FakeNode::Action::reply(reply_to(request, nth < count ? first : Answer::kSuccess));
  };
}

// "127.0.0.1:port" where nobody listens right now.
inline std::string endpoint_nobody_listens_on() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

}  // namespace kahuna::client::testing
