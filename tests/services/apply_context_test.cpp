// The apply-batch overlay: reads see staged writes of the same batch, deletes
// and range deletes hide base keys, nested contexts merge, and the batch
// records every write in order.
#include "services/storage/apply_context.h"

#include <gtest/gtest.h>

#include <vector>

#include "map_engine.h"
#include "services/storage/engine_state_reader.h"
#include "services/storage/memory_state.h"

namespace kahuna::services {
namespace {

std::vector<std::pair<std::string, std::string>> scan_all(const StateReader& reader,
                                                          std::string_view lower = "",
                                                          std::string_view upper = "") {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto c = reader.scan(lower, upper); c->valid(); c->next()) {
    out.emplace_back(std::string(c->key()), std::string(c->value()));
  }
  return out;
}

MemoryState base_with(std::initializer_list<std::pair<const char*, const char*>> entries) {
  MemoryState state;
  WriteBatch batch;
  for (const auto& [k, v] : entries) batch.put(k, v);
  state.apply(batch);
  return state;
}

using Rows = std::vector<std::pair<std::string, std::string>>;

TEST(ApplyContext, ReadsSeeStagedWritesFirst) {
  MemoryState base = base_with({{"a", "1"}, {"b", "2"}});
  ApplyContext ctx(base);
  std::string value;
  ctx.put("b", "20");
  ctx.put("c", "3");
  ASSERT_TRUE(ctx.get("a", value).is_ok());
  EXPECT_EQ(value, "1");
  ASSERT_TRUE(ctx.get("b", value).is_ok());
  EXPECT_EQ(value, "20");
  ASSERT_TRUE(ctx.get("c", value).is_ok());
  EXPECT_EQ(value, "3");
  ctx.remove("a");
  EXPECT_EQ(ctx.get("a", value).code(), StatusCode::kNotFound);
  // The base is untouched until the batch is committed.
  ASSERT_TRUE(base.get("a", value).is_ok());
  EXPECT_EQ(base.get("c", value).code(), StatusCode::kNotFound);
}

TEST(ApplyContext, ScanMergesInKeyOrder) {
  MemoryState base = base_with({{"a", "1"}, {"c", "3"}, {"e", "5"}});
  ApplyContext ctx(base);
  ctx.put("b", "2");
  ctx.put("c", "30");
  ctx.remove("e");
  ctx.put("f", "6");
  EXPECT_EQ(scan_all(ctx), (Rows{{"a", "1"}, {"b", "2"}, {"c", "30"}, {"f", "6"}}));
  EXPECT_EQ(scan_all(ctx, "b", "f"), (Rows{{"b", "2"}, {"c", "30"}}));
  EXPECT_EQ(scan_all(ctx, "d", "c"), Rows{});
}

TEST(ApplyContext, RangeDeletesHideBaseAndEarlierStagedKeysButNotLaterOnes) {
  MemoryState base = base_with({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
  ApplyContext ctx(base);
  ctx.put("bb", "22");
  ctx.remove_range("b", "d");
  ctx.put("c", "33");  // after the range delete: visible
  std::string value;
  EXPECT_EQ(ctx.get("b", value).code(), StatusCode::kNotFound);
  EXPECT_EQ(ctx.get("bb", value).code(), StatusCode::kNotFound);
  ASSERT_TRUE(ctx.get("c", value).is_ok());
  EXPECT_EQ(value, "33");
  EXPECT_EQ(scan_all(ctx), (Rows{{"a", "1"}, {"c", "33"}, {"d", "4"}}));
}

TEST(ApplyContext, TheBatchReplaysToTheSameState) {
  MemoryState base = base_with({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  ApplyContext ctx(base);
  ctx.put("z", "26");
  ctx.remove("a");
  ctx.remove_range("b", "c");
  ctx.put("b", "again");
  const Rows expected = scan_all(ctx);
  EXPECT_EQ(ctx.batch().count(), 4u);
  EXPECT_EQ(ctx.batch().ops()[2].type, WriteBatch::OpType::kDeleteRange);
  base.apply(ctx.take_batch());
  EXPECT_TRUE(ctx.empty());
  EXPECT_EQ(scan_all(base), expected);
}

TEST(ApplyContext, ChildContextsMergeOnlyWhenAsked) {
  MemoryState base = base_with({{"a", "1"}});
  ApplyContext parent(base);
  parent.put("b", "2");
  {
    ApplyContext child(static_cast<const StateReader&>(parent));
    std::string value;
    ASSERT_TRUE(child.get("b", value).is_ok());  // sees the parent's staged write
    child.put("c", "3");
    child.remove("a");
    // Discarded: never merged.
  }
  EXPECT_EQ(scan_all(parent), (Rows{{"a", "1"}, {"b", "2"}}));
  ApplyContext child(static_cast<const StateReader&>(parent));
  child.put("c", "3");
  child.remove("a");
  child.remove_range("x", "y");
  parent.merge(child);
  EXPECT_EQ(scan_all(parent), (Rows{{"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(parent.batch().count(), 4u);
}

TEST(EngineStateReader, ReadsTheEngineOrOneOfItsSnapshots) {
  testing::MapEngine engine;
  WriteBatch first;
  first.put("a", "1");
  first.put("b", "2");
  ASSERT_TRUE(engine.write(first, WriteOptions{}).is_ok());
  std::unique_ptr<Snapshot> snapshot;
  ASSERT_TRUE(engine.snapshot(snapshot).is_ok());
  WriteBatch second;
  second.put("c", "3");
  second.remove("a");
  ASSERT_TRUE(engine.write(second, WriteOptions{}).is_ok());

  EngineStateReader latest(engine);
  EngineStateReader pinned(engine, snapshot.get());
  EXPECT_EQ(scan_all(latest), (Rows{{"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(scan_all(pinned), (Rows{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(scan_all(latest, "a", "c"), (Rows{{"b", "2"}}));
  std::string value;
  EXPECT_EQ(latest.get("a", value).code(), StatusCode::kNotFound);
  ASSERT_TRUE(pinned.get("a", value).is_ok());
  EXPECT_EQ(value, "1");

  // An overlay over the engine, as the driver uses it.
  ApplyContext ctx(latest);
  ctx.put("a", "new");
  EXPECT_EQ(scan_all(ctx), (Rows{{"a", "new"}, {"b", "2"}, {"c", "3"}}));
}

TEST(MemoryState, AppliesBatchesLikeAnEngine) {
  MemoryState state;
  WriteBatch batch;
  batch.put("a", "1");
  batch.put("b", "2");
  batch.put("c", "3");
  batch.remove_range("b", "c");
  batch.remove("missing");
  state.apply(batch);
  EXPECT_EQ(scan_all(state), (Rows{{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(state.size(), 2u);
}

}  // namespace
}  // namespace kahuna::services
