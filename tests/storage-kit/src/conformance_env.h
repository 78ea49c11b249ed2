// The suite's shared state and the ways tests reach the plugin: the
// settings it runs with, the plugin loaded once per process, temporary data
// directories, and per-test random seeds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <kahuna/plugin_loader.h>
#include <kahuna/storage_engine.h>
#include <kahuna/testkit/storage_conformance.h>

#include "temp_dir.h"

namespace kahuna::testkit {

// The settings of this run; set once before any test runs.
const StorageConformanceSettings& settings();
void set_settings(const StorageConformanceSettings& settings);

// Opens an engine of the plugin under test in `data_dir` (which exists),
// with the run's options, exactly as the server would.
Status open_engine(const std::filesystem::path& data_dir, PluginObject<StorageEngine>& out);

// Opens an engine from `plugin` with `options`: for child processes, which
// have no settings().
Status open_engine(const std::filesystem::path& plugin, const toml::table& options,
                   const std::filesystem::path& data_dir, PluginObject<StorageEngine>& out);

// A seed for the running test, derived from the run's seed and the test's
// name, so each test's randomness is reproducible on its own.
std::uint64_t test_seed();

}  // namespace kahuna::testkit
