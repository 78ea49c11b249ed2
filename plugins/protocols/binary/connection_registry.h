// ConnectionRegistry: the open connections of one server, so that
// max_connections can be enforced and stop() can close them all.
//
// Shared (by shared_ptr) between the server and its connections: a
// connection may outlive the server object when the host destroys it while
// handlers are still queued, and must still be able to deregister.
// Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace kahuna::binary_protocol {

class Connection;

class ConnectionRegistry {
 public:
  explicit ConnectionRegistry(std::size_t max_connections) : max_connections_(max_connections) {}

  // Registers `connection`; false when the registry is full or closed.
  bool try_add(const std::shared_ptr<Connection>& connection);

  // Forgets `connection` (no-op when unknown).
  void remove(const Connection* connection);

  // Refuses every later try_add and returns the connections still alive.
  std::vector<std::shared_ptr<Connection>> close();

  std::size_t size() const;

 private:
  const std::size_t max_connections_;
  mutable std::mutex mutex_;
  bool closed_ = false;
  // Weak: the registry must not keep a connection alive.
  std::map<const Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace kahuna::binary_protocol
