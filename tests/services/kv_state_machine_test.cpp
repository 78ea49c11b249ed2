// Key/value writes (HTTP-API.md §6.1, §6.2): revisions, tombstones, extend,
// every set flag with its notSet rule, limits and batches.
#include <gtest/gtest.h>

#include <string>

#include "replica.h"
#include "service_test_support.h"

namespace kahuna::services {
namespace {

using testing::plain;
using testing::Replica;

TEST(KvWrites, RevisionsStartAtZeroAndContinueAcrossDelete) {
  Replica r;
  EXPECT_EQ(r.kv(1000, plain("k", "v1")).revision, 0);
  EXPECT_EQ(r.kv(1001, plain("k", "v2")).revision, 1);
  const auto deleted = r.kv(1002, KvDelete{"k"});
  EXPECT_EQ(deleted.code, KvCode::kDeleted);
  EXPECT_EQ(deleted.revision, 2);
  EXPECT_EQ(deleted.last_modified, testing::at(1002));
  const auto again = r.kv(1003, plain("k", "v3"));
  EXPECT_EQ(again.code, KvCode::kSet);
  EXPECT_EQ(again.revision, 3);
  EXPECT_EQ(again.last_modified, testing::at(1003));
}

TEST(KvWrites, SetDeleteSetGivesZeroOneTwo) {
  Replica r;
  EXPECT_EQ(r.kv(1, plain("k", "a")).revision, 0);
  EXPECT_EQ(r.kv(2, KvDelete{"k"}).revision, 1);
  EXPECT_EQ(r.kv(3, plain("k", "b")).revision, 2);
}

TEST(KvWrites, NullAndEmptyValuesAreDistinct) {
  Replica r;
  r.kv(1, plain("null", std::nullopt));
  r.kv(1, plain("empty", std::string()));
  const auto null_read = r.get(2, "null");
  EXPECT_EQ(null_read.code, KvCode::kGet);
  EXPECT_FALSE(null_read.value.has_value());
  const auto empty_read = r.get(2, "empty");
  EXPECT_EQ(empty_read.code, KvCode::kGet);
  ASSERT_TRUE(empty_read.value.has_value());
  EXPECT_EQ(*empty_read.value, "");
}

TEST(KvWrites, FlagZeroBehavesAsSet) {
  Replica r;
  EXPECT_EQ(r.kv(1, plain("k", "v", 0)).code, KvCode::kSet);
  EXPECT_EQ(r.kv(2, plain("k", "w", 0)).revision, 1);
}

TEST(KvWrites, SetIfNotExists) {
  Replica r;
  const auto first = r.kv(1, plain("users/7", "a", kSetIfNotExists));
  EXPECT_EQ(first.code, KvCode::kSet);
  EXPECT_EQ(first.revision, 0);
  const auto second = r.kv(2, plain("users/7", "b", kSetIfNotExists));
  EXPECT_EQ(second.code, KvCode::kNotSet);
  EXPECT_EQ(second.revision, 0);
  EXPECT_EQ(r.get(3, "users/7").value, "a");
  // A deleted key counts as absent.
  r.kv(4, KvDelete{"users/7"});
  const auto third = r.kv(5, plain("users/7", "c", kSetIfNotExists));
  EXPECT_EQ(third.code, KvCode::kSet);
  EXPECT_EQ(third.revision, 2);
}

TEST(KvWrites, SetIfNotExistsOnAnExpiredKey) {
  Replica r;
  r.kv(1000, plain("k", "a", kSet, 10));
  EXPECT_EQ(r.kv(1005, plain("k", "b", kSetIfNotExists)).code, KvCode::kNotSet);
  const auto after = r.kv(1010, plain("k", "b", kSetIfNotExists));
  EXPECT_EQ(after.code, KvCode::kSet);
  EXPECT_EQ(after.revision, 1);  // numbering continues across expiry
}

TEST(KvWrites, SetIfExists) {
  Replica r;
  const auto missing = r.kv(1, plain("k", "a", kSetIfExists));
  EXPECT_EQ(missing.code, KvCode::kNotSet);
  EXPECT_EQ(missing.revision, -1);    // never written
  r.kv(2, plain("k", std::nullopt));  // a live null counts as existing
  const auto exists = r.kv(3, plain("k", "b", kSetIfExists));
  EXPECT_EQ(exists.code, KvCode::kSet);
  EXPECT_EQ(exists.revision, 1);
  r.kv(4, KvDelete{"k"});
  const auto deleted = r.kv(5, plain("k", "c", kSetIfExists));
  EXPECT_EQ(deleted.code, KvCode::kNotSet);
  EXPECT_EQ(deleted.revision, 2);  // the tombstone's revision
}

TEST(KvWrites, SetIfEqualToValue) {
  Replica r;
  KvSet cas = plain("k", "new", kSetIfEqualToValue);
  cas.compare_value = "old";
  EXPECT_EQ(r.kv(1, cas).code, KvCode::kNotSet);
  EXPECT_EQ(r.kv(1, cas).revision, -1);
  r.kv(2, plain("k", "other"));
  EXPECT_EQ(r.kv(3, cas).code, KvCode::kNotSet);
  r.kv(4, plain("k", "old"));
  const auto swapped = r.kv(5, cas);
  EXPECT_EQ(swapped.code, KvCode::kSet);
  EXPECT_EQ(swapped.revision, 2);
  EXPECT_EQ(r.get(6, "k").value, "new");
}

TEST(KvWrites, SetIfEqualToValueDistinguishesNullFromEmpty) {
  Replica r;
  r.kv(1, plain("k", std::nullopt));
  KvSet with_empty = plain("k", "x", kSetIfEqualToValue);
  with_empty.compare_value = std::string();
  EXPECT_EQ(r.kv(2, with_empty).code, KvCode::kNotSet);
  KvSet with_null = plain("k", "x", kSetIfEqualToValue);
  with_null.compare_value = std::nullopt;
  EXPECT_EQ(r.kv(3, with_null).code, KvCode::kSet);
  // A null compare value does not match a missing key.
  EXPECT_EQ(r.kv(4, plain("absent", "x", kSetIfEqualToValue)).code, KvCode::kNotSet);
  // Nor a deleted one.
  r.kv(5, plain("gone", std::nullopt));
  r.kv(6, KvDelete{"gone"});
  EXPECT_EQ(r.kv(7, plain("gone", "x", kSetIfEqualToValue)).code, KvCode::kNotSet);
}

TEST(KvWrites, SetIfEqualToRevision) {
  Replica r;
  r.kv(1, plain("k", "a"));
  r.kv(2, plain("k", "b"));
  KvSet cas = plain("k", "c", kSetIfEqualToRevision);
  cas.compare_revision = 0;
  const auto stale = r.kv(3, cas);
  EXPECT_EQ(stale.code, KvCode::kNotSet);
  EXPECT_EQ(stale.revision, 1);
  cas.compare_revision = 1;
  const auto fresh = r.kv(4, cas);
  EXPECT_EQ(fresh.code, KvCode::kSet);
  EXPECT_EQ(fresh.revision, 2);
  // -1 is the revision of a key never written.
  KvSet create = plain("new", "x", kSetIfEqualToRevision);
  create.compare_revision = -1;
  EXPECT_EQ(r.kv(5, create).code, KvCode::kSet);
}

TEST(KvWrites, NoRevisionStillBumpsTheRevision) {
  Replica r;
  r.kv(1, plain("k", "a"));
  const auto quiet = r.kv(2, plain("k", "b", kSetNoRevision));
  EXPECT_EQ(quiet.code, KvCode::kSet);
  EXPECT_EQ(quiet.revision, 1);
  EXPECT_EQ(r.get(3, "k").value, "b");
  EXPECT_EQ(r.kv(4, plain("k", "c")).revision, 2);
}

TEST(KvWrites, InternalAndUnknownFlagsAreInvalidInput) {
  Replica r;
  EXPECT_EQ(r.kv(1, plain("k", "a", 64)).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("k", "a", 128)).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("k", "a", 1 | 256)).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.state().size(), 0u);
}

