// HeartbeatCoalescer: one frame per peer for the heartbeats of many groups.
//
// Every group's leader heartbeats each follower every few ticks, and every
// follower answers; with dozens of groups that is dozens of tiny frames per
// peer per heartbeat interval, mostly for idle groups. The groups of a node
// tick together (their drivers start together and keep a fixed period), so
// their heartbeats are produced in one burst: the coalescer queues heartbeats
// and heartbeat responses per peer and sends each peer's queue as a single
// frame as soon as the burst has been handled (one asio::post later — no
// timer, so a heartbeat round that confirms a read is not delayed).
//
// Frame payload: repeated { u32 group | u32 size | encoded raft message }.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <kahuna/raft/message.h>
#include <asio/io_context.hpp>

namespace kahuna {

class HeartbeatCoalescer {
 public:
  // Sends one coalesced frame to a peer; false when it was dropped.
  using FrameSender = std::function<bool(std::uint64_t peer, std::string payload)>;
  // Delivers one heartbeat (or response) found in a received frame.
  using MessageSink = std::function<void(std::uint64_t from, std::uint32_t group, std::string_view message)>;

  HeartbeatCoalescer(asio::io_context& io, FrameSender sender) : io_(io), sender_(std::move(sender)) {}

  static bool coalesces(const raft::Message& message) {
    return message.type == raft::MessageType::kHeartbeat ||
           message.type == raft::MessageType::kHeartbeatResponse;
  }

  // Queues `message` (already encoded) for its peer. Any thread.
  void add(std::uint64_t peer, std::uint32_t group, std::string_view encoded);

  // Splits a received frame; false when it is malformed (the rest is dropped).
  static bool split(std::uint64_t from, std::string_view payload, const MessageSink& sink);

  std::uint64_t messages() const noexcept { return messages_.load(); }
  std::uint64_t frames() const noexcept { return frames_.load(); }

 private:
  void flush(std::uint64_t peer);

  asio::io_context& io_;
  FrameSender sender_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::string> pending_;  // per peer, frames being built
  std::atomic<std::uint64_t> messages_{0};
  std::atomic<std::uint64_t> frames_{0};
};

}  // namespace kahuna
