// Byte encoding of Message for transports.
//
// Layout (all integers little-endian, fixed width):
//   u8 version (=1), u8 type, u64 from, u64 to, u64 term, u64 log_term, u64 index,
//   u64 commit, u8 reject, u64 reject_hint, bytes context,
//   u32 entry count, per entry: u8 type, u64 term, u64 index, bytes data,
//   u8 has_snapshot, [u64 index, u64 term, ids voters, ids learners, bytes data]
// where bytes = u32 length + raw bytes and ids = u32 count + u64 each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kahuna/raft/message.h"

namespace kahuna::raft {

std::string encode_message(const Message& message);

// Returns nullopt for any input that is not exactly one well-formed encoding: truncated
// data, trailing bytes, unknown version or enum values, or lengths that exceed the input.
// Never reads out of bounds and never allocates more than the input size justifies.
std::optional<Message> decode_message(std::string_view bytes);

}  // namespace kahuna::raft
