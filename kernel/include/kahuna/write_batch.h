// WriteBatch: an ordered list of puts and deletes that a storage engine
// applies atomically — after a crash either all of it is visible or none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kahuna {

class WriteBatch {
 public:
  enum class OpType : std::uint8_t {
    kPut,          // key = value
    kDelete,       // remove key (no error when absent)
    kDeleteRange,  // remove every key in [key, end)
  };

  struct Op {
    OpType type;
    std::string key;
    std::string value;  // the value for kPut, the exclusive end for kDeleteRange
  };

  void put(std::string_view key, std::string_view value) { add(OpType::kPut, key, value); }
  void remove(std::string_view key) { add(OpType::kDelete, key, {}); }
  void remove_range(std::string_view begin, std::string_view end) { add(OpType::kDeleteRange, begin, end); }

  // Appends every operation of `other` after ours; later operations win.
  void append(const WriteBatch& other) {
    ops_.insert(ops_.end(), other.ops_.begin(), other.ops_.end());
    bytes_ += other.bytes_;
  }
  void append(WriteBatch&& other) {
    if (ops_.empty()) {
      *this = std::move(other);
      return;
    }
    ops_.insert(ops_.end(), std::make_move_iterator(other.ops_.begin()),
                std::make_move_iterator(other.ops_.end()));
    bytes_ += other.bytes_;
    other.clear();
  }

  void clear() noexcept {
    ops_.clear();
    bytes_ = 0;
  }

  const std::vector<Op>& ops() const noexcept { return ops_; }
  bool empty() const noexcept { return ops_.empty(); }
  std::size_t count() const noexcept { return ops_.size(); }
  // Total bytes of keys and values, a measure of the batch's write cost.
  std::size_t byte_size() const noexcept { return bytes_; }

 private:
  void add(OpType type, std::string_view key, std::string_view value) {
    ops_.push_back(Op{type, std::string(key), std::string(value)});
    bytes_ += key.size() + value.size();
  }

  std::vector<Op> ops_;
  std::size_t bytes_ = 0;
};

}  // namespace kahuna
