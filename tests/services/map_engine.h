// A StorageEngine test double over std::map, with snapshots, so the
// EngineStateReader path can be tested without a real engine plugin.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <kahuna/storage_engine.h>

namespace kahuna::services::testing {

class MapEngine final : public StorageEngine {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;

  Status write(const WriteBatch& batch, const WriteOptions&) noexcept override {
    for (const auto& op : batch.ops()) {
      switch (op.type) {
        case WriteBatch::OpType::kPut: data_->insert_or_assign(op.key, op.value); break;
        case WriteBatch::OpType::kDelete: data_->erase(op.key); break;
        case WriteBatch::OpType::kDeleteRange:
          if (op.key < op.value) data_->erase(data_->lower_bound(op.key), data_->lower_bound(op.value));
          break;
      }
    }
    ++writes_;
    return Status::ok();
  }

  Status get(std::string_view key, std::string& value, const Snapshot* snapshot) noexcept override {
    const Map& map = view(snapshot);
    auto it = map.find(key);
    if (it == map.end()) return Status::not_found();
    value = it->second;
    return Status::ok();
  }

  Status snapshot(std::unique_ptr<Snapshot>& out) noexcept override {
    out = std::make_unique<MapSnapshot>(*data_);
    return Status::ok();
  }

  std::unique_ptr<Iterator> iterator(const IteratorOptions& options) noexcept override {
    // An iterator without a snapshot takes its own copy, as the contract says.
    auto owned = options.snapshot ? nullptr : std::make_shared<Map>(*data_);
    const Map& map = options.snapshot ? view(options.snapshot) : *owned;
    return std::make_unique<MapIterator>(map, options, std::move(owned));
  }

  Status approximate_size(std::string_view, std::string_view, std::uint64_t& bytes) noexcept override {
    bytes = 0;
    return Status::ok();
  }
  Status flush() noexcept override { return Status::ok(); }
  Status checkpoint() noexcept override { return Status::ok(); }

  int writes() const { return writes_; }

 private:
  struct MapSnapshot final : Snapshot {
    explicit MapSnapshot(Map copy) : data(std::move(copy)) {}
    Map data;
  };

  class MapIterator final : public Iterator {
   public:
    MapIterator(const Map& map, const IteratorOptions& options, std::shared_ptr<Map> owned)
        : map_(map), lower_(options.lower_bound), upper_(options.upper_bound), owned_(std::move(owned)) {
      it_ = map_.end();
    }
    void seek_to_first() noexcept override { it_ = lower_ ? map_.lower_bound(*lower_) : map_.begin(); }
    void seek_to_last() noexcept override {}
    void seek(std::string_view target) noexcept override { it_ = map_.lower_bound(target); }
    void seek_for_prev(std::string_view) noexcept override {}
    void next() noexcept override { ++it_; }
    void prev() noexcept override {}
    bool valid() const noexcept override {
      return it_ != map_.end() && (!upper_ || it_->first < *upper_) && (!lower_ || it_->first >= *lower_);
    }
    std::string_view key() const noexcept override { return it_->first; }
    std::string_view value() const noexcept override { return it_->second; }
    Status status() const override { return Status::ok(); }

   private:
    const Map& map_;
    std::optional<std::string> lower_;
    std::optional<std::string> upper_;
    std::shared_ptr<Map> owned_;
    Map::const_iterator it_;
  };

  const Map& view(const Snapshot* snapshot) const {
    return snapshot ? static_cast<const MapSnapshot*>(snapshot)->data : *data_;
  }

  std::unique_ptr<Map> data_ = std::make_unique<Map>();
  int writes_ = 0;
};

}  // namespace kahuna::services::testing
