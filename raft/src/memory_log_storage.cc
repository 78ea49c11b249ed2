#include "kahuna/raft/memory_log_storage.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace kahuna::raft {

MemoryLogStorage::MemoryLogStorage(ConfState initial) { snapshot_.metadata.conf_state = std::move(initial); }

std::optional<Term> MemoryLogStorage::term(Index index) const {
  const Index snap = snapshot_.metadata.index;
  if (index == snap) return snapshot_.metadata.term;
  if (index < snap || index > last_index()) return std::nullopt;
  return entries_[index - snap - 1].term;
}

std::vector<Entry> MemoryLogStorage::entries(Index lo, Index hi, std::size_t max_bytes) const {
  if (lo < first_index() || hi > last_index() + 1 || lo > hi) {
    std::fprintf(stderr, "MemoryLogStorage::entries(%llu, %llu) outside [%llu, %llu]\n",
                 static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi),
                 static_cast<unsigned long long>(first_index()),
                 static_cast<unsigned long long>(last_index()));
    std::abort();
  }
  std::vector<Entry> out;
  std::size_t bytes = 0;
  for (Index i = lo; i < hi; ++i) {
    const Entry& e = entries_[i - first_index()];
    bytes += entry_size(e);
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(e);
  }
  return out;
}

void MemoryLogStorage::append(const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  Index first_new = entries.front().index;
  if (first_new > last_index() + 1) {
    std::fprintf(stderr, "MemoryLogStorage::append: gap before index %llu (last %llu)\n",
                 static_cast<unsigned long long>(first_new), static_cast<unsigned long long>(last_index()));
    std::abort();
  }
  // Drop our conflicting suffix, then add the new entries that lie after the snapshot.
  if (first_new <= last_index()) {
    Index keep = first_new > first_index() ? first_new - first_index() : 0;
    entries_.resize(keep);
  }
  for (const Entry& e : entries) {
    if (e.index <= snapshot_.metadata.index) continue;
    assert(e.index == last_index() + 1);
    entries_.push_back(e);
  }
}

void MemoryLogStorage::apply_snapshot(Snapshot snapshot) {
  snapshot_ = std::move(snapshot);
  entries_.clear();
}

void MemoryLogStorage::compact(Snapshot snapshot) {
  const Index index = snapshot.metadata.index;
  if (index <= snapshot_.metadata.index) return;
  if (index > last_index()) {
    std::fprintf(stderr, "MemoryLogStorage::compact(%llu) beyond last index %llu\n",
                 static_cast<unsigned long long>(index), static_cast<unsigned long long>(last_index()));
    std::abort();
  }
  entries_.erase(entries_.begin(), entries_.begin() + (index - snapshot_.metadata.index));
  snapshot_ = std::move(snapshot);
}

}  // namespace kahuna::raft
