// Where Raft's durable state lives in the node's storage engine. Every
// group's keys share one prefix, so one range delete or scan covers a group:
//
//   0x01 | group u32 BE | 'h'                  hard state (term, vote, commit)
//   0x01 | group u32 BE | 's'                  a snapshot received from a leader (metadata and image)
//   0x01 | group u32 BE | 'f'                  a compaction snapshot's metadata; its image is in a
//                                              SnapshotFiles file (at most one of 's' and 'f' exists)
//   0x01 | group u32 BE | 'e' | index u64 BE   log entry
//   0x01 | group u32 BE | 'a'                  applied index of the group's state machine
//
// Big-endian numbers make the engine's byte order the numeric order, so log
// entries iterate by index.
#pragma once

#include <cstdint>
#include <string>

namespace kahuna::raft_keys {

inline constexpr char kRaftPrefix = 0x01;

inline void append_u32_be(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

inline void append_u64_be(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

inline std::uint64_t read_u64_be(const char* in) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

inline std::string group_prefix(std::uint32_t group) {
  std::string key(1, kRaftPrefix);
  append_u32_be(key, group);
  return key;
}

inline std::string hard_state_key(std::uint32_t group) { return group_prefix(group) + 'h'; }
inline std::string snapshot_key(std::uint32_t group) { return group_prefix(group) + 's'; }
inline std::string snapshot_file_key(std::uint32_t group) { return group_prefix(group) + 'f'; }
inline std::string applied_key(std::uint32_t group) { return group_prefix(group) + 'a'; }

inline std::string entry_key(std::uint32_t group, std::uint64_t index) {
  std::string key = group_prefix(group) + 'e';
  append_u64_be(key, index);
  return key;
}

// The exclusive upper bound of every entry key of `group`.
inline std::string entries_end(std::uint32_t group) {
  return group_prefix(group) + static_cast<char>('e' + 1);
}

}  // namespace kahuna::raft_keys
