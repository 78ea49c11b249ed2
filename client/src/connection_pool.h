// ConnectionPool: one live connection per node endpoint, opened on first use
// and replaced when it breaks; remembers which endpoints recently refused
// connections so routing can avoid them while another node can serve.
//
// Not thread-safe: used from the client's executor only.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <asio/any_io_executor.hpp>

#include "connection.h"
#include "metrics_counters.h"

namespace kahuna::client::detail {

class ConnectionPool {
 public:
  ConnectionPool(asio::any_io_executor executor, Connection::Options options,
                 std::chrono::milliseconds cooldown, MetricsCounters& metrics);

  // The connection to `endpoint`, opening a new one if there is none or the
  // last one broke.
  std::shared_ptr<Connection> get(const std::string& endpoint);

  // `endpoint` could not be connected to: avoid it for the cooldown.
  void mark_unreachable(const std::string& endpoint);
  bool cooling_down(const std::string& endpoint) const;

  // Closes every connection; later get() calls still work (the client checks
  // its own closed flag first).
  void close_all(const std::string& reason);

 private:
  using Clock = std::chrono::steady_clock;

  asio::any_io_executor executor_;
  Connection::Options options_;
  std::chrono::milliseconds cooldown_;
  MetricsCounters& metrics_;
  std::map<std::string, std::shared_ptr<Connection>> connections_;
  std::map<std::string, Clock::time_point> unreachable_until_;
};

}  // namespace kahuna::client::detail
