// Rules every public name (key, lock resource, sequence name) obeys.
#pragma once

#include <string_view>

#include "services/placement/placement.h"

namespace kahuna::services {

// Names under "__kahuna:" belong to the server; clients get invalidInput.
constexpr bool is_reserved_name(std::string_view name) noexcept {
  return name.substr(0, kReservedKeyPrefix.size()) == kReservedKeyPrefix;
}

// Empty, or only ASCII white space.
constexpr bool is_blank(std::string_view name) noexcept {
  for (char c : name) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

}  // namespace kahuna::services
