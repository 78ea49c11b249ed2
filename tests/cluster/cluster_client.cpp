#include "cluster_client.h"

#include <thread>

#include <gtest/gtest.h>

namespace kahuna::testing {

std::optional<wire::Response> ClusterClient::call(int id, const wire::Request& request,
                                                  std::chrono::milliseconds timeout) {
  if (!cluster_.running(id)) return std::nullopt;
  auto& connection = connections_[id];
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!connection || !connection->connected() || connection->closed()) {
      connection = std::make_unique<binary_protocol::testing::TestClient>(cluster_.endpoint(id));
      if (!connection->connected()) return std::nullopt;
    }
    const std::uint64_t id_sent = next_id_++;
    if (!connection->send(id_sent, request)) {
      connection.reset();
      continue;
    }
    auto reply = connection->receive(timeout);
    if (!reply) {
      connection.reset();
      return std::nullopt;
    }
    if (reply->header.request_id != id_sent) {
      ADD_FAILURE() << "reply to request " << reply->header.request_id << ", expected " << id_sent;
      connection.reset();
      return std::nullopt;
    }
    return std::move(reply->response);
  }
  return std::nullopt;
}

wire::Response ClusterClient::call_until_served(int first, const wire::Request& request,
                                                std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  int id = first;
  wire::Response last = wire::ErrorReply{};
  for (;;) {
    if (auto response = call(id, request)) {
      if (!must_retry(*response)) return *response;
      last = std::move(*response);
    }
    if (std::chrono::steady_clock::now() >= until) {
      ADD_FAILURE() << "no node served the request in time";
      return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    id = id % cluster_.size() + 1;
  }
}

ClusterStatus ClusterClient::status(int id) {
  wire::Request request;
  request.body = wire::GetClusterStatus{};
  auto response = call(id, request);
  if (!response || !std::holds_alternative<ClusterStatus>(*response)) return {};
  return std::get<ClusterStatus>(*response);
}

std::uint64_t ClusterClient::leader_of(std::uint32_t partition, int asked) {
  const ClusterStatus status = this->status(asked);
  return partition < status.partitions.size() ? status.partitions[partition].leader : 0;
}

void ClusterClient::wait_for_leaders(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    bool agreed = true;
    std::vector<std::uint64_t> leaders;
    for (int id = 1; id <= cluster_.size() && agreed; ++id) {
      if (!cluster_.running(id)) continue;
      const ClusterStatus status = this->status(id);
      if (status.partitions.empty()) agreed = false;
      for (std::size_t p = 0; p < status.partitions.size() && agreed; ++p) {
        const std::uint64_t leader = status.partitions[p].leader;
        if (leader == 0 || !cluster_.running(static_cast<int>(leader))) agreed = false;
        if (leaders.size() <= p) leaders.push_back(leader);
        if (leaders[p] != leader) agreed = false;
      }
    }
    if (agreed) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "the nodes did not agree on leaders in time";
}

bool must_retry(const wire::Response& response) {
  return std::visit(
      [](const auto& reply) -> bool {
        using T = std::decay_t<decltype(reply)>;
        if constexpr (std::is_same_v<T, Routed<LockReply>>) return reply.reply.code == LockCode::kMustRetry;
        if constexpr (std::is_same_v<T, Routed<KvReply>>) return reply.reply.code == KvCode::kMustRetry;
        if constexpr (std::is_same_v<T, Routed<SequenceReply>>) {
          return reply.reply.code == SequenceCode::kMustRetry;
        }
        if constexpr (std::is_same_v<T, KvScanReply>) return reply.code == KvCode::kMustRetry;
        if constexpr (std::is_same_v<T, ClusterChangeReply>) return reply.code == ClusterCode::kMustRetry;
        if constexpr (std::is_same_v<T, Routed<KvScanReply>> || std::is_same_v<T, Routed<KvRangePage>>) {
          return reply.reply.code == KvCode::kMustRetry;
        }
        if constexpr (std::is_same_v<T, std::vector<Routed<KvReply>>>) {
          for (const auto& row : reply) {
            if (row.reply.code == KvCode::kMustRetry) return true;
          }
        }
        return false;
      },
      response);
}

wire::Request kv_set(std::string key, std::string value, Durability d) {
  KvSetRequest set;
  set.key = std::move(key);
  set.value = std::move(value);
  set.durability = d;
  return wire::Request{wire::KvSet{std::move(set)}, {}};
}

wire::Request kv_get(std::string key, ReadConsistency consistency, Durability d) {
  wire::Request request{wire::KvGet{KvGetRequest{KvGetQuery{std::move(key)}, d}}, {}};
  request.settings.consistency = consistency;
  return request;
}

wire::Request try_lock(std::string resource, std::string owner, std::int64_t ms, Durability d) {
  return wire::Request{wire::TryLock{LockRequest{std::move(resource), std::move(owner), ms, d}}, {}};
}

wire::Request unlock(std::string resource, std::string owner, Durability d) {
  return wire::Request{wire::Unlock{LockRequest{std::move(resource), std::move(owner), 0, d}}, {}};
}

wire::Request sequence_create(std::string name) {
  return wire::Request{wire::SequenceCreate{SequenceCreateRequest{std::move(name), 0, 1}}, {}};
}

wire::Request sequence_next(std::string name) {
  return wire::Request{wire::SequenceNext{std::move(name), std::nullopt}, {}};
}

}  // namespace kahuna::testing
