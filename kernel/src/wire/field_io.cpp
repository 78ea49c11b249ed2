#include "field_io.h"

namespace kahuna::wire {

void FieldWriter::put(const std::map<std::string, std::string>& map) {
  w_.count(map.size());
  for (const auto& [name, value] : map) {
    w_.bytes(name);
    w_.bytes(value);
  }
}

void FieldReader::get(const char* name, std::map<std::string, std::string>& out) {
  out.clear();
  const std::size_t n = r_.count(name, 2 * kBytesMinSize);
  for (std::size_t i = 0; i < n && r_.ok(); ++i) {
    std::string key;
    std::string value;
    r_.bytes(name, key);
    r_.bytes(name, value);
    if (!r_.ok()) break;
    // Written in the map's order: a repeated name would be silently lost and
    // names out of order would encode differently, so the one encoding of a
    // map is the only one accepted.
    if (!out.empty() && key <= out.rbegin()->first) {
      r_.fail(name, key == out.rbegin()->first ? "name repeated" : "names must be in ascending order");
      break;
    }
    out.emplace_hint(out.end(), std::move(key), std::move(value));
  }
}

}  // namespace kahuna::wire
