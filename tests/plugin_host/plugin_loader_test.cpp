#include <kahuna/plugin_loader.h>

#include <dlfcn.h>

#include <fstream>

#include <gtest/gtest.h>

#include <kahuna/storage_engine.h>

namespace kahuna {
namespace {

namespace fs = std::filesystem;

bool library_is_loaded(const char* file) {
  void* handle = ::dlopen(file, RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);
  return true;
}

TEST(PluginLoader, LoadsAPluginAndCreatesItsObjectWithItsOptions) {
  LoadedPlugin plugin;
  const Status status = LoadedPlugin::open(GOOD_PLUGIN, PluginKind::kStorage, plugin);
  ASSERT_TRUE(status) << status.to_string();
  EXPECT_STREQ(plugin.descriptor().name, "test");
  EXPECT_EQ(plugin.file(), fs::path(GOOD_PLUGIN));

  toml::table options{{"greeting", "hi"}};
  PluginObject<StorageEngine> engine;
  ASSERT_TRUE(plugin.create(PluginContext{&options, "/data"}, engine));
  std::string value;
  ASSERT_TRUE(engine->get("greeting", value));
  EXPECT_EQ(value, "hi from /data");
}

TEST(PluginLoader, AnAbsentOptionsTableReachesThePluginAsAnEmptyTable) {
  LoadedPlugin plugin;
  ASSERT_TRUE(LoadedPlugin::open(GOOD_PLUGIN, PluginKind::kStorage, plugin));
  PluginObject<StorageEngine> engine;
  ASSERT_TRUE(plugin.create(PluginContext{nullptr, "/d"}, engine));
  std::string value;
  ASSERT_TRUE(engine->get("greeting", value));
  EXPECT_EQ(value, "hello from /d");
}

TEST(PluginLoader, TheLibraryStaysLoadedUntilTheLastObjectItMadeIsGone) {
  PluginObject<StorageEngine> engine;
  {
    LoadedPlugin plugin;
    ASSERT_TRUE(LoadedPlugin::open(GOOD_PLUGIN, PluginKind::kStorage, plugin));
    ASSERT_TRUE(plugin.create(PluginContext{}, engine));
  }
  // The LoadedPlugin is gone; the object still works, its code still mapped.
  ASSERT_TRUE(library_is_loaded(GOOD_PLUGIN));
  std::string value;
  ASSERT_TRUE(engine->get("live", value));
  EXPECT_EQ(value, "1");

  // Move-assigning over an engine destroys the old one first, while its
  // library is still loaded.
  PluginObject<StorageEngine> other;
  {
    LoadedPlugin plugin;
    ASSERT_TRUE(LoadedPlugin::open(GOOD_PLUGIN, PluginKind::kStorage, plugin));
    ASSERT_TRUE(plugin.create(PluginContext{}, other));
  }
  engine = std::move(other);
  ASSERT_TRUE(engine->get("live", value));
  EXPECT_EQ(value, "1");

  engine.reset();
  EXPECT_FALSE(library_is_loaded(GOOD_PLUGIN));
}

void expect_refused(const Status& status, const std::string& file, const std::string& reason) {
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find(file), std::string::npos)
      << "the error names the file: " << status.message();
  EXPECT_NE(status.message().find(reason), std::string::npos)
      << "\n  expected: " << reason << "\n  got:      " << status.message();
}

TEST(PluginLoader, RefusesAMissingFile) {
  LoadedPlugin plugin;
  const std::string file = std::string(TEST_SCRATCH_DIR) + "/plugins/absent.so";
  const Status status = LoadedPlugin::open(file, PluginKind::kStorage, plugin);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  expect_refused(status, file, "does not exist");
}

TEST(PluginLoader, RefusesAFileThatIsNotASharedLibrary) {
  const std::string file = std::string(TEST_SCRATCH_DIR) + "/plugins/text.so";
  std::ofstream(file) << "this is not an ELF file\n";
  LoadedPlugin plugin;
  expect_refused(LoadedPlugin::open(file, PluginKind::kStorage, plugin), file, "cannot load plugin file");
}

TEST(PluginLoader, RefusesASharedLibraryThatIsNotAKahunaPlugin) {
  LoadedPlugin plugin;
  expect_refused(LoadedPlugin::open(NOT_A_PLUGIN, PluginKind::kStorage, plugin), NOT_A_PLUGIN,
                 "is not a Kahuna plugin: it exports no 'kahuna_plugin_descriptor' symbol");
}

TEST(PluginLoader, RefusesAnAbiVersionMismatchNamingBothVersions) {
  LoadedPlugin plugin;
  const std::string reason = "was built for plugin ABI version " + std::to_string(kPluginAbiVersion + 1) +
                             " but this server uses version " + std::to_string(kPluginAbiVersion);
  expect_refused(LoadedPlugin::open(ABI_MISMATCH_PLUGIN, PluginKind::kStorage, plugin), ABI_MISMATCH_PLUGIN,
                 reason);
}

TEST(PluginLoader, RefusesAPluginOfTheWrongKind) {
  LoadedPlugin plugin;
  expect_refused(LoadedPlugin::open(PROTOCOL_KIND_PLUGIN, PluginKind::kStorage, plugin), PROTOCOL_KIND_PLUGIN,
                 "is a protocol plugin, but a storage plugin is expected here");
  expect_refused(LoadedPlugin::open(GOOD_PLUGIN, PluginKind::kProtocol, plugin), GOOD_PLUGIN,
                 "is a storage plugin, but a protocol plugin is expected here");
}

TEST(PluginLoader, AFactoryErrorComesBackAsAStatusAndNoObject) {
  LoadedPlugin plugin;
  ASSERT_TRUE(LoadedPlugin::open(FAILING_FACTORY_PLUGIN, PluginKind::kStorage, plugin));
  PluginObject<StorageEngine> engine;
  const Status status = plugin.create(PluginContext{}, engine);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "storage.test.greeting: must be polite");
  EXPECT_FALSE(engine);
}

TEST(PluginLoader, AnExceptionLeavingAFactoryComesBackAsAStatusNamingThePlugin) {
  LoadedPlugin plugin;
  ASSERT_TRUE(LoadedPlugin::open(THROWING_FACTORY_PLUGIN, PluginKind::kStorage, plugin));
  PluginObject<StorageEngine> engine;
  const Status status = plugin.create(PluginContext{}, engine);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("creating the throwing plugin"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("the disk is on fire"), std::string::npos) << status.message();
  EXPECT_FALSE(engine);
}

TEST(PluginLoader, PluginFilesAreNamedByKindAndName) {
  EXPECT_EQ(plugin_file_path("/p", PluginKind::kStorage, "rocksdb"),
            fs::path("/p/kahuna-storage-rocksdb.so"));
  EXPECT_EQ(plugin_file_path("/p", PluginKind::kProtocol, "http"), fs::path("/p/kahuna-protocol-http.so"));
  EXPECT_EQ(plugin_file_path("/p", PluginKind::kStorage, "./mine/engine.so"), fs::path("./mine/engine.so"));
}

}  // namespace
}  // namespace kahuna