TEST(KvWrites, InvalidKeysValuesAndExpiries) {
  ServiceOptions options;
  options.kv.max_key_bytes = 8;
  options.kv.max_value_bytes = 4;
  Replica r(3, options);
  EXPECT_EQ(r.kv(1, plain("", "a")).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("__kahuna:x", "a")).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("123456789", "a")).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("12345678", "a")).code, KvCode::kSet);
  EXPECT_EQ(r.kv(1, plain("k", "12345")).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("k", "1234")).code, KvCode::kSet);
  KvSet negative = plain("k", "a");
  negative.expires_ms = -1;
  EXPECT_EQ(r.kv(1, negative).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, KvDelete{""}).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, KvDelete{"__kahuna:sequences:x"}).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, KvExtend{"k", 0}).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, KvExtend{"", 10}).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.get(1, "").code, KvCode::kInvalidInput);
  EXPECT_EQ(r.get(1, "__kahuna:x").code, KvCode::kInvalidInput);
}

TEST(KvWrites, DefaultLimitsAreOneKibKeyAndOneMibValue) {
  Replica r;
  EXPECT_EQ(r.kv(1, plain(std::string(1024, 'k'), "v")).code, KvCode::kSet);
  EXPECT_EQ(r.kv(1, plain(std::string(1025, 'k'), "v")).code, KvCode::kInvalidInput);
  EXPECT_EQ(r.kv(1, plain("big", std::string(1 << 20, 'v'))).code, KvCode::kSet);
  EXPECT_EQ(r.kv(1, plain("big", std::string((1 << 20) + 1, 'v'))).code, KvCode::kInvalidInput);
}

