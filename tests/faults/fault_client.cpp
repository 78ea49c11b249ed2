#include "fault_client.h"

namespace kahuna::faults {

Answer FaultClient::call(int id, const wire::Request& request, std::chrono::milliseconds timeout) {
  auto& connection = connections_[id];
  if (!connection || !connection->connected() || connection->closed()) {
    connection = std::make_unique<binary_protocol::testing::TestClient>(endpoints_.at(id - 1));
    if (!connection->connected()) {
      connection.reset();
      return {};
    }
  }
  const std::uint64_t request_id = next_id_++;
  // A failed send may still have delivered the frame: count it as sent.
  if (!connection->send(request_id, request)) {
    connection.reset();
    return Answer{true, std::nullopt};
  }
  auto reply = connection->receive(timeout);
  // A late answer would be read as the next request's: start afresh.
  if (!reply || reply->header.request_id != request_id) {
    connection.reset();
    return Answer{true, std::nullopt};
  }
  return Answer{true, std::move(reply->response)};
}

}  // namespace kahuna::faults
