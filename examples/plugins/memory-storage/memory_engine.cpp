#include "memory_engine.h"

#include <optional>

namespace memory_storage {
namespace {

void apply(Map& map, const kahuna::WriteBatch& batch) {
  for (const auto& op : batch.ops()) {
    switch (op.type) {
      case kahuna::WriteBatch::OpType::kPut: map.insert_or_assign(op.key, op.value); break;
      case kahuna::WriteBatch::OpType::kDelete: map.erase(op.key); break;
      case kahuna::WriteBatch::OpType::kDeleteRange:
        if (op.key < op.value) map.erase(map.lower_bound(op.key), map.lower_bound(op.value));
        break;
    }
  }
}

class MapSnapshot final : public kahuna::Snapshot {
 public:
  explicit MapSnapshot(std::shared_ptr<const Map> map) : map(std::move(map)) {}
  std::shared_ptr<const Map> map;
};

// Iterates the keys in [lower_bound, upper_bound): the map positions
// [begin_, end_). Being at end_ means "not valid".
class MapIterator final : public kahuna::Iterator {
 public:
  MapIterator(std::shared_ptr<const Map> map, const kahuna::IteratorOptions& options)
      : map_(std::move(map)), lower_(options.lower_bound), upper_(options.upper_bound) {
    begin_ = lower_ ? map_->lower_bound(*lower_) : map_->begin();
    end_ = upper_ ? map_->lower_bound(*upper_) : map_->end();
    if (lower_ && upper_ && *lower_ >= *upper_) begin_ = end_;  // an empty range
    at_ = end_;
  }

  void seek_to_first() noexcept override { at_ = begin_; }
  void seek_to_last() noexcept override { at_ = begin_ == end_ ? end_ : std::prev(end_); }
  void seek(std::string_view target) noexcept override {
    if (begin_ == end_) return;
    at_ = lower_ && target < *lower_ ? begin_ : map_->lower_bound(target);
    if (past_upper(at_)) at_ = end_;
  }
  void seek_for_prev(std::string_view target) noexcept override {
    at_ = end_;
    if (begin_ == end_) return;
    auto limit = map_->upper_bound(target);  // first key > target
    if (past_upper(limit)) limit = end_;
    if (limit == begin_ || (lower_ && limit != map_->end() && limit->first < *lower_)) return;
    at_ = std::prev(limit);
  }
  void next() noexcept override {
    if (at_ != end_) ++at_;
  }
  void prev() noexcept override { at_ = at_ == begin_ ? end_ : std::prev(at_); }
  bool valid() const noexcept override { return at_ != end_; }
  std::string_view key() const noexcept override { return at_->first; }
  std::string_view value() const noexcept override { return at_->second; }
  kahuna::Status status() const override { return kahuna::Status::ok(); }

 private:
  bool past_upper(Map::const_iterator it) const {
    return upper_ && (it == map_->end() || it->first >= *upper_);
  }

  std::shared_ptr<const Map> map_;
  std::optional<std::string> lower_;
  std::optional<std::string> upper_;
  Map::const_iterator begin_;
  Map::const_iterator end_;
  Map::const_iterator at_;
};

}  // namespace

kahuna::Status MemoryEngine::open(const std::string& data_dir, double compact_ratio,
                                  std::unique_ptr<MemoryEngine>& out) {
  std::unique_ptr<MemoryEngine> engine(new MemoryEngine());
  Map& map = *engine->current_;
  kahuna::Status status = engine->log_.open(data_dir + "/memory.log",
                                            [&map](const kahuna::WriteBatch& batch) { apply(map, batch); });
  if (!status) return status;

  std::uint64_t live_bytes = 0;
  for (const auto& [key, value] : map) live_bytes += key.size() + value.size();
  if (compact_ratio > 0 && engine->log_.size() > compact_ratio * static_cast<double>(live_bytes) + 4096) {
    kahuna::WriteBatch everything;
    for (const auto& [key, value] : map) everything.put(key, value);
    if (status = engine->log_.rewrite(everything); !status) return status;
  }
  out = std::move(engine);
  return kahuna::Status::ok();
}

std::shared_ptr<const Map> MemoryEngine::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

kahuna::Status MemoryEngine::write(const kahuna::WriteBatch& batch,
                                   const kahuna::WriteOptions& options) noexcept {
  try {
    std::lock_guard lock(mutex_);
    // Log first: a batch is visible only once it would survive a restart.
    // The log is this engine's only copy on disk, so unlogged writes
    // (log=false) are appended too, just never synced.
    if (kahuna::Status s = log_.append(batch, options.sync && options.log); !s) return s;
    if (current_.use_count() > 1) current_ = std::make_shared<Map>(*current_);
    apply(*current_, batch);
    return kahuna::Status::ok();
  } catch (const std::bad_alloc&) {
    return kahuna::Status::storage_full("out of memory");
  }
}

kahuna::Status MemoryEngine::get(std::string_view key, std::string& value,
                                 const kahuna::Snapshot* snapshot) noexcept {
  try {
    const auto map = snapshot != nullptr ? static_cast<const MapSnapshot*>(snapshot)->map : current();
    const auto it = map->find(key);
    if (it == map->end()) return kahuna::Status::not_found();
    value = it->second;
    return kahuna::Status::ok();
  } catch (const std::bad_alloc&) {
    return kahuna::Status::internal("out of memory");
  }
}

kahuna::Status MemoryEngine::snapshot(std::unique_ptr<kahuna::Snapshot>& out) noexcept {
  try {
    out = std::make_unique<MapSnapshot>(current());
    return kahuna::Status::ok();
  } catch (const std::bad_alloc&) {
    return kahuna::Status::internal("out of memory");
  }
}

std::unique_ptr<kahuna::Iterator> MemoryEngine::iterator(const kahuna::IteratorOptions& options) noexcept {
  auto map = options.snapshot != nullptr ? static_cast<const MapSnapshot*>(options.snapshot)->map : current();
  return std::make_unique<MapIterator>(std::move(map), options);
}

kahuna::Status MemoryEngine::approximate_size(std::string_view begin, std::string_view end,
                                              std::uint64_t& bytes) noexcept {
  const auto map = current();
  bytes = 0;
  auto last = end.empty() ? map->end() : map->lower_bound(end);
  for (auto it = map->lower_bound(begin); it != map->end() && it != last; ++it) {
    bytes += it->first.size() + it->second.size();
  }
  return kahuna::Status::ok();
}

kahuna::Status MemoryEngine::flush() noexcept {
  std::lock_guard lock(mutex_);
  return log_.sync();
}

kahuna::Status MemoryEngine::checkpoint() noexcept {
  // Every write is in the log already; syncing it is all there is to do.
  // The log's file stays the same once open, so writers need not wait for
  // the sync: one appending meanwhile is simply not covered by it.
  return log_.sync();
}

}  // namespace memory_storage
