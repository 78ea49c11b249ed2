#include "services/sequences/sequence_allocator.h"

namespace kahuna::services {

namespace {

std::int64_t advance(std::int64_t value, std::int64_t steps, std::int64_t increment) {
  // Unsigned arithmetic: the values stay within the block, which fits in
  // int64, but an intermediate product might not.
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(value) +
                                   static_cast<std::uint64_t>(steps) * static_cast<std::uint64_t>(increment));
}

}  // namespace

std::optional<SequenceAllocation> SequenceAllocator::take(std::string_view name, std::int64_t count) {
  auto it = blocks_.find(name);
  if (count < 1 || it == blocks_.end() || it->second.remaining < count) return std::nullopt;
  Block& block = it->second;
  SequenceAllocation allocation;
  allocation.name = std::string(name);
  allocation.start = block.next;
  allocation.end = advance(block.next, count - 1, block.increment);
  allocation.count = count;
  allocation.revision = block.revision;
  block.remaining -= count;
  if (block.remaining == 0) {
    blocks_.erase(it);
  } else {
    block.next = advance(allocation.end, 1, block.increment);
  }
  return allocation;
}

std::int64_t SequenceAllocator::available(std::string_view name) const {
  auto it = blocks_.find(name);
  return it == blocks_.end() ? 0 : it->second.remaining;
}

void SequenceAllocator::block_reserved(std::string_view name, std::int32_t proposer,
                                       const SequenceAllocation& leftover, std::int64_t increment) {
  if (proposer != node_) return;
  // What was left of the previous block lies below the new block's first
  // value; handing it out later would break the ascending order.
  auto it = blocks_.find(name);
  if (it != blocks_.end()) blocks_.erase(it);
  if (leftover.count < 1 || increment < 1) return;
  blocks_.emplace(std::string(name), Block{leftover.start, leftover.count, increment, leftover.revision});
}

void SequenceAllocator::sequence_changed(std::string_view name) {
  auto it = blocks_.find(name);
  if (it != blocks_.end()) blocks_.erase(it);
}

}  // namespace kahuna::services
