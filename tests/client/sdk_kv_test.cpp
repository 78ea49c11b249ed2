// Every key/value operation of the SDK and its reply codes, against one node.
#include <thread>

#include <kahuna/placement.h>

#include "single_node.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

class SdkKvTest : public SingleNodeTest {};

TEST_F(SdkKvTest, SetGetAndRevisions) {
  auto first = client().set("kv/a", "one");
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->code, KvCode::kSet);
  EXPECT_EQ(first->revision, 0);

  auto second = client().set("kv/a", "two");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->revision, 1);

  auto latest = client().get("kv/a");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->code, KvCode::kGet);
  EXPECT_EQ(latest->value, std::optional<std::string>("two"));
  EXPECT_EQ(latest->revision, 1);

  ReadOptions old;
  old.revision = 0;
  auto historical = client().get("kv/a", old);
  ASSERT_TRUE(historical);
  EXPECT_EQ(historical->code, KvCode::kGet);
  EXPECT_EQ(historical->value, std::optional<std::string>("one"));

  auto exists = client().exists("kv/a");
  ASSERT_TRUE(exists);
  EXPECT_EQ(exists->code, KvCode::kExists);
  EXPECT_EQ(exists->revision, 1);

  auto missing = client().get("kv/never-written");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->code, KvCode::kDoesNotExist);
  EXPECT_EQ(client().exists("kv/never-written")->code, KvCode::kDoesNotExist);
}

TEST_F(SdkKvTest, NullAndEmptyValuesStayApart) {
  ASSERT_EQ(client().set("kv/null", std::nullopt)->code, KvCode::kSet);
  ASSERT_EQ(client().set("kv/empty", std::string())->code, KvCode::kSet);
  EXPECT_EQ(client().get("kv/null")->value, std::nullopt);
  EXPECT_EQ(client().get("kv/empty")->value, std::optional<std::string>(""));
}

TEST_F(SdkKvTest, ConditionalSets) {
  EXPECT_EQ(client().set("kv/c", "v1", SetOptions::if_not_exists())->code, KvCode::kSet);
  auto refused = client().set("kv/c", "v2", SetOptions::if_not_exists());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, KvCode::kNotSet);
  EXPECT_EQ(refused->revision, 0) << "notSet carries the current revision";

  EXPECT_EQ(client().set("kv/c-absent", "x", SetOptions::if_exists())->code, KvCode::kNotSet);
  EXPECT_EQ(client().set("kv/c", "v2", SetOptions::if_exists())->code, KvCode::kSet);

  EXPECT_EQ(client().set("kv/c", "v3", SetOptions::if_value("wrong"))->code, KvCode::kNotSet);
  auto by_value = client().set("kv/c", "v3", SetOptions::if_value("v2"));
  ASSERT_TRUE(by_value);
  EXPECT_EQ(by_value->code, KvCode::kSet);

  EXPECT_EQ(client().set("kv/c", "v4", SetOptions::if_revision(by_value->revision + 5))->code,
            KvCode::kNotSet);
  EXPECT_EQ(client().set("kv/c", "v4", SetOptions::if_revision(by_value->revision))->code, KvCode::kSet);
  EXPECT_EQ(client().get("kv/c")->value, std::optional<std::string>("v4"));
}

TEST_F(SdkKvTest, DeleteExtendAndExpiry) {
  ASSERT_EQ(client().set("kv/d", "v")->code, KvCode::kSet);
  auto deleted = client().remove("kv/d");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->code, KvCode::kDeleted);
  EXPECT_EQ(deleted->revision, 1);
  EXPECT_EQ(client().remove("kv/d")->code, KvCode::kDoesNotExist);
  EXPECT_EQ(client().get("kv/d")->code, KvCode::kDoesNotExist);
  EXPECT_EQ(client().set("kv/d", "again")->revision, 2) << "numbering continues after a delete";

  EXPECT_EQ(client().extend("kv/missing", 1s)->code, KvCode::kDoesNotExist);

  SetOptions short_lived;
  short_lived.ttl = 200ms;
  ASSERT_EQ(client().set("kv/ttl", "v", short_lived)->code, KvCode::kSet);
  ASSERT_EQ(client().set("kv/ttl-extended", "v", short_lived)->code, KvCode::kSet);
  auto extended = client().extend("kv/ttl-extended", 60s);
  ASSERT_TRUE(extended);
  EXPECT_EQ(extended->code, KvCode::kExtended);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(client().get("kv/ttl")->code, KvCode::kDoesNotExist);
  EXPECT_EQ(client().get("kv/ttl-extended")->code, KvCode::kGet);
}

TEST_F(SdkKvTest, EphemeralKeysAreSeparateFromPersistentOnes) {
  SetOptions ephemeral;
  ephemeral.durability = Durability::kEphemeral;
  ASSERT_EQ(client().set("kv/e", "memory", ephemeral)->code, KvCode::kSet);
  ReadOptions read_ephemeral;
  read_ephemeral.durability = Durability::kEphemeral;
  EXPECT_EQ(client().get("kv/e", read_ephemeral)->value, std::optional<std::string>("memory"));
  EXPECT_EQ(client().get("kv/e")->code, KvCode::kDoesNotExist);
}

