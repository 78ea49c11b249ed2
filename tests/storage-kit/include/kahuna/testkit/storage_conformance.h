// The storage conformance kit: a GoogleTest suite that checks a storage
// plugin against the contract of kahuna/storage_engine.h. It loads the
// plugin through kahuna::LoadedPlugin exactly as the server does and opens
// every engine in a fresh temporary data directory.
//
// The ready-made program is kahuna-storage-conformance:
//
//   kahuna-storage-conformance --plugin ./kahuna-storage-mine.so
//                              [--options mine.toml] [--seed N] [gtest flags]
//
// --options names a TOML file whose top-level table is handed to the plugin
// as its options (what [storage.<name>] holds in a server's file). Tests
// that use randomness print their seed; --seed N replays a run.
//
// A plugin's own test program may link Kahuna::storage_conformance and call
// one of the functions below from main(). Both must come first in main():
// the crash tests start the same program again (/proc/self/exe) with a
// hidden first argument, and these functions serve that child process too.
#pragma once

#include <cstdint>
#include <filesystem>

#include <toml++/toml.h>

namespace kahuna::testkit {

struct StorageConformanceSettings {
  std::filesystem::path plugin;  // the plugin library to test; required
  toml::table options;           // handed to the factory as PluginContext::options
  std::uint64_t seed = 0;        // 0: a fresh random seed
};

// Reads --plugin, --options and --seed from the command line, hands the
// rest to GoogleTest and runs the suite. Returns the process exit code.
int storage_conformance_main(int argc, char** argv);

// Runs the suite with fixed settings; argv holds only GoogleTest flags.
// Returns the process exit code.
int run_storage_conformance(const StorageConformanceSettings& settings, int argc, char** argv);

}  // namespace kahuna::testkit
