#include "services/storage/state_cache.h"

namespace kahuna::services {

namespace {
// What a cached key costs besides its bytes: the map node, the recency node
// and the strings' headers, roughly.
constexpr std::size_t kEntryOverhead = 160;
}  // namespace

std::size_t StateCache::cost(std::string_view key, const std::optional<std::string>& value) {
  return kEntryOverhead + key.size() + (value ? value->size() : 0);
}

Status StateCache::get(std::string_view key, std::string& value) const {
  if (capacity_bytes_ == 0) return base_.get(key, value);
  if (auto it = entries_.find(key); it != entries_.end()) {
    ++hits_;
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    if (!it->second.value) return Status::not_found();
    value = *it->second.value;
    return Status::ok();
  }
  ++misses_;
  Status status = base_.get(key, value);
  if (status.is_ok()) {
    remember(key, value);
  } else if (status.code() == StatusCode::kNotFound) {
    remember(key, std::nullopt);
  }
  return status;
}

void StateCache::update(const WriteBatch& batch) {
  if (capacity_bytes_ == 0) return;
  for (const WriteBatch::Op& op : batch.ops()) {
    switch (op.type) {
      case WriteBatch::OpType::kPut: remember(op.key, op.value); break;
      case WriteBatch::OpType::kDelete: remember(op.key, std::nullopt); break;
      case WriteBatch::OpType::kDeleteRange: {
        auto it = entries_.lower_bound(op.key);
        const auto end = op.value.empty() ? entries_.end() : entries_.lower_bound(op.value);
        while (it != end) {
          auto next = std::next(it);
          erase(it);
          it = next;
        }
        break;
      }
    }
  }
  evict_to_capacity();
}

void StateCache::clear() {
  entries_.clear();
  recency_.clear();
  bytes_ = 0;
}

void StateCache::remember(std::string_view key, std::optional<std::string> value) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    it = entries_.emplace(std::string(key), Entry{}).first;
    recency_.push_front(it);
    it->second.recency = recency_.begin();
  } else {
    bytes_ -= cost(key, it->second.value);
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  bytes_ += cost(key, value);
  it->second.value = std::move(value);
  evict_to_capacity();
}

void StateCache::erase(Map::iterator it) const {
  bytes_ -= cost(it->first, it->second.value);
  recency_.erase(it->second.recency);
  entries_.erase(it);
}

void StateCache::evict_to_capacity() const {
  while (bytes_ > capacity_bytes_ && !recency_.empty()) erase(recency_.back());
}

}  // namespace kahuna::services
