#include "soak_options.h"

#include <cstdlib>

namespace kahuna::faults {

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || value <= 0) return std::nullopt;
  const std::string unit(end);
  if (unit.empty() || unit == "s") return std::chrono::seconds(value);
  if (unit == "m") return std::chrono::seconds(value * 60);
  if (unit == "h") return std::chrono::seconds(value * 3600);
  return std::nullopt;
}

std::string parse_soak_options(int argc, char** argv, SoakOptions& options) {
  bool spares_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--strict" || flag == "--lenient") {
      const Strictness chosen = flag == "--strict" ? Strictness::kStrict : Strictness::kLenient;
      // Both on one line is a mistake, not a choice: refuse it.
      if (options.strictness_given && options.strictness != chosen) return "--strict and --lenient together";
      options.strictness = chosen;
      options.strictness_given = true;
      continue;
    }
    if (flag == "--membership") {
      options.membership = true;
      continue;
    }
    if (i + 1 >= argc) return "missing a value after " + flag;
    const std::string value = argv[++i];
    if (flag == "--seed") {
      char* end = nullptr;
      options.seed = std::strtoull(value.c_str(), &end, 10);
      if (*end != '\0' || value.empty()) return "bad seed: " + value;
      options.seed_given = true;
    } else if (flag == "--duration") {
      const auto duration = parse_duration(value);
      if (!duration) return "bad duration: " + value;
      options.duration = *duration;
      options.duration_text = value;
    } else if (flag == "--epoch") {
      const auto epoch = parse_duration(value);
      if (!epoch || *epoch < std::chrono::seconds(10)) return "bad epoch (at least 10s): " + value;
      options.epoch = *epoch;
    } else if (flag == "--nodes") {
      options.nodes = std::atoi(value.c_str());
      if (options.nodes != 3 && options.nodes != 5) return "nodes must be 3 or 5: " + value;
    } else if (flag == "--engine") {
      if (value != "rocksdb" && value != "lmdb") return "engine must be rocksdb or lmdb: " + value;
      options.engine = value;
    } else if (flag == "--spares") {
      char* end = nullptr;
      const long spares = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || spares < 1 || spares > 4) return "spares must be 1 to 4: " + value;
      options.spares = static_cast<int>(spares);
      spares_given = true;
    } else if (flag == "--report") {
      options.report = value;
    } else {
      return "unknown option " + flag;
    }
  }
  if (spares_given && !options.membership) return "--spares without --membership";
  return {};
}

}  // namespace kahuna::faults
