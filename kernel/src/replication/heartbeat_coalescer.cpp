#include "replication/heartbeat_coalescer.h"

#include <cstring>

#include <asio/post.hpp>

namespace kahuna {
namespace {

void put_u32(std::string& out, std::uint32_t value) {
  char bytes[4];
  std::memcpy(bytes, &value, 4);  // little-endian hosts, like the rest of the peer wire
  out.append(bytes, 4);
}

std::uint32_t get_u32(const char* in) {
  std::uint32_t value;
  std::memcpy(&value, in, 4);
  return value;
}

}  // namespace

void HeartbeatCoalescer::add(std::uint64_t peer, std::uint32_t group, std::string_view encoded) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    std::string& frame = pending_[peer];
    first = frame.empty();
    put_u32(frame, group);
    put_u32(frame, static_cast<std::uint32_t>(encoded.size()));
    frame.append(encoded);
  }
  messages_.fetch_add(1, std::memory_order_relaxed);
  if (first) asio::post(io_, [this, peer] { flush(peer); });
}

void HeartbeatCoalescer::flush(std::uint64_t peer) {
  std::string frame;
  {
    std::lock_guard lock(mutex_);
    frame.swap(pending_[peer]);
  }
  if (frame.empty()) return;
  frames_.fetch_add(1, std::memory_order_relaxed);
  sender_(peer, std::move(frame));
}

bool HeartbeatCoalescer::split(std::uint64_t from, std::string_view payload, const MessageSink& sink) {
  while (!payload.empty()) {
    if (payload.size() < 8) return false;
    const std::uint32_t group = get_u32(payload.data());
    const std::uint32_t size = get_u32(payload.data() + 4);
    payload.remove_prefix(8);
    if (size > payload.size()) return false;
    sink(from, group, payload.substr(0, size));
    payload.remove_prefix(size);
  }
  return true;
}

}  // namespace kahuna
