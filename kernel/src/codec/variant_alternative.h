// Decoding into a std::variant whose alternative the input names (an
// opcode, a command type, an index).
#pragma once

#include <cstddef>
#include <utility>
#include <variant>

namespace kahuna::codec {

// Emplaces the first alternative I of `out` with `is_named(I)` and returns
// `read(that alternative)` (a bool: whether it decoded); false when no
// alternative is named.
template <class Variant, class IsNamed, class Read>
bool read_named_alternative(Variant& out, IsNamed is_named, Read read) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    bool found = false;
    bool decoded = false;
    ((!found && is_named(I) ? (found = true, decoded = read(out.template emplace<I>())) : false), ...);
    return decoded;
  }
  (std::make_index_sequence<std::variant_size_v<Variant>>{});
}

}  // namespace kahuna::codec
