#include "connection_pool.h"

namespace kahuna::client::detail {

ConnectionPool::ConnectionPool(asio::any_io_executor executor, Connection::Options options,
                               std::chrono::milliseconds cooldown, MetricsCounters& metrics)
    : executor_(std::move(executor)), options_(options), cooldown_(cooldown), metrics_(metrics) {}

std::shared_ptr<Connection> ConnectionPool::get(const std::string& endpoint) {
  std::shared_ptr<Connection>& slot = connections_[endpoint];
  if (!slot || slot->broken()) {
    slot = std::make_shared<Connection>(executor_, endpoint, options_);
    slot->start();
    ++metrics_.connections_opened;
  }
  return slot;
}

void ConnectionPool::mark_unreachable(const std::string& endpoint) {
  unreachable_until_[endpoint] = Clock::now() + cooldown_;
}

bool ConnectionPool::cooling_down(const std::string& endpoint) const {
  const auto found = unreachable_until_.find(endpoint);
  return found != unreachable_until_.end() && Clock::now() < found->second;
}

void ConnectionPool::close_all(const std::string& reason) {
  auto connections = std::move(connections_);
  connections_.clear();
  for (auto& [endpoint, connection] : connections) {
    if (connection) connection->close(reason);
  }
}

}  // namespace kahuna::client::detail
