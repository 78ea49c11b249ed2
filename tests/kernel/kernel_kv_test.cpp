// Key/value operations through KernelApi on a one-node kernel.
#include "kernel_requests.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

KvGetRequest get_request(std::string key, Durability d, std::int64_t revision = -1) {
  return KvGetRequest{KvGetQuery{std::move(key), revision, {}}, d};
}

class KernelKv : public KernelTest, public ::testing::WithParamInterface<Durability> {};

TEST_P(KernelKv, RevisionsNullValuesAndDeletes) {
  start();
  const Durability d = GetParam();
  EXPECT_EQ(run(kernel().kv_set(set_request("a/k", "v0", d), {})).reply.revision, 0);
  EXPECT_EQ(run(kernel().kv_set(set_request("a/k", std::nullopt, d), {})).reply.revision, 1);
  auto got = run(kernel().kv_get(get_request("a/k", d), {}));
  EXPECT_EQ(got.reply.code, KvCode::kGet);
  EXPECT_EQ(got.reply.value, std::nullopt);
  EXPECT_EQ(got.reply.revision, 1);
  EXPECT_EQ(got.route.provenance, RouteProvenance::kLocal);
  // History: revision 0 is still readable.
  EXPECT_EQ(run(kernel().kv_get(get_request("a/k", d, 0), {})).reply.value, "v0");

  auto not_set = run(kernel().kv_set(set_request("a/k", "x", d, kSetIfNotExists), {}));
  EXPECT_EQ(not_set.reply.code, KvCode::kNotSet);
  EXPECT_EQ(not_set.reply.revision, 1);
  EXPECT_EQ(run(kernel().kv_exists(get_request("a/k", d), {})).reply.code, KvCode::kExists);
  auto deleted = run(kernel().kv_delete(KvKeyRequest{"a/k", d}, {}));
  EXPECT_EQ(deleted.reply.code, KvCode::kDeleted);
  EXPECT_EQ(deleted.reply.revision, 2);
  EXPECT_EQ(run(kernel().kv_get(get_request("a/k", d), {})).reply.code, KvCode::kDoesNotExist);
  EXPECT_EQ(run(kernel().kv_set(set_request("a/k", "", d), {})).reply.revision, 3);
  EXPECT_EQ(run(kernel().kv_get(get_request("a/k", d), {})).reply.value, "");
}

TEST_P(KernelKv, CompareAndSet) {
  start();
  const Durability d = GetParam();
  ASSERT_EQ(run(kernel().kv_set(set_request("c", "one", d), {})).reply.code, KvCode::kSet);
  KvSetRequest cas = set_request("c", "two", d, kSetIfEqualToValue);
  cas.compare_value = "wrong";
  EXPECT_EQ(run(kernel().kv_set(cas, {})).reply.code, KvCode::kNotSet);
  cas.compare_value = "one";
  EXPECT_EQ(run(kernel().kv_set(cas, {})).reply.code, KvCode::kSet);
  KvSetRequest by_revision = set_request("c", "three", d, kSetIfEqualToRevision);
  by_revision.compare_revision = 0;
  EXPECT_EQ(run(kernel().kv_set(by_revision, {})).reply.code, KvCode::kNotSet);
  by_revision.compare_revision = 1;
  EXPECT_EQ(run(kernel().kv_set(by_revision, {})).reply.code, KvCode::kSet);
}

TEST_P(KernelKv, TtlExpiresAndTheSweepRemovesTheKey) {
  start();
  const Durability d = GetParam();
  KvSetRequest request = set_request("ttl/k", "v", d);
  request.expires_ms = 50;
  ASSERT_EQ(run(kernel().kv_set(request, {})).reply.code, KvCode::kSet);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(run(kernel().kv_get(get_request("ttl/k", d), {})).reply.code, KvCode::kDoesNotExist);
  run(kernel().sweep_expired_keys());
  EXPECT_EQ(run(kernel().kv_get(get_request("ttl/k", d), {})).reply.code, KvCode::kDoesNotExist);
  // Numbering continues across expiry (HTTP-API.md §6.1): the next write
  // takes the expired revision + 1.
  EXPECT_EQ(run(kernel().kv_set(set_request("ttl/k", "again", d), {})).reply.revision, 1);
}

TEST_P(KernelKv, BatchesAnswerOneRowPerItem) {
  start();
  const Durability d = GetParam();
  std::vector<KvSetRequest> sets{set_request("b/1", "x", d), set_request("", "bad", d),
                                 set_request("c/2", "y", d)};
  auto rows = run(kernel().kv_set_many(sets, {}));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].reply.code, KvCode::kSet);
  EXPECT_EQ(rows[1].reply.code, KvCode::kInvalidInput);
  EXPECT_EQ(rows[2].reply.code, KvCode::kSet);
  auto gets = run(kernel().kv_get_many({get_request("b/1", d), get_request("missing", d)}, {}));
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0].reply.value, "x");
  EXPECT_EQ(gets[1].reply.code, KvCode::kDoesNotExist);
  auto deletes = run(kernel().kv_delete_many({KvKeyRequest{"b/1", d}, KvKeyRequest{"missing", d}}, {}));
  EXPECT_EQ(deletes[0].reply.code, KvCode::kDeleted);
  EXPECT_EQ(deletes[1].reply.code, KvCode::kDoesNotExist);
}

