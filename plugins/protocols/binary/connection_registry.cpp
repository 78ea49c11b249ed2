#include "connection_registry.h"

namespace kahuna::binary_protocol {

bool ConnectionRegistry::try_add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (closed_ || connections_.size() >= max_connections_) return false;
  connections_.emplace(connection.get(), connection);
  return true;
}

void ConnectionRegistry::remove(const Connection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  std::vector<std::shared_ptr<Connection>> alive;
  for (const auto& [pointer, weak] : connections_) {
    if (auto connection = weak.lock()) alive.push_back(std::move(connection));
  }
  return alive;
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace kahuna::binary_protocol
