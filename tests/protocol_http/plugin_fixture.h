// PluginFixture: loads kahuna-protocol-http.so the way the server does,
// gives it a FakeKernel and its options (the server runs its own io
// threads), and starts it on a free port of 127.0.0.1.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <kahuna/plugin_loader.h>
#include <kahuna/protocol_server.h>

#include "fake_kernel.h"
#include "http_test_client.h"

namespace kahuna::testing {

class HttpPluginHost {
  // Declared first so that it is destroyed last: the library outlives the
  // server object its code made.
  LoadedPlugin plugin_;
  toml::table options_;

 public:
  ~HttpPluginHost() { shut_down(); }

  // Creates the server from TOML options (a table body, e.g. "listen = ...").
  Status create(const std::string& toml_options) {
    if (Status s = LoadedPlugin::open(HTTP_PLUGIN_FILE, PluginKind::kProtocol, plugin_); !s.is_ok()) return s;
    options_ = toml::parse(toml_options);
    PluginContext context;
    context.options = &options_;
    context.kernel = &kernel;
    return plugin_.create(context, server);
  }

  Status start(const std::string& extra_options = "") {
    if (Status s = create("listen = \"127.0.0.1:0\"\n" + extra_options); !s.is_ok()) return s;
    return server->start();
  }

  std::uint16_t port() const {
    const std::string endpoint = server->endpoint();
    return static_cast<std::uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
  }

  // Stops the server and destroys it (which joins its io threads).
  void shut_down() {
    if (server) server->stop();
    server.reset();
  }

  FakeKernel kernel;
  PluginObject<ProtocolServer> server;
};

// A started server with default options and one keep-alive client.
class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(host.start(extra_options()).is_ok());
    client = std::make_unique<HttpTestClient>(host.port());
  }
  void TearDown() override {
    client.reset();
    host.shut_down();
  }
  virtual std::string extra_options() const { return ""; }

  // POSTs and parses; fails the test on a non-200 or non-JSON reply.
  rapidjson::Document call(const std::string& path, const std::string& body) {
    last = client->post(path, body);
    EXPECT_EQ(last.status, 200) << path << " " << body << " -> " << last.body;
    rapidjson::Document document = last.json();
    EXPECT_FALSE(document.HasParseError()) << last.body;
    return document;
  }

  HttpPluginHost host;
  std::unique_ptr<HttpTestClient> client;
  HttpReply last;
};

}  // namespace kahuna::testing
