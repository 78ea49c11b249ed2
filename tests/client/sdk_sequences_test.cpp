// Every sequence operation of the SDK and its reply codes, plus cluster
// status, against one node.
#include "single_node.h"

namespace kahuna::client::testing {
namespace {

class SdkSequencesTest : public SingleNodeTest {};

SequenceCreateRequest sequence(std::string name, std::int64_t initial = 0, std::int64_t increment = 1) {
  SequenceCreateRequest request;
  request.name = std::move(name);
  request.initial_value = initial;
  request.increment = increment;
  return request;
}

TEST_F(SdkSequencesTest, CreateNextReserveGetUpdateDelete) {
  auto created = client().create_sequence(sequence("invoices"));
  ASSERT_TRUE(created) << created.error().to_string();
  EXPECT_EQ(created->code, SequenceCode::kSuccess);
  EXPECT_EQ(client().create_sequence(sequence("invoices"))->code, SequenceCode::kAlreadyExists);

  auto first = client().next("invoices");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->code, SequenceCode::kSuccess);
  EXPECT_EQ(first->allocation.start, 1);

  auto block = client().reserve("invoices", 10);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->code, SequenceCode::kSuccess);
  EXPECT_EQ(block->allocation.start, 2);
  EXPECT_EQ(block->allocation.end, 11);
  EXPECT_EQ(block->allocation.count, 10);

  auto info = client().get_sequence("invoices");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->code, SequenceCode::kSuccess);
  ASSERT_TRUE(info->sequence.has_value());
  EXPECT_EQ(info->sequence->name, "invoices");
  EXPECT_GE(info->sequence->current_value, 11);

  SequenceUpdateRequest update;
  update.name = "invoices";
  update.current_value = 5000;
  update.increment = 10;
  EXPECT_EQ(client().update_sequence(update)->code, SequenceCode::kSuccess);
  EXPECT_EQ(client().next("invoices")->allocation.start, 5010);

  EXPECT_EQ(client().delete_sequence("invoices")->code, SequenceCode::kSuccess);
  EXPECT_EQ(client().delete_sequence("invoices")->code, SequenceCode::kNotFound);
  EXPECT_EQ(client().get_sequence("invoices")->code, SequenceCode::kNotFound);
  EXPECT_EQ(client().next("invoices")->code, SequenceCode::kNotFound);
}

TEST_F(SdkSequencesTest, MaxValueAndInvalidInput) {
  auto bounded = sequence("bounded");
  bounded.max_value = 2;
  ASSERT_EQ(client().create_sequence(bounded)->code, SequenceCode::kSuccess);
  EXPECT_EQ(client().next("bounded")->allocation.start, 1);
  EXPECT_EQ(client().next("bounded")->allocation.start, 2);
  EXPECT_EQ(client().next("bounded")->code, SequenceCode::kMaxValueExceeded);

  EXPECT_EQ(client().create_sequence(sequence(""))->code, SequenceCode::kInvalidInput);
  EXPECT_EQ(client().create_sequence(sequence("zero-step", 0, 0))->code, SequenceCode::kInvalidInput);
  EXPECT_EQ(client().reserve("bounded", 0)->code, SequenceCode::kInvalidInput);
}

TEST_F(SdkSequencesTest, AnIdempotencyKeyReturnsTheSameAllocation) {
  ASSERT_EQ(client().create_sequence(sequence("orders"))->code, SequenceCode::kSuccess);
  auto once = client().reserve("orders", 5, std::string("request-1"));
  auto twice = client().reserve("orders", 5, std::string("request-1"));
  ASSERT_TRUE(once);
  ASSERT_TRUE(twice);
  EXPECT_EQ(once->allocation, twice->allocation);
  // Without a key the SDK makes one per call: two calls, two allocations.
  auto a = client().next("orders");
  auto b = client().next("orders");
  EXPECT_LT(a->allocation.start, b->allocation.start);
}

TEST_F(SdkSequencesTest, CallsWithoutIdempotencyAreServedFromTheLeadersBlock) {
  ASSERT_EQ(client().create_sequence(sequence("tickets"))->code, SequenceCode::kSuccess);
  SequenceOptions no_key;
  no_key.idempotent = false;
  auto first = client().next("tickets", std::nullopt, no_key);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->code, SequenceCode::kSuccess);
  EXPECT_EQ(first->allocation.start, 1);
  auto block = client().reserve("tickets", 10, std::nullopt, no_key);
  ASSERT_TRUE(block) << block.error().to_string();
  EXPECT_EQ(block->allocation.start, 2);
  EXPECT_EQ(block->allocation.end, 11);
  // Idempotent and non-idempotent calls share one sequence: never a value twice.
  auto keyed = client().next("tickets");
  ASSERT_TRUE(keyed);
  EXPECT_GT(keyed->allocation.start, 11);
  // A caller's key is sent even when idempotent is false.
  auto once = client().reserve("tickets", 3, std::string("request-2"), no_key);
  auto twice = client().reserve("tickets", 3, std::string("request-2"), no_key);
  ASSERT_TRUE(once);
  ASSERT_TRUE(twice);
  EXPECT_EQ(once->allocation, twice->allocation);
}

TEST_F(SdkSequencesTest, ClusterStatusDescribesTheNode) {
  auto status = client().cluster_status();
  ASSERT_TRUE(status) << status.error().to_string();
  EXPECT_EQ(status->node_id, 1u);
  EXPECT_EQ(status->data_partitions, 4u);
  ASSERT_EQ(status->nodes.size(), 1u);
  EXPECT_EQ(status->nodes[0].endpoints.at("binary"), server_->endpoint(1));
  ASSERT_EQ(status->partitions.size(), 5u);
  for (const auto& partition : status->partitions) EXPECT_EQ(partition.leader, 1u) << partition.id;
}

}  // namespace
}  // namespace kahuna::client::testing
