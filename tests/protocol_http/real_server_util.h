// Helpers for driving real kahuna processes (tests/cluster's LocalCluster)
// over HTTP: connecting once a node's HTTP port opens, waiting for leaders,
// retrying must-retry answers as clients do (HTTP-API.md §3).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "http_test_client.h"
#include "json_expect.h"
#include "local_cluster.h"

namespace kahuna::testing {

// A directory of its own for each test (or suite, when called from
// SetUpTestSuite, where there is no current test).
inline std::filesystem::path http_cluster_dir(const std::string& suite) {
  std::string name = suite;
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info())
    name += std::string("-") + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return std::filesystem::temp_directory_path() / ("kahuna-http-" + std::to_string(::getpid()) + "-" + name);
}

// "http://127.0.0.1:7200" -> 7200.
inline std::uint16_t port_of(const std::string& url) {
  return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

// A client of node `url`. LocalCluster::start() waits for the binary
// protocol's port only, so the HTTP port may open a moment later.
inline std::unique_ptr<HttpTestClient> connect_http(
    const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      return std::make_unique<HttpTestClient>(port_of(url));
    } catch (const std::exception& error) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ADD_FAILURE() << "cannot connect to " << url << ": " << error.what();
        throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

// The leaders' endpoints from GET /v1/cluster/routing, by partition id
// ("" = unknown); empty when the reply is not a routing map.
inline std::vector<std::string> leader_endpoints(HttpTestClient& client) {
  const HttpReply reply = client.get("/v1/cluster/routing");
  const rapidjson::Document routing = reply.json();
  std::vector<std::string> leaders;
  if (reply.status != 200 || routing.HasParseError() || !routing.IsObject() ||
      !routing.HasMember("leaders") || !routing["leaders"].IsArray()) {
    return leaders;
  }
  for (const auto& entry : routing["leaders"].GetArray()) {
    const auto partition = static_cast<std::size_t>(entry["partitionId"].GetUint64());
    if (leaders.size() <= partition) leaders.resize(partition + 1);
    leaders[partition] = entry["endpoint"].GetString();
  }
  return leaders;
}

// Polls the routing map of `client`'s node until it names a leader for
// each of partitions 0..data_partitions and `accept` likes it; returns
// the last map seen (the caller checks it).
template <class Accept>
std::vector<std::string> wait_for_leaders(HttpTestClient& client, std::uint32_t data_partitions,
                                          Accept accept,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::string> leaders;
  for (;;) {
    leaders = leader_endpoints(client);
    bool complete = leaders.size() == data_partitions + 1;
    for (const std::string& leader : leaders) complete = complete && !leader.empty();
    if (complete && accept(leaders)) return leaders;
    if (std::chrono::steady_clock::now() >= deadline) return leaders;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

inline std::vector<std::string> wait_for_leaders(HttpTestClient& client, std::uint32_t data_partitions) {
  return wait_for_leaders(client, data_partitions, [](const std::vector<std::string>&) { return true; });
}

// Leaders known for every partition and spread over every node, as every
// node sees them. The kernel moves each partition to its preferred leader
// (the nodes in turn), so a spread map is a settled one: no transfer is
// about to change it under the test (which matters to anything a leader
// keeps in memory, like a session).
inline std::vector<std::string> wait_for_settled_leaders(LocalCluster& cluster,
                                                         std::uint32_t data_partitions) {
  auto client = connect_http(cluster.http_endpoint(1));
  const auto leaders = wait_for_leaders(*client, data_partitions, [&](const std::vector<std::string>& map) {
    std::set<std::string> distinct(map.begin(), map.end());
    return distinct.size() == static_cast<std::size_t>(cluster.size());
  });
  // Every node must agree before the test relies on their hints.
  for (int id = 2; id <= cluster.size(); ++id) {
    auto other = connect_http(cluster.http_endpoint(id));
    const auto seen = wait_for_leaders(*other, data_partitions,
                                       [&](const std::vector<std::string>& map) { return map == leaders; });
    EXPECT_EQ(seen, leaders) << "node " << id << " sees other leaders";
  }
  return leaders;
}

// POSTs until the answer is not must-retry (`must_retry_code`: 101 for locks
// and key/value, 5 for sequences) or `timeout` passes, backing off between
// attempts as clients do.
inline rapidjson::Document post_retrying(HttpTestClient& client, const std::string& path,
                                         const std::string& body, int must_retry_code = 101,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(20);
  for (;;) {
    const HttpReply reply = client.post(path, body);
    EXPECT_EQ(reply.status, 200) << path << " " << body << " -> " << reply.body;
    rapidjson::Document document = reply.json();
    const bool retry = !document.HasParseError() && document.IsObject() && document.HasMember("type") &&
                       document["type"].IsInt() && document["type"].GetInt() == must_retry_code;
    if (!retry || std::chrono::steady_clock::now() >= deadline) return document;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
  }
}

}  // namespace kahuna::testing
