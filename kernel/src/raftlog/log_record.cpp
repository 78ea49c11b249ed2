#include "raftlog/log_record.h"

#include <charconv>
#include <cstdio>

#include "raftlog/crc32c.h"
#include "raftlog/little_endian.h"

namespace kahuna::raftlog {
namespace {

constexpr std::uint8_t kFlagSnapshotReplace = 1;
constexpr std::uint8_t kFlagSnapshotCompact = 2;
constexpr std::uint8_t kFlagHardState = 4;
constexpr std::uint8_t kFlagEntries = 8;
constexpr std::uint32_t kMaxIds = 4096;

// Bounds-checked reads: a payload that passed its CRC can still be a bug's
// output, and must then fail to decode rather than read past its end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  bool read(T& out) {
    if (bytes_.size() - position_ < sizeof(T)) return false;
    out = get_le<T>(bytes_.data() + position_);
    position_ += sizeof(T);
    return true;
  }
  bool skip(std::size_t count) {
    if (bytes_.size() - position_ < count) return false;
    position_ += count;
    return true;
  }
  std::size_t position() const { return position_; }
  bool done() const { return position_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

void put_ids(std::string& out, const std::vector<raft::NodeId>& ids) {
  put_le<std::uint32_t>(out, static_cast<std::uint32_t>(ids.size()));
  for (raft::NodeId id : ids) put_le<std::uint64_t>(out, id);
}

bool read_ids(Reader& reader, std::vector<raft::NodeId>& ids) {
  std::uint32_t count = 0;
  if (!reader.read(count) || count > kMaxIds) return false;
  ids.resize(count);
  for (raft::NodeId& id : ids) {
    if (!reader.read(id)) return false;
  }
  return true;
}

}  // namespace

std::string encode_group_record(std::uint32_t group, SnapshotKind snapshot_kind,
                                const raft::SnapshotMetadata& snapshot,
                                const std::optional<raft::HardState>& hard_state,
                                const std::vector<raft::Entry>& entries,
                                std::vector<EntryPlacement>* placements) {
  std::size_t size = 8 + 1 + 4 + 64 + 24 + 12;
  for (const raft::Entry& entry : entries) size += 13 + entry.data.size();
  std::string out;
  out.reserve(size);
  put_le<std::uint64_t>(out, 0);  // write sequence, stamped by the writer
  std::uint8_t flags = 0;
  if (snapshot_kind == SnapshotKind::kReplace) flags |= kFlagSnapshotReplace;
  if (snapshot_kind == SnapshotKind::kCompact) flags |= kFlagSnapshotCompact;
  if (hard_state) flags |= kFlagHardState;
  if (!entries.empty()) flags |= kFlagEntries;
  out.push_back(static_cast<char>(flags));
  put_le<std::uint32_t>(out, group);
  if (snapshot_kind != SnapshotKind::kNone) {
    put_le<std::uint64_t>(out, snapshot.index);
    put_le<std::uint64_t>(out, snapshot.term);
    put_ids(out, snapshot.conf_state.voters);
    put_ids(out, snapshot.conf_state.learners);
  }
  if (hard_state) {
    put_le<std::uint64_t>(out, hard_state->term);
    put_le<std::uint64_t>(out, hard_state->vote);
    put_le<std::uint64_t>(out, hard_state->commit);
  }
  if (!entries.empty()) {
    put_le<std::uint64_t>(out, entries.front().index);
    put_le<std::uint32_t>(out, static_cast<std::uint32_t>(entries.size()));
    if (placements) placements->reserve(placements->size() + entries.size());
    for (const raft::Entry& entry : entries) {
      put_le<std::uint64_t>(out, entry.term);
      out.push_back(static_cast<char>(entry.type));
      put_le<std::uint32_t>(out, static_cast<std::uint32_t>(entry.data.size()));
      if (placements) {
        placements->push_back(EntryPlacement{entry.index, entry.term, entry.type,
                                             static_cast<std::uint32_t>(out.size()),
                                             static_cast<std::uint32_t>(entry.data.size())});
      }
      out += entry.data;
    }
  }
  return out;
}

void stamp_write_sequence(std::string& payload, std::uint64_t sequence) {
  store_le<std::uint64_t>(payload.data(), sequence);
}

bool decode_group_record(std::string_view payload, GroupRecord& out) {
  Reader reader(payload);
  std::uint8_t flags = 0;
  if (!reader.read(out.write_sequence) || !reader.read(flags) || !reader.read(out.group)) return false;
  if ((flags & ~(kFlagSnapshotReplace | kFlagSnapshotCompact | kFlagHardState | kFlagEntries)) != 0)
    return false;
  if ((flags & kFlagSnapshotReplace) && (flags & kFlagSnapshotCompact)) return false;
  out.snapshot_kind = (flags & kFlagSnapshotReplace)   ? SnapshotKind::kReplace
                      : (flags & kFlagSnapshotCompact) ? SnapshotKind::kCompact
                                                       : SnapshotKind::kNone;
  if (out.snapshot_kind != SnapshotKind::kNone) {
    if (!reader.read(out.snapshot.index) || !reader.read(out.snapshot.term) ||
        !read_ids(reader, out.snapshot.conf_state.voters) ||
        !read_ids(reader, out.snapshot.conf_state.learners)) {
      return false;
    }
  }
  out.hard_state.reset();
  if (flags & kFlagHardState) {
    raft::HardState state;
    if (!reader.read(state.term) || !reader.read(state.vote) || !reader.read(state.commit)) return false;
    out.hard_state = state;
  }
  out.entries.clear();
  if (flags & kFlagEntries) {
    raft::Index first = 0;
    std::uint32_t count = 0;
    if (!reader.read(first) || !reader.read(count) || count == 0 || first == 0) return false;
    out.entries.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      EntryPlacement placement;
      std::uint8_t type = 0;
      if (!reader.read(placement.term) || !reader.read(type) || !reader.read(placement.length)) return false;
      if (type > static_cast<std::uint8_t>(raft::EntryType::kConfChange)) return false;
      placement.index = first + i;
      placement.type = static_cast<raft::EntryType>(type);
      placement.offset = static_cast<std::uint32_t>(reader.position());
      if (!reader.skip(placement.length)) return false;
      out.entries.push_back(placement);
    }
  }
  return reader.done();
}

void append_frame(std::string& out, std::string_view payload) {
  const std::size_t start = out.size();
  std::string length;
  put_le<std::uint32_t>(length, static_cast<std::uint32_t>(payload.size()));
  out += length;
  put_le<std::uint32_t>(out, crc32c(length, payload));
  out += payload;
  out.resize(start + frame_bytes(payload.size()), '\0');
}

std::string segment_header(std::uint64_t segment_id) {
  std::string header(kSegmentMagic);
  put_le<std::uint64_t>(header, segment_id);
  return header;
}

std::string segment_file_name(std::uint64_t segment_id) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.log", static_cast<unsigned long long>(segment_id));
  return name;
}

std::optional<std::uint64_t> parse_segment_file_name(std::string_view name) {
  if (name.size() != 20 || name.substr(16) != ".log") return std::nullopt;
  std::uint64_t id = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + 16, id, 16);
  if (error != std::errc() || end != name.data() + 16) return std::nullopt;
  return id;
}

}  // namespace kahuna::raftlog
