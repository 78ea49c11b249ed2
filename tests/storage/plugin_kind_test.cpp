// The storage plugins load as storage plugins only, through the same
// loader the server uses.
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace kahuna::storage_tests {
namespace {

class StoragePluginKind : public ::testing::TestWithParam<std::string> {};

TEST_P(StoragePluginKind, LoadsAsStoragePluginNamedAfterItsEngine) {
  LoadedPlugin plugin;
  const Status status = LoadedPlugin::open(plugin_path(GetParam()), PluginKind::kStorage, plugin);
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(plugin.descriptor().kind, PluginKind::kStorage);
  EXPECT_STREQ(plugin.descriptor().name, GetParam().c_str());
  ASSERT_NE(plugin.descriptor().version, nullptr);
  EXPECT_STRNE(plugin.descriptor().version, "");
}

TEST_P(StoragePluginKind, RefusedWhereAProtocolPluginIsExpected) {
  LoadedPlugin plugin;
  const std::filesystem::path file = plugin_path(GetParam());
  const Status status = LoadedPlugin::open(file, PluginKind::kProtocol, plugin);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("is a storage plugin, but a protocol plugin is expected"),
            std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find(file.string()), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(Engines, StoragePluginKind, ::testing::Values("rocksdb", "lmdb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kahuna::storage_tests
