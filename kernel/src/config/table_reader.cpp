#include "config/table_reader.h"

#include <kahuna/plugin_options.h>

namespace kahuna {

std::string_view describe(toml::node_type type) { return toml_type_name(type); }

std::string position(const std::filesystem::path& file, const toml::source_region& source) {
  std::string text = file.string();
  if (source.begin.line > 0) {
    text += ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
  }
  return text;
}

TableReader::TableReader(const toml::table& table, std::string path, std::filesystem::path file)
    : table_(table), path_(std::move(path)), file_(std::move(file)) {}

std::string TableReader::full_key(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return path_ + "." + std::string(key);
}

Status TableReader::error(std::string_view key, const std::string& reason) const {
  // Point at the key itself ("idd = 2" -> the column of "idd").
  std::string where = position(file_, table_.source());
  if (key.empty()) return Status::invalid_argument(where + ": " + full_key(key) + ": " + reason);
  where = file_.string();
  for (const auto& [name, node] : table_) {
    if (name.str() == key) {
      where = position(file_, name.source().begin.line > 0 ? name.source() : node.source());
      break;
    }
  }
  return Status::invalid_argument(where + ": " + full_key(key) + ": " + reason);
}

Status TableReader::missing(std::string_view key) const {
  return Status::invalid_argument(file_.string() + ": " + full_key(key) + ": missing required key");
}

Status TableReader::wrong_type(std::string_view key, const toml::node& node,
                               std::string_view expected) const {
  return error(key, "expected " + std::string(expected) + ", got " + std::string(describe(node.type())));
}

const toml::node* TableReader::find(std::string_view key) {
  seen_.emplace(key);
  return table_.get(key);
}

Status TableReader::integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max,
                            std::optional<std::int64_t> fallback) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    if (!fallback) return missing(key);
    out = *fallback;
    return Status::ok();
  }
  if (!node->is_integer()) return wrong_type(key, *node, "an integer");
  const std::int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    return error(key, std::to_string(value) + " is out of range: expected " + std::to_string(min) + " to " +
                          std::to_string(max));
  }
  out = value;
  return Status::ok();
}

Status TableReader::string(std::string_view key, std::string& out, std::optional<std::string> fallback) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    if (!fallback) return missing(key);
    out = std::move(*fallback);
    return Status::ok();
  }
  if (!node->is_string()) return wrong_type(key, *node, "a string");
  out = node->as_string()->get();
  return Status::ok();
}

Status TableReader::boolean(std::string_view key, bool& out, std::optional<bool> fallback) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    if (!fallback) return missing(key);
    out = *fallback;
    return Status::ok();
  }
  if (!node->is_boolean()) return wrong_type(key, *node, "a boolean (true or false)");
  out = node->as_boolean()->get();
  return Status::ok();
}

Status TableReader::table(std::string_view key, const toml::table*& out, bool required) {
  out = nullptr;
  const toml::node* node = find(key);
  if (node == nullptr) return required ? missing(key) : Status::ok();
  if (!node->is_table()) return wrong_type(key, *node, "a table");
  out = node->as_table();
  return Status::ok();
}

Status TableReader::array(std::string_view key, const toml::array*& out, bool required) {
  out = nullptr;
  const toml::node* node = find(key);
  if (node == nullptr) return required ? missing(key) : Status::ok();
  if (!node->is_array()) return wrong_type(key, *node, "an array");
  out = node->as_array();
  return Status::ok();
}

Status TableReader::reject_unknown_keys() const {
  for (const auto& [key, node] : table_) {
    if (!seen_.contains(key.str())) return error(key.str(), "unknown key");
  }
  return Status::ok();
}

}  // namespace kahuna
