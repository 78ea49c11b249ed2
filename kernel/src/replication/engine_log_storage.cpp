#include "replication/engine_log_storage.h"

#include <algorithm>

#include "replication/raft_keys.h"

namespace kahuna {
namespace {

using raft_keys::append_u32_be;
using raft_keys::append_u64_be;
using raft_keys::read_u64_be;

// A bounds-checked reader over stored bytes: a damaged value must become a
// kCorruption status, never a read past the end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool u64(std::uint64_t& out) {
    if (bytes_.size() < 8) return false;
    out = read_u64_be(bytes_.data());
    bytes_.remove_prefix(8);
    return true;
  }
  bool u32(std::uint32_t& out) {
    if (bytes_.size() < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) out = (out << 8) | static_cast<unsigned char>(bytes_[i]);
    bytes_.remove_prefix(4);
    return true;
  }
  bool u8(std::uint8_t& out) {
    if (bytes_.empty()) return false;
    out = static_cast<std::uint8_t>(bytes_[0]);
    bytes_.remove_prefix(1);
    return true;
  }
  std::string_view rest() const { return bytes_; }

 private:
  std::string_view bytes_;
};

bool read_ids(Reader& reader, std::vector<raft::NodeId>& ids) {
  std::uint32_t count = 0;
  if (!reader.u32(count) || count > 4096) return false;
  ids.resize(count);
  for (auto& id : ids) {
    if (!reader.u64(id)) return false;
  }
  return true;
}

void write_ids(std::string& out, const std::vector<raft::NodeId>& ids) {
  append_u32_be(out, static_cast<std::uint32_t>(ids.size()));
  for (raft::NodeId id : ids) append_u64_be(out, id);
}

}  // namespace

std::string encode_entry(const raft::Entry& entry) {
  std::string out;
  out.reserve(9 + entry.data.size());
  append_u64_be(out, entry.term);
  out.push_back(static_cast<char>(entry.type));
  out += entry.data;
  return out;
}

bool decode_entry(std::string_view bytes, raft::Index index, raft::Entry& entry) {
  Reader reader(bytes);
  std::uint8_t type = 0;
  if (!reader.u64(entry.term) || !reader.u8(type)) return false;
  if (type > static_cast<std::uint8_t>(raft::EntryType::kConfChange)) return false;
  entry.type = static_cast<raft::EntryType>(type);
  entry.index = index;
  entry.data = std::string(reader.rest());
  return true;
}

std::string encode_hard_state(const raft::HardState& state) {
  std::string out;
  append_u64_be(out, state.term);
  append_u64_be(out, state.vote);
  append_u64_be(out, state.commit);
  return out;
}

bool decode_hard_state(std::string_view bytes, raft::HardState& state) {
  Reader reader(bytes);
  return reader.u64(state.term) && reader.u64(state.vote) && reader.u64(state.commit) &&
         reader.rest().empty();
}

std::string encode_snapshot(const raft::Snapshot& snapshot) {
  std::string out;
  append_u64_be(out, snapshot.metadata.index);
  append_u64_be(out, snapshot.metadata.term);
  write_ids(out, snapshot.metadata.conf_state.voters);
  write_ids(out, snapshot.metadata.conf_state.learners);
  out += snapshot.data;
  return out;
}

bool decode_snapshot(std::string_view bytes, raft::Snapshot& snapshot) {
  Reader reader(bytes);
  if (!reader.u64(snapshot.metadata.index) || !reader.u64(snapshot.metadata.term) ||
      !read_ids(reader, snapshot.metadata.conf_state.voters) ||
      !read_ids(reader, snapshot.metadata.conf_state.learners)) {
    return false;
  }
  snapshot.data = std::string(reader.rest());
  return true;
}

Status EngineLogStorage::open(StorageEngine& engine, std::uint32_t group, const raft::ConfState& initial,
                              const SnapshotFiles& files, std::unique_ptr<EngineLogStorage>& out) {
  std::unique_ptr<EngineLogStorage> storage(new EngineLogStorage(group));
  const std::string where = "raft group " + std::to_string(group) + ": ";
  std::unique_ptr<Snapshot> view;
  if (Status s = engine.snapshot(view); !s) return s;

  std::string value;
  Status status = engine.get(raft_keys::hard_state_key(group), value, view.get());
  if (status) {
    if (!decode_hard_state(value, storage->hard_state_))
      return Status::corruption(where + "damaged hard state");
  } else if (status.code() != StatusCode::kNotFound) {
    return status;
  }

  status = engine.get(raft_keys::snapshot_key(group), value, view.get());
  const bool received = status.is_ok();
  if (received) {
    if (!decode_snapshot(value, storage->snapshot_)) return Status::corruption(where + "damaged snapshot");
  } else if (status.code() != StatusCode::kNotFound) {
    return status;
  }
  status = engine.get(raft_keys::snapshot_file_key(group), value, view.get());
  if (status) {
    raft::Snapshot compacted;
    if (!decode_snapshot(value, compacted) || !compacted.data.empty()) {
      return Status::corruption(where + "damaged snapshot record");
    }
    // Both are never stored at once (each write removes the other); if
    // they were, the later one would be the snapshot.
    if (!received || compacted.metadata.index > storage->snapshot_.metadata.index) {
      if (Status s = files.read(group, compacted.metadata.index, compacted.data); !s) {
        return Status(s.code(), where + s.message());
      }
      storage->snapshot_ = std::move(compacted);
      storage->snapshot_file_index_ = storage->snapshot_.metadata.index;
    }
  } else if (status.code() != StatusCode::kNotFound) {
    return status;
  } else if (!received) {
    storage->snapshot_.metadata.conf_state = initial;
  }

  IteratorOptions options;
  options.lower_bound = raft_keys::entry_key(group, storage->snapshot_.metadata.index + 1);
  options.upper_bound = raft_keys::entries_end(group);
  options.snapshot = view.get();
  auto iterator = engine.iterator(options);
  raft::Index expected = storage->snapshot_.metadata.index + 1;
  for (iterator->seek_to_first(); iterator->valid(); iterator->next()) {
    const std::string_view key = iterator->key();
    const raft::Index index = read_u64_be(key.data() + key.size() - 8);
    // Entries are contiguous: a hole means lost writes, not something to
    // paper over.
    if (index != expected) {
      return Status::corruption(where + "log entry " + std::to_string(expected) + " is missing (found " +
                                std::to_string(index) + ")");
    }
    raft::Entry entry;
    if (!decode_entry(iterator->value(), index, entry)) {
      return Status::corruption(where + "damaged log entry " + std::to_string(index));
    }
    storage->entries_.push_back(std::move(entry));
    ++expected;
  }
  if (Status s = iterator->status(); !s) return s;
  iterator.reset();
  out = std::move(storage);
  return Status::ok();
}

