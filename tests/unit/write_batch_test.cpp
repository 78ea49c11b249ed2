#include <kahuna/write_batch.h>

#include <gtest/gtest.h>

namespace kahuna {
namespace {

TEST(WriteBatch, KeepsOperationsInOrderAndCountsBytes) {
  WriteBatch batch;
  batch.put("a", "1");
  batch.remove("b");
  batch.remove_range("c", "d");
  ASSERT_EQ(batch.count(), 3u);
  EXPECT_EQ(batch.byte_size(), 1u + 1 + 1 + 1 + 1);
  EXPECT_EQ(batch.ops()[0].type, WriteBatch::OpType::kPut);
  EXPECT_EQ(batch.ops()[1].type, WriteBatch::OpType::kDelete);
  EXPECT_EQ(batch.ops()[2].type, WriteBatch::OpType::kDeleteRange);
  EXPECT_EQ(batch.ops()[2].value, "d");
}

TEST(WriteBatch, AppendKeepsBothInOrderAndMovingEmptiesTheSource) {
  WriteBatch first;
  first.put("k", "1");
  WriteBatch second;
  second.put("k", "2");
  second.put(std::string("\0x", 2), std::string(3, '\0'));

  WriteBatch copy = first;
  copy.append(second);
  EXPECT_EQ(copy.count(), 3u);
  EXPECT_EQ(second.count(), 2u);

  first.append(std::move(second));
  ASSERT_EQ(first.count(), 3u);
  EXPECT_EQ(first.ops()[1].value, "2");
  EXPECT_EQ(first.ops()[2].key, std::string("\0x", 2));
  EXPECT_EQ(first.byte_size(), copy.byte_size());
  EXPECT_TRUE(second.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(second.byte_size(), 0u);
}

}  // namespace
}  // namespace kahuna