TEST(KvWrites, DeleteOutcomes) {
  Replica r;
  const auto missing = r.kv(1, KvDelete{"k"});
  EXPECT_EQ(missing.code, KvCode::kDoesNotExist);
  EXPECT_EQ(missing.revision, 0);
  r.kv(2, plain("k", "v"));
  EXPECT_EQ(r.kv(3, KvDelete{"k"}).code, KvCode::kDeleted);
  EXPECT_EQ(r.kv(4, KvDelete{"k"}).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(5, "k").code, KvCode::kDoesNotExist);
  r.kv(10, plain("t", "v", kSet, 5));
  EXPECT_EQ(r.kv(15, KvDelete{"t"}).code, KvCode::kDoesNotExist);
}

TEST(KvWrites, ExtendKeepsTheRevisionAndMovesTheExpiry) {
  Replica r;
  r.kv(1000, plain("k", "v", kSet, 100));
  const auto extended = r.kv(1050, KvExtend{"k", 1000});
  EXPECT_EQ(extended.code, KvCode::kExtended);
  EXPECT_EQ(extended.revision, 0);
  EXPECT_EQ(extended.last_modified, testing::at(1000));
  EXPECT_EQ(r.get(1500, "k").code, KvCode::kGet);
  EXPECT_EQ(r.get(1500, "k").expires.physical, 2050);
  EXPECT_EQ(r.get(2050, "k").code, KvCode::kDoesNotExist);
  // Extend gives an expiry to a key that had none.
  r.kv(3000, plain("forever", "v"));
  EXPECT_EQ(r.kv(3000, KvExtend{"forever", 10}).code, KvCode::kExtended);
  EXPECT_EQ(r.get(3010, "forever").code, KvCode::kDoesNotExist);
}

TEST(KvWrites, ExtendOfAMissingDeletedOrExpiredKeyDoesNotExist) {
  Replica r;
  EXPECT_EQ(r.kv(1, KvExtend{"k", 10}).code, KvCode::kDoesNotExist);
  r.kv(2, plain("k", "v"));
  r.kv(3, KvDelete{"k"});
  EXPECT_EQ(r.kv(4, KvExtend{"k", 10}).code, KvCode::kDoesNotExist);
  r.kv(10, plain("t", "v", kSet, 1));
  EXPECT_EQ(r.kv(11, KvExtend{"t", 10}).code, KvCode::kDoesNotExist);
}

