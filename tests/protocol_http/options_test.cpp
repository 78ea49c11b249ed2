// The plugin's options: defaults, and errors that name the key.
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

std::string create_error(const std::string& toml) {
  HttpPluginHost host;
  const Status status = host.create(toml);
  return status.is_ok() ? std::string("ok") : status.message();
}

TEST(HttpOptionsTest, RejectsBadOptionsNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "protocol.http.listen"},
      {"listen = 7200", "protocol.http.listen"},
      {"listen = \"no-port\"", "protocol.http.listen"},
      {"listen = \"127.0.0.1:0\"\nadvertise = 5", "protocol.http.advertise"},
      {"listen = \"127.0.0.1:0\"\nadvertise = \"10.0.0.1:7200\"", "protocol.http.advertise"},
      {"listen = \"127.0.0.1:0\"\nmax_body_bytes = \"big\"", "protocol.http.max_body_bytes"},
      {"listen = \"127.0.0.1:0\"\nmax_body_bytes = 0", "protocol.http.max_body_bytes"},
      {"listen = \"127.0.0.1:0\"\nmax_connections = -1", "protocol.http.max_connections"},
      {"listen = \"127.0.0.1:0\"\nidle_timeout_ms = 0", "protocol.http.idle_timeout_ms"},
      {"listen = \"127.0.0.1:0\"\nio_threads = 0", "protocol.http.io_threads"},
      {"listen = \"127.0.0.1:0\"\nio_threads = 65", "protocol.http.io_threads"},
      {"listen = \"127.0.0.1:0\"\nio_threads = \"2\"", "protocol.http.io_threads"},
      {"listen = \"127.0.0.1:0\"\nauth_tokens = \"xxx\"", "protocol.http.auth_tokens"},
      {"listen = \"127.0.0.1:0\"\nauth_tokens = [1]", "protocol.http.auth_tokens"},
      {"listen = \"127.0.0.1:0\"\nauth_tokens = [\"\"]", "protocol.http.auth_tokens"},
      {"listen = \"127.0.0.1:0\"\nmax_body = 5", "protocol.http.max_body"},
  };
  for (const auto& [toml, key] : cases) {
    const std::string error = create_error(toml);
    EXPECT_NE(error.find(key + ":"), std::string::npos) << toml << " -> " << error;
  }
}

TEST(HttpOptionsTest, AcceptsEveryKnownOption) {
  EXPECT_EQ(
      create_error("listen = \"127.0.0.1:7200\"\nadvertise = \"https://kahuna.example:443/\"\n"
                   "max_body_bytes = 4194304\nmax_connections = 10\nidle_timeout_ms = 1000\nio_threads = 64\n"
                   "auth_tokens = [\"a\", \"b\"]"),
      "ok");
}

TEST(HttpOptionsTest, AdvertiseDefaultsToTheListenAddressAndDropsTrailingSlashes) {
  HttpPluginHost host;
  ASSERT_TRUE(host.create("listen = \"127.0.0.1:7299\"").is_ok());
  EXPECT_EQ(host.server->endpoint(), "http://127.0.0.1:7299");
  HttpPluginHost advertised;
  ASSERT_TRUE(advertised.create("listen = \"0.0.0.0:7299\"\nadvertise = \"http://10.0.0.5:7200/\"").is_ok());
  EXPECT_EQ(advertised.server->endpoint(), "http://10.0.0.5:7200");
}

TEST(HttpOptionsTest, OneIoThreadServesManyConnections) {
  HttpPluginHost host;
  ASSERT_TRUE(host.start("io_threads = 1\n").is_ok());
  HttpTestClient first(host.port());
  HttpTestClient second(host.port());
  EXPECT_EQ(first.get("/health").status, 200);
  EXPECT_EQ(second.get("/health").status, 200);
  EXPECT_EQ(first.post("/v1/kv/try-get", R"({"key":"a"})").status, 200);
}

TEST(HttpOptionsTest, StartNamesAnAddressInUse) {
  HttpPluginHost first;
  ASSERT_TRUE(first.start().is_ok());
  HttpPluginHost second;
  ASSERT_TRUE(second.create("listen = \"127.0.0.1:" + std::to_string(first.port()) + "\"").is_ok());
  const Status status = second.server->start();
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("127.0.0.1:" + std::to_string(first.port())), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace kahuna::testing
