#include "http_pool.h"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna::bench {

HttpPool::HttpPool(asio::any_io_executor executor, const std::vector<std::string>& endpoints,
                   std::size_t count, std::size_t first_id, std::size_t stride)
    : executor_(executor) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& endpoint = endpoints[(first_id + i * stride) % endpoints.size()];
    connections_.push_back(std::make_unique<HttpConnection>(executor, endpoint));
    free_.push_back(connections_.back().get());
  }
}

asio::awaitable<HttpConnection*> HttpPool::acquire() {
  if (!free_.empty()) {
    HttpConnection* connection = free_.front();
    free_.pop_front();
    co_return connection;
  }
  auto waiter = std::make_shared<Waiter>(executor_);
  waiters_.push_back(waiter);
  while (waiter->granted == nullptr) {
    std::error_code ignored;
    co_await waiter->wakeup.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return waiter->granted;
}

void HttpPool::release(HttpConnection* connection) {
  // Handed straight to the longest waiter: a connection freed while others
  // wait must not be taken by a newcomer first.
  if (!waiters_.empty()) {
    std::shared_ptr<Waiter> waiter = std::move(waiters_.front());
    waiters_.pop_front();
    waiter->granted = connection;
    waiter->wakeup.cancel();
    return;
  }
  free_.push_back(connection);
}

void HttpPool::close() {
  for (auto& connection : connections_) connection->close();
}

}  // namespace kahuna::bench
