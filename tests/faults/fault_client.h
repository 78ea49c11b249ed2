// FaultClient: one workload process's connections to the nodes of a
// cluster, for clients running on their own threads while nodes die and
// links break. Unlike the cluster tests' client it never retries on its own
// and never fails the test: it tells the workload whether the request was
// sent, so the workload can record the outcome exactly (not sent: it did not
// happen; sent without an answer: unknown).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

#include "test_client.h"

namespace kahuna::faults {

struct Answer {
  bool sent = false;                       // false: the request never left
  std::optional<wire::Response> response;  // nullopt: no answer in time (or the connection broke)
};

class FaultClient {
 public:
  // `endpoints[i]` is node i+1's binary protocol address.
  explicit FaultClient(std::vector<std::string> endpoints) : endpoints_(std::move(endpoints)) {}

  // One request to node `id` (1-based), answered within `timeout` or not.
  Answer call(int id, const wire::Request& request, std::chrono::milliseconds timeout);

  int nodes() const { return static_cast<int>(endpoints_.size()); }

 private:
  std::vector<std::string> endpoints_;
  std::map<int, std::unique_ptr<binary_protocol::testing::TestClient>> connections_;
  std::uint64_t next_id_ = 1;
};

}  // namespace kahuna::faults
