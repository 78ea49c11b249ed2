// The hybrid logical clock: ordering, monotonicity under a physical clock that
// stalls or goes back, and merging of remote timestamps.
#include "services/clock/hlc.h"

#include <gtest/gtest.h>

#include <limits>

namespace kahuna::services {
namespace {

TEST(HlcTimestamp, OrdersByPhysicalThenLogicalThenNode) {
  EXPECT_LT((HlcTimestamp{9, 1, 5}), (HlcTimestamp{0, 2, 0}));
  EXPECT_LT((HlcTimestamp{9, 2, 0}), (HlcTimestamp{0, 2, 1}));
  EXPECT_LT((HlcTimestamp{1, 2, 1}), (HlcTimestamp{2, 2, 1}));
  EXPECT_EQ((HlcTimestamp{1, 2, 3}), (HlcTimestamp{1, 2, 3}));
  EXPECT_TRUE(HlcTimestamp{}.is_zero());
  EXPECT_FALSE((HlcTimestamp{0, 0, 1}).is_zero());
}

TEST(HlcTimestamp, AfterAddsMillisecondsAndSaturates) {
  EXPECT_EQ(hlc_after(HlcTimestamp{3, 100, 7}, 50), (HlcTimestamp{3, 150, 7}));
  const auto max = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(hlc_after(HlcTimestamp{3, max - 1, 0}, 10).physical, max);
}

TEST(HlcTimestamp, AsOfMillisecondCoversEveryCounterOfThatMillisecond) {
  const HlcTimestamp as_of = hlc_as_of_ms(500);
  EXPECT_LE((HlcTimestamp{7, 500, 123456}), as_of);
  EXPECT_GT((HlcTimestamp{0, 501, 0}), as_of);
}

TEST(HybridClock, FollowsPhysicalTimeWhenItMovesForward) {
  std::int64_t wall = 1000;
  HybridClock clock(4, [&] { return wall; });
  EXPECT_EQ(clock.now(), (HlcTimestamp{4, 1000, 0}));
  wall = 1005;
  EXPECT_EQ(clock.now(), (HlcTimestamp{4, 1005, 0}));
  EXPECT_EQ(clock.last(), (HlcTimestamp{4, 1005, 0}));
  EXPECT_EQ(clock.node(), 4);
}

TEST(HybridClock, CountsWhenPhysicalTimeStalls) {
  std::int64_t wall = 1000;
  HybridClock clock(1, [&] { return wall; });
  const auto a = clock.now();
  const auto b = clock.now();
  const auto c = clock.now();
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(c, (HlcTimestamp{1, 1000, 2}));
}

TEST(HybridClock, NeverGoesBackWhenPhysicalTimeDoes) {
  std::int64_t wall = 5000;
  HybridClock clock(1, [&] { return wall; });
  const auto before = clock.now();
  wall = 10;  // the system clock was set back
  const auto after = clock.now();
  EXPECT_GT(after, before);
  EXPECT_EQ(after.physical, 5000);
}

TEST(HybridClock, UpdateOrdersLaterEventsAfterTheRemoteTimestamp) {
  std::int64_t wall = 100;
  HybridClock clock(1, [&] { return wall; });
  const HlcTimestamp remote{2, 900, 4};
  const auto merged = clock.update(remote);
  EXPECT_GT(merged, remote);
  EXPECT_EQ(merged, (HlcTimestamp{1, 900, 5}));
  EXPECT_GT(clock.now(), merged);
}

TEST(HybridClock, UpdateWithEqualPhysicalTakesTheLargerCounter) {
  std::int64_t wall = 100;
  HybridClock clock(1, [&] { return wall; });
  wall = 900;
  clock.now();  // {900, 0}
  clock.now();  // {900, 1}
  EXPECT_EQ(clock.update(HlcTimestamp{2, 900, 7}), (HlcTimestamp{1, 900, 8}));
  EXPECT_EQ(clock.update(HlcTimestamp{2, 900, 3}), (HlcTimestamp{1, 900, 9}));
}

TEST(HybridClock, UpdateWithAnOlderRemoteStillAdvances) {
  std::int64_t wall = 100;
  HybridClock clock(1, [&] { return wall; });
  const auto first = clock.now();
  EXPECT_GT(clock.update(HlcTimestamp{2, 50, 0}), first);
  wall = 200;
  EXPECT_EQ(clock.update(HlcTimestamp{2, 50, 0}), (HlcTimestamp{1, 200, 0}));
}

TEST(HybridClock, ACounterAtItsMaximumSpillsIntoTheNextMillisecond) {
  std::int64_t wall = 100;
  HybridClock clock(1, [&] { return wall; });
  const auto remote = hlc_as_of_ms(100);  // counter at uint32 max
  const auto merged = clock.update(remote);
  EXPECT_GT(merged, remote);
  EXPECT_EQ(merged, (HlcTimestamp{1, 101, 0}));
}

}  // namespace
}  // namespace kahuna::services
