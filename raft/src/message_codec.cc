#include "kahuna/raft/message_codec.h"

#include "byte_io.h"

namespace kahuna::raft {
namespace {

constexpr std::uint8_t kCodecVersion = 1;
// u8 type + u64 term + u64 index + u32 data length
constexpr std::size_t kMinEncodedEntrySize = 1 + 8 + 8 + 4;

void write_conf_state(detail::ByteWriter& w, const ConfState& conf) {
  w.ids(conf.voters);
  w.ids(conf.learners);
}

bool is_sorted_unique(const std::vector<NodeId>& ids) {
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (ids[i - 1] >= ids[i]) return false;
  }
  return true;
}

}  // namespace

std::string encode_message(const Message& m) {
  detail::ByteWriter w;
  w.u8(kCodecVersion);
  w.u8(static_cast<std::uint8_t>(m.type));
  w.u64(m.from);
  w.u64(m.to);
  w.u64(m.term);
  w.u64(m.log_term);
  w.u64(m.index);
  w.u64(m.commit);
  w.u8(m.reject ? 1 : 0);
  w.u64(m.reject_hint);
  w.bytes(m.context);
  w.u32(static_cast<std::uint32_t>(m.entries.size()));
  for (const Entry& e : m.entries) {
    w.u8(static_cast<std::uint8_t>(e.type));
    w.u64(e.term);
    w.u64(e.index);
    w.bytes(e.data);
  }
  w.u8(m.snapshot ? 1 : 0);
  if (m.snapshot) {
    w.u64(m.snapshot->metadata.index);
    w.u64(m.snapshot->metadata.term);
    write_conf_state(w, m.snapshot->metadata.conf_state);
    w.bytes(m.snapshot->data);
  }
  return w.take();
}

std::optional<Message> decode_message(std::string_view bytes) {
  detail::ByteReader r(bytes);
  if (r.u8() != kCodecVersion) return std::nullopt;
  Message m;
  std::uint8_t type = r.u8();
  if (type < static_cast<std::uint8_t>(MessageType::kVote) ||
      type > static_cast<std::uint8_t>(kLastMessageType)) {
    return std::nullopt;
  }
  m.type = static_cast<MessageType>(type);
  m.from = r.u64();
  m.to = r.u64();
  m.term = r.u64();
  m.log_term = r.u64();
  m.index = r.u64();
  m.commit = r.u64();
  std::uint8_t reject = r.u8();
  if (reject > 1) return std::nullopt;
  m.reject = reject == 1;
  m.reject_hint = r.u64();
  m.context = r.bytes();
  std::uint32_t entry_count = r.count(kMinEncodedEntrySize);
  m.entries.reserve(entry_count);
  for (std::uint32_t i = 0; i < entry_count && r.ok(); ++i) {
    Entry e;
    std::uint8_t entry_type = r.u8();
    if (entry_type > static_cast<std::uint8_t>(EntryType::kConfChange)) return std::nullopt;
    e.type = static_cast<EntryType>(entry_type);
    e.term = r.u64();
    e.index = r.u64();
    e.data = r.bytes();
    m.entries.push_back(std::move(e));
  }
  std::uint8_t has_snapshot = r.u8();
  if (has_snapshot > 1) return std::nullopt;
  if (has_snapshot == 1) {
    Snapshot s;
    s.metadata.index = r.u64();
    s.metadata.term = r.u64();
    s.metadata.conf_state.voters = r.ids();
    s.metadata.conf_state.learners = r.ids();
    s.data = r.bytes();
    if (!is_sorted_unique(s.metadata.conf_state.voters) ||
        !is_sorted_unique(s.metadata.conf_state.learners)) {
      return std::nullopt;
    }
    m.snapshot = std::move(s);
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return m;
}

}  // namespace kahuna::raft
