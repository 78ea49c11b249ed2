// ClusterClient: sends binary-protocol requests to the nodes of a
// LocalCluster, one connection per node, with the retries a real client
// makes: on must-retry answers and on nodes that are down, it tries again
// (the next running node) until a deadline.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

#include "local_cluster.h"
#include "test_client.h"

namespace kahuna::testing {

class ClusterClient {
 public:
  explicit ClusterClient(LocalCluster& cluster) : cluster_(cluster) {}

  // One request to node `id`; nullopt when it is down or does not answer
  // within `timeout`.
  std::optional<wire::Response> call(int id, const wire::Request& request,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Sends `request` to node `first`, then to the other running nodes in
  // turn, until an answer that is not must-retry (or the deadline, which
  // fails the test and returns the last answer).
  wire::Response call_until_served(int first, const wire::Request& request,
                                   std::chrono::milliseconds deadline = std::chrono::seconds(30));

  ClusterStatus status(int id);
  // The node that leads `partition` as node `asked` sees it; 0 if unknown.
  std::uint64_t leader_of(std::uint32_t partition, int asked);
  // Waits until every running node agrees on a leader for every partition.
  void wait_for_leaders(std::chrono::milliseconds deadline = std::chrono::seconds(30));

 private:
  LocalCluster& cluster_;
  std::map<int, std::unique_ptr<binary_protocol::testing::TestClient>> connections_;
  std::uint64_t next_id_ = 1;
};

// True when `response` is a must-retry answer (or a batch with one).
bool must_retry(const wire::Response& response);

// Request builders.
wire::Request kv_set(std::string key, std::string value, Durability d = Durability::kPersistent);
wire::Request kv_get(std::string key, ReadConsistency consistency = ReadConsistency::kLinearizable,
                     Durability d = Durability::kPersistent);
wire::Request try_lock(std::string resource, std::string owner, std::int64_t ms,
                       Durability d = Durability::kPersistent);
wire::Request unlock(std::string resource, std::string owner, Durability d = Durability::kPersistent);
wire::Request sequence_create(std::string name);
wire::Request sequence_next(std::string name);

}  // namespace kahuna::testing
