#include "conformance_env.h"

#include <map>
#include <mutex>

#include <gtest/gtest.h>

namespace kahuna::testkit {
namespace {

StorageConformanceSettings& mutable_settings() {
  static StorageConformanceSettings value;
  return value;
}

// Plugins stay loaded for the whole run, like in the server, so every
// engine of a test comes from the same library instance.
Status load_plugin(const std::filesystem::path& file, LoadedPlugin& out) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, LoadedPlugin> loaded;
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(file); it != loaded.end()) {
    out = it->second;
    return Status::ok();
  }
  LoadedPlugin plugin;
  if (Status s = LoadedPlugin::open(file, PluginKind::kStorage, plugin); !s.is_ok()) return s;
  loaded.emplace(file, plugin);
  out = plugin;
  return Status::ok();
}

std::uint64_t mix(std::uint64_t x) {
  // splitmix64's finalizer: spreads every input bit over the output.
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

const StorageConformanceSettings& settings() { return mutable_settings(); }

void set_settings(const StorageConformanceSettings& value) { mutable_settings() = value; }

Status open_engine(const std::filesystem::path& plugin, const toml::table& options,
                   const std::filesystem::path& data_dir, PluginObject<StorageEngine>& out) {
  LoadedPlugin loaded;
  if (Status s = load_plugin(plugin, loaded); !s.is_ok()) return s;
  PluginContext context;
  context.options = &options;
  context.data_dir = data_dir.string();
  return loaded.create<StorageEngine>(context, out);
}

Status open_engine(const std::filesystem::path& data_dir, PluginObject<StorageEngine>& out) {
  return open_engine(settings().plugin, settings().options, data_dir, out);
}

std::uint64_t test_seed() {
  std::uint64_t seed = mix(settings().seed);
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    for (const char* name : {info->test_suite_name(), info->name()}) {
      for (const char* c = name; *c != '\0'; ++c) seed = mix(seed ^ static_cast<unsigned char>(*c));
    }
  }
  return seed;
}

}  // namespace kahuna::testkit
