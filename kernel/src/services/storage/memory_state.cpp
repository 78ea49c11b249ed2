#include "services/storage/memory_state.h"

namespace kahuna::services {

namespace {

class MapCursor final : public StateCursor {
 public:
  MapCursor(MemoryState::Map::const_iterator it, MemoryState::Map::const_iterator end) : it_(it), end_(end) {}
  bool valid() const override { return it_ != end_; }
  std::string_view key() const override { return it_->first; }
  std::string_view value() const override { return it_->second; }
  void next() override { ++it_; }
  Status status() const override { return Status::ok(); }

 private:
  MemoryState::Map::const_iterator it_;
  MemoryState::Map::const_iterator end_;
};

}  // namespace

Status MemoryState::get(std::string_view key, std::string& value) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return Status::not_found();
  value = it->second;
  return Status::ok();
}

std::unique_ptr<StateCursor> MemoryState::scan(std::string_view lower, std::string_view upper) const {
  auto begin = entries_.lower_bound(lower);
  auto end = upper.empty() ? entries_.end() : entries_.lower_bound(upper);
  if (!upper.empty() && upper <= lower) end = begin;
  return std::make_unique<MapCursor>(begin, end);
}

void MemoryState::apply(const WriteBatch& batch) {
  for (const auto& op : batch.ops()) {
    switch (op.type) {
      case WriteBatch::OpType::kPut: entries_.insert_or_assign(op.key, op.value); break;
      case WriteBatch::OpType::kDelete: entries_.erase(op.key); break;
      case WriteBatch::OpType::kDeleteRange: {
        if (op.value <= op.key) break;
        entries_.erase(entries_.lower_bound(op.key), entries_.lower_bound(op.value));
        break;
      }
    }
  }
}

}  // namespace kahuna::services
