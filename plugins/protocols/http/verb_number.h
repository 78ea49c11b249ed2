// The HTTP codecs' verbs are the operations' opcodes: a handler made from
// the operation table (operation_handler.h) turns Call::kOpcode into its
// family's verb with a cast, and no list maps one onto the other.
#pragma once

#include <cstdint>

#include <kahuna/wire/opcode.h>

namespace kahuna::http {

constexpr std::uint16_t verb_number(wire::Opcode opcode) { return static_cast<std::uint16_t>(opcode); }

}  // namespace kahuna::http
