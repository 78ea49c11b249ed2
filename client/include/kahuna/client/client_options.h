// ClientOptions: how a client reaches the cluster and how long it keeps
// trying. Plain values with documented defaults; every one can be left alone.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace kahuna::client {

struct ClientOptions {
  // Seed endpoints ("host:port" of nodes' binary protocol). Any one reachable
  // node is enough: the client learns the others from the cluster status.
  std::vector<std::string> endpoints{"127.0.0.1:7100"};

  // The overall deadline of one call, retries included, unless the call's own
  // options give one. A lock acquire with wait gets its wait on top.
  std::chrono::milliseconds call_deadline{10000};

  // How long one attempt may wait for its reply; the server is asked to answer
  // (must-retry at worst) within it. Capped by what is left of the deadline.
  std::chrono::milliseconds attempt_timeout{3000};

  // How long opening a TCP connection may take.
  std::chrono::milliseconds connect_timeout{1000};

  // Retry delays grow exponentially from initial_backoff up to max_backoff;
  // each delay is drawn at random from its upper half (jitter), so clients
  // that failed together do not retry together.
  std::chrono::milliseconds initial_backoff{5};
  std::chrono::milliseconds max_backoff{500};

  // A node found unreachable is avoided for this long when another can serve.
  std::chrono::milliseconds endpoint_cooldown{1000};

  // The largest reply frame accepted (scans can be large).
  std::size_t max_reply_bytes = 64u << 20;
};

}  // namespace kahuna::client
