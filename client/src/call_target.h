// CallTarget: what a request is about, which decides the partition (and so
// the node) it goes to.
#pragma once

#include <string>

namespace kahuna::client::detail {

struct CallTarget {
  enum class Kind {
    kAnyNode,   // no single owner (scan-all-by-prefix, cluster status): any node serves it
    kKey,       // a key/value key or a lock's resource: placed by its key space
    kKeySpace,  // a whole key space (get-by-bucket, get-by-range)
    kSequence,  // a sequence name: placed by its storage key
    kNode,      // one node, whose endpoint is `name` (a node joining or leaving the cluster)
  };
  Kind kind = Kind::kAnyNode;
  std::string name{};

  // Whether the partition map decides where it goes.
  bool placed() const noexcept { return kind != Kind::kAnyNode && kind != Kind::kNode; }

  static CallTarget any_node() { return {}; }
  static CallTarget key(std::string key) { return {Kind::kKey, std::move(key)}; }
  static CallTarget key_space(std::string key_space) { return {Kind::kKeySpace, std::move(key_space)}; }
  static CallTarget sequence(std::string name) { return {Kind::kSequence, std::move(name)}; }
  static CallTarget node(std::string endpoint) { return {Kind::kNode, std::move(endpoint)}; }
};

}  // namespace kahuna::client::detail
