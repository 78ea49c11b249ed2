#include "plugin_fixture.h"

namespace kahuna::binary_protocol::testing {

void PluginFixture::SetUp() {
  const auto file = plugin_file_path(KAHUNA_BUILD_PLUGIN_DIR, PluginKind::kProtocol, "binary");
  const Status s = LoadedPlugin::open(file, PluginKind::kProtocol, plugin_);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_STREQ(plugin_.descriptor().name, "binary");
}

Status PluginFixture::create(const toml::table& options) {
  PluginContext context;
  context.options = &options;
  context.kernel = &kernel_;
  return plugin_.create(context, server_);
}

void PluginFixture::start(toml::table options) {
  if (!options.contains("listen")) options.insert("listen", "127.0.0.1:0");
  Status s = create(options);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  s = server_->start();
  ASSERT_TRUE(s.is_ok()) << s.to_string();
}

void PluginFixture::shut_down() {
  kernel_.release();
  if (server_) server_->stop();
  server_.reset();  // waits for the server's own io threads
}

}  // namespace kahuna::binary_protocol::testing
