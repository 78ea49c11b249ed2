// HttpPool: the keep-alive connections of one thread, shared by that
// thread's clients. A client takes a free connection for one request and
// gives it back; with none free it queues, first come first served. Runs on
// one single-threaded executor, so it needs no locking.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "http_connection.h"

namespace kahuna::bench {

class HttpPool {
 public:
  // `count` connections; connection i (numbered from `first_id`) dials
  // endpoints[(first_id + i * stride) % endpoints.size()], so the pools of
  // all threads together go round-robin over the endpoints.
  HttpPool(asio::any_io_executor executor, const std::vector<std::string>& endpoints, std::size_t count,
           std::size_t first_id, std::size_t stride);

  // A connection for one request; give it back with release().
  asio::awaitable<HttpConnection*> acquire();
  void release(HttpConnection* connection);

  // Every connection, e.g. to probe each endpoint once.
  const std::vector<std::unique_ptr<HttpConnection>>& connections() const { return connections_; }
  void close();

 private:
  struct Waiter {
    explicit Waiter(asio::any_io_executor executor)
        : wakeup(executor, asio::steady_timer::time_point::max()) {}
    asio::steady_timer wakeup;
    HttpConnection* granted = nullptr;
  };

  asio::any_io_executor executor_;
  std::vector<std::unique_ptr<HttpConnection>> connections_;
  std::deque<HttpConnection*> free_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

// Holds a connection for the scope of one request.
class HttpLease {
 public:
  HttpLease(HttpPool& pool, HttpConnection* connection) : pool_(pool), connection_(connection) {}
  ~HttpLease() { pool_.release(connection_); }
  HttpLease(const HttpLease&) = delete;
  HttpLease& operator=(const HttpLease&) = delete;
  HttpConnection& operator*() const { return *connection_; }
  HttpConnection* operator->() const { return connection_; }

 private:
  HttpPool& pool_;
  HttpConnection* connection_;
};

}  // namespace kahuna::bench
