// Heartbeats of many groups travel to a peer in one frame, and come apart
// again intact on the other side.
#include "replication/heartbeat_coalescer.h"

#include <gtest/gtest.h>

namespace kahuna {
namespace {

TEST(HeartbeatCoalescer, ABurstForOnePeerIsOneFrame) {
  asio::io_context io;
  std::vector<std::pair<std::uint64_t, std::string>> sent;
  HeartbeatCoalescer coalescer(io, [&](std::uint64_t peer, std::string frame) {
    sent.emplace_back(peer, std::move(frame));
    return true;
  });
  for (std::uint32_t group = 0; group < 17; ++group) coalescer.add(2, group, "hb" + std::to_string(group));
  coalescer.add(3, 5, "other peer");
  io.run();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(coalescer.messages(), 18u);
  EXPECT_EQ(coalescer.frames(), 2u);

  std::vector<std::pair<std::uint32_t, std::string>> received;
  const auto& [peer, frame] = sent[0].first == 2 ? sent[0] : sent[1];
  ASSERT_EQ(peer, 2u);
  ASSERT_TRUE(
      HeartbeatCoalescer::split(2, frame, [&](std::uint64_t from, std::uint32_t group, std::string_view m) {
        EXPECT_EQ(from, 2u);
        received.emplace_back(group, std::string(m));
      }));
  ASSERT_EQ(received.size(), 17u);
  for (std::uint32_t group = 0; group < 17; ++group) {
    EXPECT_EQ(received[group], std::make_pair(group, "hb" + std::to_string(group)));
  }
}

TEST(HeartbeatCoalescer, AMalformedFrameStopsWhereItBreaks) {
  std::string frame;
  const std::uint32_t header[2] = {7, 100};  // claims 100 bytes, has 3
  frame.append(reinterpret_cast<const char*>(header), sizeof(header));
  frame.append("abc");
  int delivered = 0;
  EXPECT_FALSE(HeartbeatCoalescer::split(1, frame, [&](auto, auto, auto) { ++delivered; }));
  EXPECT_FALSE(HeartbeatCoalescer::split(1, "short", [&](auto, auto, auto) { ++delivered; }));
  EXPECT_EQ(delivered, 0);
  EXPECT_TRUE(HeartbeatCoalescer::split(1, "", [&](auto, auto, auto) { ++delivered; }));
}

}  // namespace
}  // namespace kahuna