TEST(KvWrites, TtlIsDecidedByTheCommandStamp) {
  Replica r;
  r.kv(1000, plain("k", "v", kSet, 1));
  EXPECT_EQ(r.get(1000, "k").code, KvCode::kGet);
  EXPECT_EQ(r.get(1000, "k").expires, testing::at(1001));
  EXPECT_EQ(r.get(1050, "k").code, KvCode::kDoesNotExist);
  // A set-if-exists stamped before the expiry still sees the key live.
  EXPECT_EQ(r.kv(1000, plain("k", "w", kSetIfExists)).code, KvCode::kSet);
}

TEST(KvWrites, SetManyAppliesEveryRowInOrderWithItsOwnOutcome) {
  Replica r;
  KvSetMany many;
  many.items.push_back(plain("a", "1"));
  many.items.push_back(plain("", "bad"));
  many.items.push_back(plain("a", "2", kSetIfNotExists));  // sees the first row
  many.items.push_back(plain("b", "3"));
  const auto reply = r.kv_batch(10, many);
  ASSERT_EQ(reply.items.size(), 4u);
  EXPECT_EQ(reply.items[0].code, KvCode::kSet);
  EXPECT_EQ(reply.items[1].code, KvCode::kInvalidInput);
  EXPECT_EQ(reply.items[2].code, KvCode::kNotSet);
  EXPECT_EQ(reply.items[2].revision, 0);
  EXPECT_EQ(reply.items[3].code, KvCode::kSet);
  EXPECT_EQ(r.get(11, "a").value, "1");
  EXPECT_EQ(r.get(11, "b").value, "3");
}

TEST(KvWrites, DeleteManyRows) {
  Replica r;
  r.kv(1, plain("a", "1"));
  const auto reply = r.kv_batch(2, KvDeleteMany{{"", "a", "missing", "a"}});
  ASSERT_EQ(reply.items.size(), 4u);
  EXPECT_EQ(reply.items[0].code, KvCode::kInvalidInput);
  EXPECT_EQ(reply.items[1].code, KvCode::kDeleted);
  EXPECT_EQ(reply.items[1].revision, 1);
  EXPECT_EQ(reply.items[2].code, KvCode::kDoesNotExist);
  EXPECT_EQ(reply.items[3].code, KvCode::kDoesNotExist);
}

TEST(KvWrites, CreatedTimeIsKeptAcrossUpdatesAndResetOnRecreate) {
  Replica r;
  r.kv(100, plain("k", "a"));
  r.kv(200, plain("k", "b"));
  std::optional<KvRecord> record;
  ASSERT_TRUE(r.machine().kv().store().load_current(r.state(), "k", record).is_ok());
  EXPECT_EQ(record->created, testing::at(100));
  EXPECT_EQ(record->modified, testing::at(200));
  r.kv(300, KvDelete{"k"});
  r.kv(400, plain("k", "c"));
  ASSERT_TRUE(r.machine().kv().store().load_current(r.state(), "k", record).is_ok());
  EXPECT_EQ(record->created, testing::at(400));
}

TEST(KvWrites, CodesMapToTheProtocolNumbers) {
  testing::expect_protocol_numbers(
      {KvCode::kSet, KvCode::kNotSet, KvCode::kExtended, KvCode::kGet, KvCode::kDeleted, KvCode::kExists,
       KvCode::kErrored, KvCode::kInvalidInput, KvCode::kMustRetry, KvCode::kDoesNotExist},
      {0, 1, 2, 3, 4, 10, 99, 100, 101, 103});
  EXPECT_EQ(to_string(KvCode::kNotSet), "notSet");
  EXPECT_EQ(to_string(KvCode::kDoesNotExist), "doesNotExist");
}

}  // namespace
}  // namespace kahuna::services
