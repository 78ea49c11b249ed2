// PluginFixture: loads the built binary protocol plugin the way the server
// does and runs it against a FakeKernel. The server runs its own io threads;
// the fake kernel runs in the test process, as the real one runs in the server.
#pragma once

#include <gtest/gtest.h>
#include <toml++/toml.h>
#include <asio/io_context.hpp>

#include <kahuna/plugin_loader.h>
#include <kahuna/protocol_server.h>

#include "fake_kernel.h"

namespace kahuna::binary_protocol::testing {

class PluginFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override { shut_down(); }

  // Calls the plugin's factory with `options`.
  Status create(const toml::table& options);
  // Creates (listen defaults to 127.0.0.1:0), starts and runs the server.
  void start(toml::table options = {});
  // stop(), then destroys the server (which drains its io threads).
  void shut_down();
  std::string endpoint() const { return server_->endpoint(); }

  // Destroyed bottom-up: the server before the kernel it calls, the library last.
  LoadedPlugin plugin_;
  FakeKernel kernel_;
  asio::io_context io_;
  PluginObject<ProtocolServer> server_;
};

}  // namespace kahuna::binary_protocol::testing
