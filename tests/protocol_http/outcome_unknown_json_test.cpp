// How "outcome unknown" (98 in every family) goes out over HTTP: as the
// family's error code 99 with typeName "unknown" and a reason, so a client
// that knows only HTTP-API.md §3 fails the call (it does not resend a write
// that may have been applied), and one that reads typeName knows why.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "kv_batch_json.h"
#include "kv_json.h"
#include "lock_json.h"
#include "sequence_json.h"

namespace kahuna::http {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

void expect_unknown(const rapidjson::Value& reply, const std::string& text) {
  ASSERT_TRUE(reply.IsObject()) << text;
  EXPECT_EQ(reply["type"].GetInt(), 99) << text;
  EXPECT_STREQ(reply["typeName"].GetString(), "unknown") << text;
  EXPECT_STREQ(reply["reason"].GetString(), "timeout: outcome unknown") << text;
}

TEST(OutcomeUnknownJson, EveryFamilySendsItAsErrorWithAReason) {
  const std::string kv =
      encode_kv_reply(wire::Opcode::kKvSet, KvReply{KvCode::kOutcomeUnknown}, std::nullopt);
  expect_unknown(parse(kv), kv);
  const std::string lock =
      encode_lock_reply(wire::Opcode::kUnlock, LockReply{LockCode::kOutcomeUnknown}, std::nullopt);
  expect_unknown(parse(lock), lock);
  const std::string sequence = encode_sequence_reply(
      wire::Opcode::kSequenceNext, SequenceReply{SequenceCode::kOutcomeUnknown}, std::nullopt);
  expect_unknown(parse(sequence), sequence);
  std::vector<BatchRow> rows(1);
  rows[0].key = "k";
  rows[0].reply = KvReply{KvCode::kOutcomeUnknown};
  const std::string batch = encode_batch_reply(wire::Opcode::kKvSetMany, KvCode::kSet, rows, 1);
  expect_unknown(parse(batch)["items"][0], batch);
}

TEST(OutcomeUnknownJson, MustRetryKeepsItsOwnCode) {
  const auto kv = parse(encode_kv_reply(wire::Opcode::kKvSet, KvReply{KvCode::kMustRetry}, std::nullopt));
  EXPECT_EQ(kv["type"].GetInt(), 101);
  EXPECT_STREQ(kv["typeName"].GetString(), "mustRetry");
  EXPECT_FALSE(kv.HasMember("reason"));
}

}  // namespace
}  // namespace kahuna::http