std::optional<raft::Term> EngineLogStorage::term(raft::Index index) const {
  const raft::Index snapshot_index = snapshot_.metadata.index;
  if (index == snapshot_index) return snapshot_.metadata.term;
  if (index < snapshot_index || index > last_index()) return std::nullopt;
  return entries_[index - snapshot_index - 1].term;
}

std::vector<raft::Entry> EngineLogStorage::entries(raft::Index lo, raft::Index hi,
                                                   std::size_t max_bytes) const {
  std::vector<raft::Entry> result;
  std::size_t bytes = 0;
  for (raft::Index index = lo; index < hi; ++index) {
    const raft::Entry& entry = entries_[index - snapshot_.metadata.index - 1];
    bytes += raft::entry_size(entry);
    if (!result.empty() && bytes > max_bytes) break;
    result.push_back(entry);
  }
  return result;
}

void EngineLogStorage::stage(const raft::Ready& ready, WriteBatch& batch) const {
  if (ready.snapshot) {
    // A snapshot from the leader replaces the whole log.
    batch.remove_range(raft_keys::entry_key(group_, 0), raft_keys::entries_end(group_));
    batch.put(raft_keys::snapshot_key(group_), encode_snapshot(*ready.snapshot));
    batch.remove(raft_keys::snapshot_file_key(group_));
  }
  if (!ready.entries.empty()) {
    // New entries overwrite any existing entries at or after their start
    // (a new leader's log wins); drop the stale tail beyond them.
    const raft::Index last_new = ready.entries.back().index;
    if (last_index() > last_new) {
      batch.remove_range(raft_keys::entry_key(group_, last_new + 1), raft_keys::entries_end(group_));
    }
    for (const raft::Entry& entry : ready.entries) {
      batch.put(raft_keys::entry_key(group_, entry.index), encode_entry(entry));
    }
  }
  if (ready.hard_state) batch.put(raft_keys::hard_state_key(group_), encode_hard_state(*ready.hard_state));
}

void EngineLogStorage::persisted(const raft::Ready& ready) {
  if (ready.snapshot) install(*ready.snapshot);
  if (!ready.entries.empty()) append(ready.entries);
  if (ready.hard_state) hard_state_ = *ready.hard_state;
}

void EngineLogStorage::install(const raft::Snapshot& snapshot) {
  snapshot_ = snapshot;
  snapshot_file_index_ = 0;
  entries_.clear();
}

void EngineLogStorage::append(const std::vector<raft::Entry>& entries) {
  const raft::Index first_new = entries.front().index;
  const raft::Index snapshot_index = snapshot_.metadata.index;
  // Keep what precedes the new entries, drop the conflicting tail.
  const std::size_t keep = first_new > snapshot_index ? first_new - snapshot_index - 1 : 0;
  if (entries_.size() > keep) entries_.resize(keep);
  for (const raft::Entry& entry : entries) {
    if (entry.index <= snapshot_index) continue;  // already covered by the snapshot
    entries_.push_back(entry);
  }
}

void EngineLogStorage::stage_compaction(const raft::Snapshot& snapshot, WriteBatch& batch) const {
  raft::Snapshot record;
  record.metadata = snapshot.metadata;  // the image is in the file
  batch.put(raft_keys::snapshot_file_key(group_), encode_snapshot(record));
  batch.remove(raft_keys::snapshot_key(group_));
  batch.remove_range(raft_keys::entry_key(group_, 0),
                     raft_keys::entry_key(group_, snapshot.metadata.index + 1));
}

void EngineLogStorage::compacted(const raft::Snapshot& snapshot) {
  const raft::Index old_index = snapshot_.metadata.index;
  const raft::Index new_index = snapshot.metadata.index;
  if (new_index <= old_index) return;
  const std::size_t drop = std::min<std::size_t>(new_index - old_index, entries_.size());
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(drop));
  snapshot_ = snapshot;
  snapshot_file_index_ = new_index;
}

}  // namespace kahuna
