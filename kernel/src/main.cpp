// kahuna: the server binary.
//
//   kahuna [--config FILE] [--check-config]
//
// Exit codes: 0 after a clean shutdown (or a valid --check-config), 1 when the
// node fails at run time, 2 for a bad command line or configuration.
#include <filesystem>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "config/config_loader.h"
#include "server/server.h"

namespace {

constexpr int kExitRuntimeFailure = 1;
constexpr int kExitBadConfiguration = 2;

// Plugins live in <prefix>/lib/kahuna/plugins next to <prefix>/bin/kahuna,
// both in the build tree and in an installed tree.
std::filesystem::path default_plugin_dir() {
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::filesystem::path(KAHUNA_PLUGIN_SUBDIR);
  return (executable.parent_path().parent_path() / KAHUNA_PLUGIN_SUBDIR).lexically_normal();
}

void set_up_logging(spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_color_mt("kahuna");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kahuna: distributed locks, key/value store and sequencer"};
  app.set_version_flag("--version", std::string("kahuna ") + KAHUNA_VERSION);
  std::filesystem::path config_file = "conf/kahuna.toml";
  bool check_only = false;
  app.add_option("-c,--config", config_file, "TOML configuration file")->capture_default_str();
  app.add_flag("--check-config", check_only, "validate the configuration file and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitBadConfiguration;  // --help and --version exit 0
  }

  kahuna::Config config;
  if (kahuna::Status s = kahuna::load_config(config_file, default_plugin_dir(), config); !s) {
    std::cerr << "kahuna: configuration error: " << s.message() << "\n";
    return kExitBadConfiguration;
  }
  if (check_only) {
    std::cout << config_file.string() << ": configuration is valid\n";
    return 0;
  }

  set_up_logging(config.log_level);
  kahuna::Server server(std::move(config));
  if (kahuna::Status s = server.run(); !s) {
    spdlog::critical("{}", s.message());
    return s.code() == kahuna::StatusCode::kInvalidArgument ? kExitBadConfiguration : kExitRuntimeFailure;
  }
  return 0;
}