TEST_P(KernelKv, ScansByBucketPrefixAndRange) {
  start();
  const Durability d = GetParam();
  for (std::string key : {"users/a", "users/b", "users/c", "userz/x", "other/y"}) {
    ASSERT_EQ(run(kernel().kv_set(set_request(key, "v", d), {})).reply.code, KvCode::kSet);
  }
  auto bucket = run(kernel().kv_get_by_bucket(KvPrefixRequest{"users", {}, d}, {}));
  ASSERT_EQ(bucket.reply.code, KvCode::kGet);
  ASSERT_EQ(bucket.reply.items.size(), 3u);
  EXPECT_EQ(bucket.reply.items[0].key, "users/a");

  auto all = run(kernel().kv_scan_prefix(KvPrefixRequest{"user", {}, d}, {}));
  ASSERT_EQ(all.code, KvCode::kGet);
  ASSERT_EQ(all.items.size(), 4u);
  EXPECT_EQ(all.items.back().key, "userz/x");

  KvRangeRequest range;
  range.query.key_space = "users";
  range.query.limit = 2;
  range.durability = d;
  auto page1 = run(kernel().kv_get_range(range, {}));
  ASSERT_EQ(page1.reply.items.size(), 2u);
  ASSERT_TRUE(page1.reply.has_more);
  range.query.cursor = page1.reply.next_cursor;
  auto page2 = run(kernel().kv_get_range(range, {}));
  ASSERT_EQ(page2.reply.items.size(), 1u);
  EXPECT_EQ(page2.reply.items[0].key, "users/c");
  EXPECT_FALSE(page2.reply.has_more);
}

INSTANTIATE_TEST_SUITE_P(Durabilities, KernelKv, both_durabilities(), durability_name);

TEST_F(KernelTest, EveryPageOfARangeReadsTheFirstPagesSnapshot) {
  start();
  for (std::string key : {"r/a", "r/b", "r/d"}) {
    ASSERT_EQ(run(kernel().kv_set(set_request(key, "old", Durability::kPersistent), {})).reply.code,
              KvCode::kSet);
  }
  KvRangeRequest range;
  range.query.key_space = "r";
  range.query.limit = 1;
  range.durability = Durability::kPersistent;
  auto page1 = run(kernel().kv_get_range(range, {}));
  ASSERT_TRUE(page1.reply.has_more);
  // Written after the first page: later pages must not see them.
  ASSERT_EQ(run(kernel().kv_set(set_request("r/c", "new", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
  ASSERT_EQ(run(kernel().kv_set(set_request("r/d", "new", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
  std::vector<std::string> seen{page1.reply.items[0].key + "=" + *page1.reply.items[0].value};
  range.query.cursor = page1.reply.next_cursor;
  while (range.query.cursor) {
    auto page = run(kernel().kv_get_range(range, {}));
    ASSERT_EQ(page.reply.code, KvCode::kGet);
    for (const auto& item : page.reply.items) seen.push_back(item.key + "=" + *item.value);
    range.query.cursor = page.reply.has_more ? page.reply.next_cursor : std::nullopt;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"r/a=old", "r/b=old", "r/d=old"}));
  // A cursor whose snapshot is gone still resumes after its last key.
  std::uint64_t id = 0;
  std::string inner;
  ASSERT_TRUE(RangeSnapshots::unwrap(*page1.reply.next_cursor, id, inner));
  range.query.cursor = RangeSnapshots::wrap(id + 1000000, inner);
  auto fallback = run(kernel().kv_get_range(range, {}));
  ASSERT_EQ(fallback.reply.items.size(), 1u);
  EXPECT_EQ(fallback.reply.items[0].key, "r/b");
}

TEST_F(KernelTest, LocalReadsServeTheAppliedState) {
  start();
  ASSERT_EQ(run(kernel().kv_set(set_request("k", "v", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
  CallOptions local;
  local.consistency = ReadConsistency::kLocal;
  EXPECT_EQ(run(kernel().kv_get(get_request("k", Durability::kPersistent), local)).reply.value, "v");
}

TEST_F(KernelTest, ClusterStatusListsEveryPartitionLedHere) {
  start();
  // A lone node leads every group as soon as they start.
  for (int i = 0; i < 100 && kernel().leader_of(4) != 1; ++i) std::this_thread::sleep_for(10ms);
  const ClusterStatus status = kernel().cluster_status();
  EXPECT_EQ(status.node_id, 1u);
  EXPECT_EQ(status.data_partitions, 4u);
  ASSERT_EQ(status.partitions.size(), 5u);
  for (const auto& partition : status.partitions) EXPECT_EQ(partition.leader, 1u) << partition.id;
  ASSERT_EQ(status.nodes.size(), 1u);
  EXPECT_TRUE(status.nodes[0].connected);
  // A lone node leads a group once it voted for itself; the vote's sync may
  // complete a moment later.
  std::string metrics = kernel().metrics_text();
  for (int i = 0; i < 200 && metrics.find("kahuna_raft_log_sync_seconds_count 0\n") != std::string::npos;
       ++i) {
    std::this_thread::sleep_for(10ms);
    metrics = kernel().metrics_text();
  }
  EXPECT_NE(metrics.find("kahuna_raft_term{partition=\"3\"}"), std::string::npos);
  // Electing 5 groups wrote their terms and votes with syncs: timed.
  EXPECT_NE(metrics.find("kahuna_log_writer_sync_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
  // The elections were made durable by the segmented Raft log.
  EXPECT_NE(metrics.find("kahuna_raft_log_sync_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_EQ(metrics.find("kahuna_raft_log_sync_seconds_count 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("kahuna_raft_log_commit_writes_count"), std::string::npos);
}

}  // namespace
}  // namespace kahuna::testing