TEST_F(SdkKvTest, BatchesAnswerOneRowPerItemInOrder) {
  std::vector<KvSetRequest> sets;
  for (int i = 0; i < 20; ++i) {
    KvSetRequest item;
    item.key = "batch" + std::to_string(i % 5) + "/k" + std::to_string(i);
    item.value = "v" + std::to_string(i);
    item.durability = Durability::kPersistent;
    sets.push_back(item);
  }
  KvSetRequest invalid;
  invalid.durability = Durability::kPersistent;
  sets.insert(sets.begin() + 3, invalid);  // empty key: its own row fails
  auto set_rows = client().set_many(sets);
  ASSERT_TRUE(set_rows) << set_rows.error().to_string();
  ASSERT_EQ(set_rows->size(), sets.size());
  for (std::size_t i = 0; i < sets.size(); ++i) {
    EXPECT_EQ((*set_rows)[i].code, i == 3 ? KvCode::kInvalidInput : KvCode::kSet) << i;
  }

  std::vector<KvGetRequest> gets;
  for (const auto& item : sets) {
    if (item.key.empty()) continue;
    KvGetRequest get;
    get.query.key = item.key;
    get.durability = Durability::kPersistent;
    gets.push_back(get);
  }
  KvGetRequest absent;
  absent.query.key = "batch0/absent";
  absent.durability = Durability::kPersistent;
  gets.push_back(absent);
  auto get_rows = client().get_many(gets);
  ASSERT_TRUE(get_rows);
  ASSERT_EQ(get_rows->size(), gets.size());
  for (std::size_t i = 0; i + 1 < gets.size(); ++i) {
    EXPECT_EQ((*get_rows)[i].code, KvCode::kGet);
    EXPECT_EQ((*get_rows)[i].value,
              std::optional<std::string>("v" + gets[i].query.key.substr(gets[i].query.key.find("/k") + 2)));
  }
  EXPECT_EQ(get_rows->back().code, KvCode::kDoesNotExist);

  auto exists_rows = client().exists_many(gets);
  ASSERT_TRUE(exists_rows);
  EXPECT_EQ(exists_rows->front().code, KvCode::kExists);
  EXPECT_EQ(exists_rows->back().code, KvCode::kDoesNotExist);

  std::vector<KvKeyRequest> deletes{{gets[0].query.key, Durability::kPersistent},
                                    {"batch0/absent", Durability::kPersistent}};
  auto delete_rows = client().remove_many(deletes);
  ASSERT_TRUE(delete_rows);
  ASSERT_EQ(delete_rows->size(), 2u);
  EXPECT_EQ((*delete_rows)[0].code, KvCode::kDeleted);
  EXPECT_EQ((*delete_rows)[1].code, KvCode::kDoesNotExist);

  auto empty = client().set_many({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_F(SdkKvTest, BucketPrefixAndRangeScans) {
  for (const char* key : {"shop/1", "shop/2", "shop/3", "shop/4", "shop/5", "shopping/1", "other/1"}) {
    ASSERT_EQ(client().set(key, std::string("v-") + key)->code, KvCode::kSet);
  }
  auto bucket = client().get_by_bucket("shop");
  ASSERT_TRUE(bucket) << bucket.error().to_string();
  EXPECT_EQ(bucket->code, KvCode::kGet);
  // Every key of key space "shop", in key order (a key of another key space
  // that starts with "shop" may come along when it lives on the same partition).
  std::vector<std::string> in_space;
  for (const auto& item : bucket->items) {
    EXPECT_EQ(item.key.rfind("shop", 0), 0u) << item.key;
    if (key_space_of(item.key) == "shop") in_space.push_back(item.key);
  }
  EXPECT_EQ(in_space, (std::vector<std::string>{"shop/1", "shop/2", "shop/3", "shop/4", "shop/5"}));
  EXPECT_EQ(bucket->items.front().value, std::optional<std::string>("v-shop/1"));

  auto prefix = client().scan_prefix("shop");
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->items.size(), 6u) << "shop/* and shopping/1";

  RangeOptions page_of_two;
  page_of_two.limit = 2;
  auto first = client().get_range("shop", page_of_two);
  ASSERT_TRUE(first) << first.error().to_string();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_TRUE(first->has_more);
  ASSERT_TRUE(first->next_cursor.has_value());
  page_of_two.cursor = first->next_cursor;
  auto second = client().get_range("shop", page_of_two);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items.front().key, "shop/3");

  RangeOptions bounded;
  bounded.limit = 2;
  bounded.start_key = "shop/2";
  bounded.end_key = "shop/5";
  auto all = client().get_range_all("shop", bounded);
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->front().key, "shop/2");
  EXPECT_EQ(all->back().key, "shop/4");
}

}  // namespace
}  // namespace kahuna::client::testing
