// PluginOptionReader: reads a plugin's TOML options table key by key,
// checking each value's type and range, and reports the first problem as a
// Status that names the key in full ("storage.rocksdb.block_cache_mb: ...").
//
// Every key the plugin reads is remembered; finish() then refuses any key of
// the table that was never read, so a misspelt option is an error rather
// than a silently ignored line. Header-only, for plugins built outside the
// Kahuna tree as much as for the bundled ones.
//
//   PluginOptionReader reader(context.options, "storage.mine");
//   std::int64_t cache_mb = 64;
//   reader.integer("cache_mb", 0, 65536, cache_mb);
//   if (Status s = reader.finish(); !s) return s;
#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include <kahuna/status.h>

namespace kahuna {

// "a string", "an integer", ... for messages about TOML values.
inline std::string_view toml_type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

class PluginOptionReader {
 public:
  // `table` may be null (no options at all); `prefix` is the table's dotted
  // name, e.g. "storage.rocksdb".
  PluginOptionReader(const toml::table* table, std::string prefix);

  // Each reader leaves `out` unchanged when the key is absent or after an
  // error; errors are kept until finish().
  void integer(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
  void boolean(std::string_view key, bool& out);
  // A string that must be one of `choices`.
  void choice(std::string_view key, std::initializer_list<std::string_view> choices, std::string& out);

  // True when `key` is present in the table (whether or not it was valid).
  bool has(std::string_view key) const;

  // Reports an error that needs more than one key to detect, against `key`.
  void fail(std::string_view key, const std::string& reason);

  // The first error seen, else an unknown key, else ok.
  Status finish() const;

 private:
  const toml::node* find(std::string_view key);
  void fail_type(std::string_view key, const toml::node& node, std::string_view expected);

  const toml::table* table_;
  std::string prefix_;
  std::set<std::string, std::less<>> known_;
  Status first_error_;
};

inline PluginOptionReader::PluginOptionReader(const toml::table* table, std::string prefix)
    : table_(table), prefix_(std::move(prefix)) {}

inline const toml::node* PluginOptionReader::find(std::string_view key) {
  known_.emplace(key);
  if (table_ == nullptr) return nullptr;
  return table_->get(key);
}

inline bool PluginOptionReader::has(std::string_view key) const {
  return table_ != nullptr && table_->get(key) != nullptr;
}

inline void PluginOptionReader::fail(std::string_view key, const std::string& reason) {
  if (!first_error_.is_ok()) return;
  first_error_ = Status::invalid_argument(prefix_ + "." + std::string(key) + ": " + reason);
}

inline void PluginOptionReader::fail_type(std::string_view key, const toml::node& node,
                                          std::string_view expected) {
  fail(key, "expected " + std::string(expected) + ", got " + std::string(toml_type_name(node.type())));
}

inline void PluginOptionReader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                        std::int64_t& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* value = node->as_integer();
  if (value == nullptr) {
    fail_type(key, *node, "an integer");
    return;
  }
  const std::int64_t v = value->get();
  if (v < min || v > max) {
    fail(key, std::to_string(v) + " is out of range; expected an integer from " + std::to_string(min) +
                  " to " + std::to_string(max));
    return;
  }
  out = v;
}

inline void PluginOptionReader::boolean(std::string_view key, bool& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* value = node->as_boolean();
  if (value == nullptr) {
    fail_type(key, *node, "a boolean (true or false)");
    return;
  }
  out = value->get();
}

inline void PluginOptionReader::choice(std::string_view key, std::initializer_list<std::string_view> choices,
                                       std::string& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* value = node->as_string();
  if (value == nullptr) {
    fail_type(key, *node, "a string");
    return;
  }
  const std::string& v = value->get();
  std::string listed;
  for (std::string_view c : choices) {
    if (c == v) {
      out = v;
      return;
    }
    if (!listed.empty()) listed += ", ";
    listed.append(1, '"').append(c).append(1, '"');
  }
  std::string reason;
  reason.append(1, '"').append(v).append("\" is not one of ").append(listed);
  fail(key, reason);
}

inline Status PluginOptionReader::finish() const {
  if (!first_error_.is_ok()) return first_error_;
  if (table_ == nullptr) return Status::ok();
  for (const auto& [key, node] : *table_) {
    (void)node;
    if (known_.find(key.str()) != known_.end()) continue;
    std::string listed;
    for (const std::string& k : known_) {
      if (!listed.empty()) listed += ", ";
      listed += k;
    }
    return Status::invalid_argument(prefix_ + "." + std::string(key.str()) +
                                    ": unknown option; the known options are " + listed);
  }
  return Status::ok();
}

}  // namespace kahuna
