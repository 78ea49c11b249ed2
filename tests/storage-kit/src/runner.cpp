// The suite's entry points (see kahuna/testkit/storage_conformance.h).
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_env.h"
#include "crash_workloads.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace {

constexpr const char* kUsage =
    "usage: kahuna-storage-conformance --plugin FILE [--options FILE] [--seed N] [gtest flags]\n"
    "  --plugin FILE   the storage plugin library to test (kahuna-storage-<name>.so)\n"
    "  --options FILE  a TOML file whose top-level table is the plugin's options\n"
    "  --seed N        replay the random choices of an earlier run\n";

void keep_every_test_file() {
  anchors::batch_tests();
  anchors::bounds_tests();
  anchors::concurrency_tests();
  anchors::crash_tests();
  anchors::delete_range_tests();
  anchors::iteration_tests();
  anchors::model_tests();
  anchors::ordering_tests();
  anchors::persistence_tests();
  anchors::scale_tests();
  anchors::snapshot_tests();
  anchors::value_tests();
}

bool is_child(int argc, char** argv) { return argc > 1 && argv[1] == kChildFlag; }

// Takes "--name VALUE" or "--name=VALUE" at argv[i]; advances i past it.
bool take_flag(std::string_view name, int argc, char** argv, int& i, std::string& value) {
  const std::string_view arg = argv[i];
  if (arg == name) {
    if (i + 1 >= argc) return false;
    value = argv[i + 1];
    i += 2;
    return true;
  }
  if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
    value = std::string(arg.substr(name.size() + 1));
    i += 1;
    return true;
  }
  return false;
}

}  // namespace

int run_storage_conformance(const StorageConformanceSettings& given, int argc, char** argv) {
  if (is_child(argc, argv)) return run_crash_child(argc, argv);
  keep_every_test_file();
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    // GoogleTest leaves its help flags in argv, having printed its help.
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "-?" || arg == "/?") return 0;
  }
  if (argc > 1) {
    std::cerr << "unknown argument: " << argv[1] << "\n" << kUsage;
    return 2;
  }
  StorageConformanceSettings settings = given;
  if (settings.plugin.empty()) {
    std::cerr << "no plugin given\n" << kUsage;
    return 2;
  }
  // Every test would fail the same way on a plugin that does not load.
  LoadedPlugin plugin;
  if (Status s = LoadedPlugin::open(settings.plugin, PluginKind::kStorage, plugin); !s.is_ok()) {
    std::cerr << s.to_string() << "\n";
    return 1;
  }
  if (settings.seed == 0) settings.seed = std::random_device()() | 1;
  set_settings(settings);
  std::cout << "Storage conformance of " << settings.plugin.string() << ", seed " << settings.seed
            << " (replay with --seed " << settings.seed << ")" << std::endl;
  return RUN_ALL_TESTS();
}

int storage_conformance_main(int argc, char** argv) {
  if (is_child(argc, argv)) return run_crash_child(argc, argv);
  StorageConformanceSettings settings;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc;) {
    std::string value;
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kUsage;
      rest.push_back(argv[i++]);  // GoogleTest lists its own flags too
    } else if (take_flag("--plugin", argc, argv, i, value)) {
      settings.plugin = value;
    } else if (take_flag("--options", argc, argv, i, value)) {
      try {
        settings.options = toml::parse_file(value);
      } catch (const toml::parse_error& e) {
        std::cerr << "cannot read options file " << value << ": " << e.description() << " at "
                  << e.source().begin << "\n";
        return 2;
      }
    } else if (take_flag("--seed", argc, argv, i, value)) {
      try {
        settings.seed = std::stoull(value);
      } catch (const std::exception&) {
        std::cerr << "--seed needs a number, got " << value << "\n";
        return 2;
      }
    } else if (std::string_view(argv[i]).rfind("--plugin", 0) == 0 ||
               std::string_view(argv[i]).rfind("--options", 0) == 0 ||
               std::string_view(argv[i]).rfind("--seed", 0) == 0) {
      std::cerr << argv[i] << " needs a value\n" << kUsage;
      return 2;
    } else {
      rest.push_back(argv[i++]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  rest.push_back(nullptr);
  return run_storage_conformance(settings, rest_argc, rest.data());
}

}  // namespace kahuna::testkit
