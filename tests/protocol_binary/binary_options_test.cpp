// The plugin's options: defaults, and every bad value refused with a message
// naming the key.
#include <gtest/gtest.h>

#include "plugin_fixture.h"

namespace kahuna::binary_protocol::testing {
namespace {

class BinaryOptionsTest : public PluginFixture {
 protected:
  // The factory's message for `options` (empty when it accepted them).
  std::string refusal(const toml::table& options) {
    const Status s = create(options);
    server_.reset();
    return s.is_ok() ? std::string() : s.message();
  }
};

toml::table with_listen(toml::table options) {
  options.insert("listen", "127.0.0.1:0");
  return options;
}

TEST_F(BinaryOptionsTest, ListenAloneIsEnough) {
  EXPECT_EQ(refusal(with_listen({})), "");
  EXPECT_EQ(refusal(toml::table{{"listen", "[::1]:7100"}}), "");
  EXPECT_EQ(refusal(toml::table{{"listen", "localhost:7100"}}), "");
}

TEST_F(BinaryOptionsTest, EveryOptionAcceptsItsRange) {
  toml::table options = with_listen({});
  options.insert("advertise", "10.0.0.5:7100");
  options.insert("max_frame_bytes", 64);
  options.insert("max_connections", 1);
  options.insert("max_inflight_per_connection", 1);
  options.insert("idle_timeout_ms", 0);
  options.insert("request_timeout_ms", 1);
  options.insert("io_threads", 1);
  options.insert("shutdown_grace_ms", 0);
  EXPECT_EQ(refusal(options), "");
}

TEST_F(BinaryOptionsTest, MissingOrMalformedListenIsRefused) {
  EXPECT_NE(refusal({}).find("protocol.binary.listen: required"), std::string::npos);
  EXPECT_NE(refusal(toml::table{{"listen", 7100}})
                .find("protocol.binary.listen: expected a string, got an integer"),
            std::string::npos);
  // The address rules themselves are tested with parse_host_port.
  EXPECT_NE(refusal(toml::table{{"listen", "::1:7100"}})
                .find("protocol.binary.listen: '::1:7100' is not an address"),
            std::string::npos);
}

TEST_F(BinaryOptionsTest, BadValuesNameTheirKey) {
  const std::vector<std::pair<std::string, toml::table>> cases = {
      {"protocol.binary.advertise", with_listen(toml::table{{"advertise", 5}})},
      {"protocol.binary.advertise", with_listen(toml::table{{"advertise", ""}})},
      {"protocol.binary.max_frame_bytes", with_listen(toml::table{{"max_frame_bytes", "4MiB"}})},
      {"protocol.binary.max_frame_bytes", with_listen(toml::table{{"max_frame_bytes", 10}})},
      {"protocol.binary.max_connections", with_listen(toml::table{{"max_connections", 0}})},
      {"protocol.binary.max_inflight_per_connection",
       with_listen(toml::table{{"max_inflight_per_connection", -1}})},
      {"protocol.binary.idle_timeout_ms", with_listen(toml::table{{"idle_timeout_ms", true}})},
      {"protocol.binary.request_timeout_ms", with_listen(toml::table{{"request_timeout_ms", 0}})},
      {"protocol.binary.io_threads", with_listen(toml::table{{"io_threads", 0}})},
      {"protocol.binary.shutdown_grace_ms", with_listen(toml::table{{"shutdown_grace_ms", -5}})},
  };
  for (const auto& [key, options] : cases) {
    const std::string message = refusal(options);
    EXPECT_EQ(message.rfind(key + ": ", 0), 0u) << message;
  }
}

TEST_F(BinaryOptionsTest, UnknownKeyIsRefusedByName) {
  const std::string message = refusal(with_listen(toml::table{{"max_conections", 5}}));
  EXPECT_EQ(message.rfind("protocol.binary.max_conections: unknown option", 0), 0u) << message;
  EXPECT_NE(message.find("listen"), std::string::npos) << "the known options are listed: " << message;
}

TEST_F(BinaryOptionsTest, FactoryRefusesAContextWithoutKernel) {
  toml::table options = with_listen({});
  PluginContext context;
  context.options = &options;
  const Status s = plugin_.create(context, server_);
  EXPECT_FALSE(s.is_ok());
}

}  // namespace
}  // namespace kahuna::binary_protocol::testing
