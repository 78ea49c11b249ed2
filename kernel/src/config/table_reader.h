// TableReader: reads one TOML table of a configuration file, key by key, and
// turns every problem into an error that names the file, the position, the
// full key and the reason:
//   conf/kahuna.toml:7:1: node.id: expected an integer, got a string
// Keys the reader was never asked about are reported by reject_unknown_keys(),
// so a typo is an error instead of a silently ignored setting.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include <kahuna/status.h>

namespace kahuna {

class TableReader {
 public:
  // `path` is the dotted name of the table ("storage"), empty for the root.
  TableReader(const toml::table& table, std::string path, std::filesystem::path file);

  // Integers must be TOML integers within [min, max].
  Status integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max,
                 std::optional<std::int64_t> fallback = std::nullopt);
  Status string(std::string_view key, std::string& out, std::optional<std::string> fallback = std::nullopt);
  Status boolean(std::string_view key, bool& out, std::optional<bool> fallback = std::nullopt);
  // A sub-table; `out` is null when the key is absent and not required.
  Status table(std::string_view key, const toml::table*& out, bool required = false);
  // An array (of any elements); `out` is null when absent and not required.
  Status array(std::string_view key, const toml::array*& out, bool required = false);

  // Marks a key as known without reading it (e.g. a table read elsewhere).
  void accept(std::string_view key) { seen_.emplace(key); }

  // The first key of the table that no call above asked about.
  Status reject_unknown_keys() const;

  // An error about `key` (or the table itself when empty) at its position.
  Status error(std::string_view key, const std::string& reason) const;
  std::string full_key(std::string_view key) const;

  const std::filesystem::path& file() const { return file_; }

 private:
  const toml::node* find(std::string_view key);
  Status missing(std::string_view key) const;
  Status wrong_type(std::string_view key, const toml::node& node, std::string_view expected) const;

  const toml::table& table_;
  std::string path_;
  std::filesystem::path file_;
  std::set<std::string, std::less<>> seen_;
};

// "a string", "an integer", ... for error messages.
std::string_view describe(toml::node_type type);

// "file:line:column" of a node, or just "file" when the position is unknown.
std::string position(const std::filesystem::path& file, const toml::source_region& source);

}  // namespace kahuna
