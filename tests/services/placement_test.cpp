// Placement follows HTTP-API.md §8 exactly: the check values published there,
// the key-space and placement-group steps, and the jump hash's properties.
#include "services/placement/placement.h"

#include <gtest/gtest.h>

#include <xxhash.h>

#include <string>
#include <utility>

namespace kahuna::services {
namespace {

TEST(Placement, Xxh32CheckValue) { EXPECT_EQ(XXH32("abc", 3, 0), 0x32d153ffu); }

TEST(Placement, StringStepCheckValues) {
  EXPECT_EQ(bucket_of_string("a", 3), 1u);
  EXPECT_EQ(bucket_of_string("abc", 16), 2u);
  EXPECT_EQ(bucket_of_string("orders/42", 16), 8u);
}

TEST(Placement, KeySpaceIsTheTextBeforeTheLastSlash) {
  const std::pair<std::string, std::string> key_and_space[] = {{"orders/42", "orders"},
                                                               {"a/b/c", "a/b"},
                                                               {"plain", "plain"},
                                                               {"trailing/", "trailing"},
                                                               {"/lead", ""}};
  for (const auto& [key, space] : key_and_space) EXPECT_EQ(key_space_of(key), space) << key;
}

TEST(Placement, PlacementGroupIsTheKeySpaceUpToItsFirstBar) {
  EXPECT_EQ(placement_group_of("tenant|orders"), "tenant");
  EXPECT_EQ(placement_group_of("a|b|c"), "a");
  EXPECT_EQ(placement_group_of("orders"), "orders");
}

TEST(Placement, HashPairsTheTwoSeeds) {
  const std::string text = "orders";
  const std::uint64_t expected = (std::uint64_t{XXH32(text.data(), text.size(), 0xAAAAAAAAu)} << 32) |
                                 XXH32(text.data(), text.size(), 0x55555555u);
  EXPECT_EQ(placement_hash(text), expected);
}

TEST(Placement, KeysOfOneKeySpaceShareAPartition) {
  const PlacementPool pool{16, 1};
  const auto p = partition_for_key("orders/1", pool);
  EXPECT_EQ(partition_for_key("orders/2", pool), p);
  EXPECT_EQ(partition_for_key("orders/zzz", pool), p);
  // The key space's partition is the one its group string hashes to.
  EXPECT_EQ(p, 1 + bucket_of_string("orders", 16));
  // A key without '/' hashes as itself.
  EXPECT_EQ(partition_for_key("abc", pool), 1 + 2u);
}

TEST(Placement, PlacementGroupsShareAPartition) {
  const PlacementPool pool{16, 1};
  EXPECT_EQ(partition_for_key("tenant|a/1", pool), partition_for_key("tenant|b/1", pool));
  EXPECT_EQ(partition_for_key("tenant|a/1", pool), 1 + bucket_of_string("tenant", 16));
}

TEST(Placement, OffsetShiftsEveryPartition) {
  EXPECT_EQ(partition_for_key("abc", PlacementPool{16, 0}), 2u);
  EXPECT_EQ(partition_for_key("abc", PlacementPool{16, 5}), 7u);
}

TEST(Placement, SequencesArePlacedByTheirStorageKey) {
  const PlacementPool pool{16, 1};
  EXPECT_EQ(sequence_storage_key("invoices"), "__kahuna:sequences:invoices");
  EXPECT_EQ(partition_for_sequence("invoices", pool), partition_for_key("__kahuna:sequences:invoices", pool));
}

TEST(Placement, JumpHashStaysInRangeAndMovesFewKeysWhenGrowing) {
  int moved = 0;
  constexpr int kKeys = 10000;
  for (int i = 0; i < kKeys; ++i) {
    const std::uint64_t key = placement_hash("key-" + std::to_string(i));
    const auto before = jump_consistent_hash(key, 10);
    const auto after = jump_consistent_hash(key, 11);
    ASSERT_LT(before, 10u);
    ASSERT_LT(after, 11u);
    if (before != after) {
      ++moved;
      EXPECT_EQ(after, 10u);  // a key only ever moves into the new bucket
    }
  }
  // About 1/11 of the keys move.
  EXPECT_GT(moved, kKeys / 11 / 2);
  EXPECT_LT(moved, kKeys / 11 * 2);
  EXPECT_EQ(jump_consistent_hash(12345, 1), 0u);
}

}  // namespace
}  // namespace kahuna::services
