// SingleNodeTest: one kahuna server for a whole test suite, and a blocking
// Client connected to it.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include <kahuna/client/client.h>

#include "server_cluster.h"

namespace kahuna::client::testing {

class SingleNodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_suite();
    server_ = std::make_unique<ServerCluster>(info->name(), ServerCluster::Options{});
    ASSERT_TRUE(server_->wait_ready(std::chrono::seconds(30))) << server_->log(1);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(server_) << "the server did not start";
    client_ = std::make_unique<Client>(options());
  }
  void TearDown() override { client_.reset(); }

  static ClientOptions options() {
    ClientOptions options;
    options.endpoints = server_->endpoints();
    return options;
  }

  Client& client() { return *client_; }

  static inline std::unique_ptr<ServerCluster> server_;
  std::unique_ptr<Client> client_;
};

}  // namespace kahuna::client::testing
